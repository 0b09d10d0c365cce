"""One line of a batch run, and a chunk of lines: whatever a line holds, it never stops the run.

A line is read the one way every case is read (:meth:`~acupoints.Case.from_json_line`:
bounded, UTF-8, duplicate keys refused, the case limits), then suggested for and
written in the run's format. Anything that goes wrong on the way, for any reason (a
problem of the case, an unknown tender point found by the engine, an error nobody
foresaw), makes the line a *bad line*: its problems, placed at its true line number,
and no output. Blank lines (nothing but JSON whitespace) are counted and skipped.

The output of a chunk is one block of UTF-8 bytes, so that worker processes send one
string back and the run writes it with one call. Text that cannot be UTF-8 (a lone
surrogate from anywhere) makes its line bad instead of the output invalid.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..base.errors import LoadError, Problem

if TYPE_CHECKING:
    from ..case.model import Case as CaseModel
    from ..engine.engine import Engine
    from ..engine.result import Suggestion

__all__ = [
    "BadLine",
    "ChunkOutcome",
    "StreamLike",
    "is_blank",
    "run_chunk",
    "run_line",
    "run_one",
    "stream_of",
]


@functools.cache
def _case_model() -> type[CaseModel]:
    """The case model, imported on first use (the command line starts without pydantic)."""
    from ..case.model import Case

    return Case


#: How much of an unforeseen error's text a problem repeats.
MAX_ERROR_TEXT = 200
_JSON_BLANKS = " \t\r\n"


class StreamLike(Protocol):
    """What a run needs of its output format (:class:`acupoints.render.formats.Stream`)."""

    @property
    def entry(self) -> Callable[[int, Suggestion], str]: ...

    @property
    def between(self) -> str: ...


@dataclass(frozen=True)
class BadLine:
    """A line that gave no result: its number and its problems, with where in its
    chunk's output its result would have been and the chunk's counts before it
    (``--strict`` writes the output up to there, and counts up to there)."""

    line: int
    offset: int
    problems: tuple[Problem, ...]
    written: int = 0
    referred: int = 0
    blank: int = 0


@dataclass(frozen=True)
class ChunkOutcome:
    """What a run of consecutive lines gave."""

    first: int
    last: int
    data: bytes
    written: int
    referred: int
    blank: int
    bad: tuple[BadLine, ...]


def _placed(problems: Sequence[Problem], name: str, number: int) -> tuple[Problem, ...]:
    """Problems at the line's number in the input (the engine's own say ``<case>:1``)."""
    return tuple(
        p
        if (p.path, p.line) == (name, number)
        else Problem(name, number, p.column, p.code, p.message, p.severity)
        for p in problems
    )


def _unforeseen(name: str, number: int, exc: BaseException) -> tuple[Problem, ...]:
    text = repr(str(exc))[1:-1]  # one line, control characters escaped
    if len(text) > MAX_ERROR_TEXT:
        text = text[:MAX_ERROR_TEXT] + "..."
    message = f"this line could not be run ({type(exc).__name__}: {text}); please report it"
    return (Problem(name, number, 1, "internal-error", message),)


def is_blank(raw: bytes | str) -> bool:
    """Nothing but JSON whitespace (a line of other spaces is not blank: JSON refuses it)."""
    if isinstance(raw, bytes):
        return not raw.strip(b" \t\r\n")
    return not raw.strip(_JSON_BLANKS)


def stream_of(name: str) -> StreamLike:
    """The batch output format of that name (a worker looks it up by name)."""
    from ..render.formats import get_stream

    return get_stream(name)


def run_line(
    engine: Engine, name: str, number: int, raw: bytes | str, stream: StreamLike
) -> tuple[bytes | None, bool, tuple[Problem, ...]]:
    """One non-blank line: (its entry as UTF-8 bytes or None, referred?, its problems)."""
    try:
        case = _case_model().from_json_line(raw, name, number)
        suggestion = engine.suggest(case)
        text = stream.entry(number, suggestion)
        return text.encode("utf-8"), suggestion.status == "refer", ()
    except LoadError as exc:  # the case's problems, or the engine's (an unknown tender point)
        return None, False, _placed(exc.problems, name, number)
    except Exception as exc:  # any reason at all: the line is reported, the run goes on
        return None, False, _unforeseen(name, number, exc)


def run_one(engine: Engine, name: str, number: int, raw: bytes | str, stream: StreamLike) -> ChunkOutcome:
    """One line as a chunk of its own (what :func:`run_chunk` gives for it, made directly:
    a run in one process takes its lines one at a time)."""
    if is_blank(raw):
        return ChunkOutcome(number, number, b"", 0, 0, 1, ())
    data, refer, problems = run_line(engine, name, number, raw, stream)
    if data is None:
        return ChunkOutcome(number, number, b"", 0, 0, 0, (BadLine(number, 0, problems),))
    return ChunkOutcome(number, number, data + b"\n", 1, int(refer), 0, ())


def run_chunk(
    engine: Engine, name: str, lines: Sequence[tuple[int, bytes | str]], stream: StreamLike
) -> ChunkOutcome:
    """Consecutive numbered lines: their entries (each ended by a newline, ``between``
    between two of them), their counts, and their bad lines."""
    parts: list[bytes] = []
    size = written = referred = blank = 0
    bad: list[BadLine] = []
    between = stream.between.encode("utf-8")
    for number, raw in lines:
        if is_blank(raw):
            blank += 1
            continue
        data, refer, problems = run_line(engine, name, number, raw, stream)
        if data is None:
            bad.append(BadLine(number, size, problems, written, referred, blank))
            continue
        if written and between:
            parts.append(between)
            size += len(between)
        parts.append(data)
        parts.append(b"\n")
        size += len(data) + 1
        written += 1
        referred += refer
    first = lines[0][0] if lines else 0
    last = lines[-1][0] if lines else 0
    return ChunkOutcome(first, last, b"".join(parts), written, referred, blank, tuple(bad))
