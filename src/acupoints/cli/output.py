"""Where a command's output goes and how it looks there.

``-o FILE`` writes a file and ``-o -`` (or no ``-o``) standard output. Without
``--format``, a file's suffix chooses the format (``-o report.html``) from the output
formats' registry. On standard output the table wraps to the terminal's width (the
``COLUMNS`` variable first, as shells set it) and is coloured when standard output is a
terminal and ``NO_COLOR`` is not set; in a file or a pipe it is plain and unwrapped, so
that ``grep`` sees one line per point.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from ..render.ansi import wanted
from .exits import UsageError

__all__ = ["check", "colour", "emit", "format_name", "to_stdout", "width"]


def to_stdout(output: str | None) -> bool:
    """Whether ``-o`` names standard output: not given, or ``-``."""
    return output is None or output == "-"


def emit(text: str, output: str | None, source: Any = None) -> None:
    """Write ``text`` and a newline to the file ``output``, or to standard output.

    The file is written in one step, never onto ``source`` (the input's path or stream);
    an output that cannot be written is an :class:`~acupoints.runs.target.OutputError`
    (exit status 4), one naming the input a usage error (2).
    """
    if to_stdout(output):
        print(text)
        return
    from ..runs.target import write_atomically

    assert output is not None
    write_atomically(output, text, source)


def check(output: str | None, source: Any = None) -> None:
    """Refuse an ``-o`` that cannot be written, or names the input, before any work."""
    if not to_stdout(output):
        from ..runs.target import check_output

        assert output is not None
        check_output(output, source)


def format_name(given: str | None, output: str | None, default: str) -> str:
    """The output format: ``--format`` when given, else the one the file's suffix names,
    else ``default``. A suffix no format has is a usage error naming the known ones."""
    if given:
        return given
    if to_stdout(output):
        return default
    from ..render.formats import FORMATS, for_suffix

    suffix = Path(str(output)).suffix
    if not suffix:
        return default
    found = for_suffix(suffix)
    if found is None:
        known = ", ".join(f"{s} ({r.name})" for r in FORMATS.values() for s in r.suffixes)
        raise UsageError(f"no output format writes {suffix!r} files; give --format, or one of: {known}")
    return found.name


def width(stream: IO[Any] | None = None, environ: Mapping[str, str] | None = None) -> int | None:
    """The width to wrap standard output to: ``COLUMNS`` when set to a number, else the
    terminal's, else None (a pipe or a file: no wrapping)."""
    environ = os.environ if environ is None else environ
    stream = sys.stdout if stream is None else stream
    columns = environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        pass
    return None


def colour(stream: IO[Any] | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour standard output: a terminal, and ``NO_COLOR`` not set."""
    return wanted(sys.stdout if stream is None else stream, os.environ if environ is None else environ)
