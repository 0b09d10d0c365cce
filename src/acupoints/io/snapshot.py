"""The shipped YAML files, already parsed: ``data/snapshot.json``.

Reading the catalogue and the rules as YAML takes most of the start-up time; the same
data as JSON reads about thirty times faster. The snapshot maps the SHA-256 of each
shipped file's bytes to its parsed data, so a file is taken from it only when its bytes
are exactly the ones the snapshot was made from: an edited file is read as YAML again,
and nothing stale is ever used. Only the package's own files (``trusted`` loads) look
here; a user's files are always read, and checked, as YAML.

Regenerate after editing a shipped file (a test fails until then)::

    python -m acupoints.cli.snapshot     # or: make snapshot
"""

from __future__ import annotations

import hashlib
import json
import threading
from importlib import resources
from typing import Any

__all__ = ["digest", "lookup", "snapshot_path"]

_lock = threading.Lock()
_entries: dict[str, str] | None = None


def snapshot_path() -> Any:
    """Where the snapshot lives in the package."""
    return resources.files("acupoints") / "data" / "snapshot.json"


def digest(raw: bytes) -> str:
    """The key of a file's bytes in the snapshot."""
    return hashlib.sha256(raw).hexdigest()


def _load() -> dict[str, str]:
    global _entries
    if _entries is None:
        with _lock:
            if _entries is None:
                try:
                    text = snapshot_path().read_text(encoding="utf-8")
                    files = json.loads(text)["files"]
                except (OSError, ValueError, KeyError, TypeError):
                    files = {}  # no usable snapshot: every file is read as YAML
                _entries = {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}
    return _entries


def lookup(raw: bytes) -> Any | None:
    """The parsed data of a shipped file with exactly these bytes, or None.

    Each call parses the stored JSON text again, so that callers get their own objects.
    """
    text = _load().get(digest(raw))
    return None if text is None else json.loads(text)
