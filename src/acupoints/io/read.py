"""Reading a whole input without ever holding more than its limit.

A file's size is refused from its metadata when it has one; otherwise (a pipe, standard
input, ``/dev/zero``) at most one byte past the limit is read. So ``acupoints suggest
/dev/zero`` fails at once instead of reading until memory runs out.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO, Any

from ..base.errors import LoadError, Problem
from .limits import over_limit

__all__ = ["read_bounded", "source_name"]


def source_name(source: Any) -> str:
    """The name problems use for ``source``: a path as written, a stream's ``name``."""
    if isinstance(source, (str, os.PathLike)):
        return str(os.fspath(source))
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        return name if isinstance(name, str) else "<input>"
    return str(source)  # a Traversable


def _too_big(name: str, size: int | None, limit: int, limit_name: str) -> LoadError:
    what = f"{size} bytes" if size is not None else f"more than {limit} bytes"
    return LoadError([over_limit(name, 1, 1, "too-large", what, limit_name, limit)])


def _read(stream: IO[Any], name: str, limit: int, limit_name: str) -> bytes | str:
    data = stream.read(limit + 1)
    if data is None:  # a non-blocking stream with nothing ready: nothing can be read
        data = b""
    if len(data) > limit:
        raise _too_big(name, None, limit, limit_name)
    return data  # type: ignore[no-any-return]


def read_bounded(
    source: Any, limit: int, name: str | None = None, limit_name: str = "MAX_BYTES"
) -> bytes | str:
    """All of ``source``, refused before more than ``limit`` bytes are read.

    ``source`` is a path (``str`` or ``os.PathLike``), a ``Traversable`` (a packaged
    file), or an open stream: binary streams give ``bytes``, text streams ``str`` (its
    limit counted in characters). Raises :class:`~acupoints.LoadError` with the code
    ``too-large`` (naming ``limit_name``), ``not-found``, ``not-a-file`` or ``unreadable``.

    >>> import io
    >>> read_bounded(io.BytesIO(b"abc"), 3)
    b'abc'
    >>> read_bounded(io.BytesIO(b"abcd"), 3, "big.json")
    Traceback (most recent call last):
    acupoints.base.errors.LoadError: big.json:1:1: error[too-large] more than 3 bytes; the limit is 3 (MAX_BYTES)
    """
    shown = name if name is not None else source_name(source)
    if hasattr(source, "read") and not isinstance(source, Path):
        return _read(source, shown, limit, limit_name)
    try:
        if isinstance(source, (str, os.PathLike)):
            stream: IO[bytes] = open(source, "rb")  # noqa: SIM115 - closed below
            info = os.fstat(stream.fileno())
            if stat.S_ISDIR(info.st_mode):
                stream.close()
                raise IsADirectoryError
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                stream.close()
                raise _too_big(shown, info.st_size, limit, limit_name)
        else:
            stream = source.open("rb")
        with stream:
            return _read(stream, shown, limit, limit_name)
    except FileNotFoundError:
        raise LoadError([Problem(shown, 1, 1, "not-found", "no such file")]) from None
    except IsADirectoryError:
        raise LoadError([Problem(shown, 1, 1, "not-a-file", "this is a folder, not a file")]) from None
    except OSError as exc:
        raise LoadError([Problem(shown, 1, 1, "unreadable", exc.strerror or str(exc))]) from None
