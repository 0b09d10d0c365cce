"""Splitting a JSON Lines input into lines: at ``\\n`` only, never holding more than a limit.

A bare carriage return is whitespace to JSON, so it must not end a line: Python's text
mode (universal newlines) would split a case at it and shift every later line number.
Here the input is read as bytes and split at ``\\n`` (a ``\\r\\n`` line keeps its ``\\r``,
which the JSON reader ignores as whitespace). A line longer than the limit is not held:
its first ``limit + 1`` bytes are given (so the reader refuses it, naming the limit)
and the rest is skipped up to the next ``\\n``. A byte order mark at the very start of the
input is dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..base.errors import LoadError, Problem
from .decode import BOM

__all__ = ["CHUNK", "read_lines"]

#: How much is read at a time.
CHUNK = 1 << 16


def _split(blocks: Iterable[Any], limit: int, newline: Any, bom: Any) -> Iterator[tuple[int, Any]]:
    """Lines of the ``blocks`` (all bytes or all str), numbered from 1, each at most ``limit + 1`` long."""
    number = 0
    parts: list[Any] = []
    held = 0  # the length of the parts of the line so far (capped at limit + 1)
    first = True
    for block in blocks:
        if first and block:
            first = False
            if block.startswith(bom):
                block = block[len(bom) :]
        start = 0
        while True:
            end = block.find(newline, start)
            piece = block[start:] if end < 0 else block[start:end]
            if held <= limit:
                piece = piece[: limit + 1 - held]
                parts.append(piece)
                held += len(piece)
            if end < 0:
                break
            number += 1
            yield number, piece[:0].join(parts)
            parts = []
            held = 0
            start = end + 1
    if parts and any(parts):
        yield number + 1, parts[0][:0].join(parts)


def _blocks(stream: IO[Any]) -> Iterator[Any]:
    while True:
        block = stream.read(CHUNK)
        if not block:
            return
        yield block


def read_lines(source: Any, limit: int) -> Iterator[tuple[int, bytes | str]]:
    """The lines of ``source`` with their numbers, without their ``\\n``.

    ``source`` is a path, a binary stream (best), a text stream (its ``buffer`` is read
    when it has one, so that ``sys.stdin`` is split at ``\\n`` only), or an iterable of
    lines already split (each item is one line). A missing or unreadable path raises
    :class:`~acupoints.LoadError` here, before the first line.

    >>> import io
    >>> list(read_lines(io.BytesIO(b'{"a":\\r1}\\r\\n\\n{}'), 100))
    [(1, b'{"a":\\r1}\\r'), (2, b''), (3, b'{}')]
    >>> list(read_lines(io.BytesIO(b"x" * 10 + b"\\nok\\n"), 4))
    [(1, b'xxxxx'), (2, b'ok')]
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed by the generator below
        except FileNotFoundError:
            raise LoadError([Problem(str(name), 1, 1, "not-found", "no such file")]) from None
        except IsADirectoryError:
            raise LoadError(
                [Problem(str(name), 1, 1, "not-a-file", "this is a folder, not a file")]
            ) from None
        except OSError as exc:
            raise LoadError([Problem(str(name), 1, 1, "unreadable", exc.strerror or str(exc))]) from None
        return _closing(stream, limit)
    if hasattr(source, "read"):
        stream = getattr(source, "buffer", source)
        probe = stream.read(0)
        if isinstance(probe, bytes):
            return _split(_blocks(stream), limit, b"\n", BOM.encode("utf-8"))
        return _split(_blocks(stream), limit, "\n", BOM)
    return enumerate(source, start=1)


def _closing(stream: IO[bytes], limit: int) -> Iterator[tuple[int, Any]]:
    with stream:
        yield from _split(_blocks(stream), limit, b"\n", BOM.encode("utf-8"))
