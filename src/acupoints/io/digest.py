"""One digest over a set of files: what a result's ``engine.digest`` is made from.

Each file counts by its name and the SHA-256 of its bytes, in the order given (the order
the loaders read them in, which can change a result), so the same files give the same
digest wherever they are installed, and any edit, rename or reordering changes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

__all__ = ["files_digest"]


def files_digest(files: Iterable[Any]) -> str:
    """The hex SHA-256 over each file's name and the SHA-256 of its bytes, in order.

    ``files`` are paths or package resources (anything with ``name`` and ``read_bytes``).
    """
    total = hashlib.sha256()
    for f in files:
        total.update(f.name.encode("utf-8") + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return total.hexdigest()
