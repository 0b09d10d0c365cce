"""Batch runs: JSON Lines of cases in, one result per case out, in constant memory.

>>> import io
>>> cases = io.StringIO('{"id": "a", "complaints": [{"region": "foot", "sensations": ["numbness"]}]}\\n')
>>> out = io.StringIO()
>>> stats = run_batch(cases, out, progress=False)
>>> stats.written, stats.bad
(1, 0)
>>> import json
>>> row = json.loads(out.getvalue())
>>> row["line"], row["case"], row["status"]
(1, 'a', 'suggested')

By default each output line is :meth:`Suggestion.to_dict` with the input line number
added as ``line`` (JSON Lines). ``format`` picks another of the formats that write one
case after another (:data:`acupoints.render.formats.STREAMS`): ``"markdown"`` gives one
report per case and ``"table"`` one text table per case, each headed with its input line
number. Output order is input order, also with several worker processes. A line that
is not a valid case is reported on standard error with its line number and column
(``cases.jsonl:7:18: error[unknown-word] ...``), counted and skipped; with ``strict=True``
the run stops there with a :class:`~acupoints.CaseError`. Blank lines are skipped
silently. Lines are read, and results written, as they go: the memory used does not grow
with the number of cases.

The command ``acupoints suggest-batch`` is registered by :func:`add_batch_command`.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Union

from ..base.errors import CaseError, LoadError, Problem
from ..render.formats import Stream, get_stream, stream_names

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..engine.engine import Engine

#: A path, an open text file, or any iterable of lines (a generator is read lazily).
BatchInput = Union[str, "os.PathLike[str]", Iterable[str], Iterable[bytes]]
BatchOutput = Union[str, "os.PathLike[str]", IO[str]]

#: How many bad lines :class:`BatchStats` keeps (all of them are counted and reported).
KEEP_PROBLEMS = 100
DEFAULT_CHUNK = 256


@dataclass
class BatchStats:
    """What a batch run did: counts, time, and the first bad lines' problems."""

    read: int = 0
    written: int = 0
    bad: int = 0
    blank: int = 0
    referred: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        """Line numbers of the bad lines kept in :attr:`problems` (the first ones)."""
        return list(dict.fromkeys(p.line for p in self.problems))

    @property
    def rate(self) -> float:
        """Cases per second."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        bad = f", {self.bad} bad line(s) skipped" if self.bad else ""
        return (
            f"{self.read} case(s): {self.written} written ({self.referred} referred){bad} "
            f"in {self.seconds:.2f} s ({self.rate:,.0f} cases/s)"
        )


# -- one line ---------------------------------------------------------------------------
#: The outcome of one line: (line number, its text in the output format or None for a bad
#: line, referred?, problems).
Outcome = tuple[int, str | None, bool, tuple[Problem, ...]]


def _problems(name: str, number: int, text: str, exc: LoadError | None) -> tuple[Problem, ...]:
    """The problems of a bad line, placed at its line number (and column where known)."""
    from ..case.model import Case

    found: tuple[Problem, ...] = exc.problems if exc is not None else ()
    try:
        # Parse again as YAML with positions, only to learn the columns.
        Case.from_text(text, name)
    except LoadError as positioned:
        found = positioned.problems
    except Exception:  # pragma: no cover - keep the problems already found
        pass
    if not found:  # pragma: no cover - from_text accepted what from_dict refused
        found = (Problem(name, 1, 1, "invalid-case", "not a valid case"),)
    return tuple(Problem(name, number, p.column, p.code, p.message, p.severity) for p in found)


def one_line(
    engine: Engine, name: str, number: int, raw: str | bytes, format: str = "jsonl"
) -> Outcome | None:
    """One input line of a batch run: its outcome, or None for a blank line.

    ``format`` names the output format (one of :func:`~acupoints.render.formats.stream_names`).
    """
    return _one_line(engine, name, number, raw, get_stream(format))


def _one_line(engine: Engine, name: str, number: int, raw: str | bytes, stream: Stream) -> Outcome | None:
    from ..case.model import Case

    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    text = text.strip()
    if not text:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return number, None, False, (Problem(name, number, exc.colno, "bad-json", exc.msg),)
    try:
        case = Case.from_dict(data, name)
    except LoadError as exc:
        return number, None, False, _problems(name, number, text, exc)
    suggestion = engine.suggest(case)
    return number, stream.entry(number, suggestion), suggestion.status == "refer", ()


# -- worker processes -------------------------------------------------------------------
_WORKER_ENGINE: Engine | None = None


def _init_worker(engine: Engine) -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = engine


def _work(name: str, chunk: list[tuple[int, str | bytes]], format: str) -> list[Outcome | None]:
    engine = _WORKER_ENGINE
    assert engine is not None, "worker started without an engine"
    stream = get_stream(format)  # the name travels to the worker; the stream is looked up here
    return [_one_line(engine, name, number, raw, stream) for number, raw in chunk]


def _chunks(lines: Iterable[str | bytes], size: int) -> Iterator[list[tuple[int, str | bytes]]]:
    chunk: list[tuple[int, str | bytes]] = []
    for number, raw in enumerate(lines, start=1):
        chunk.append((number, raw))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _context() -> Any:
    import multiprocessing

    # Not "fork": forking a process that runs threads may deadlock (Python 3.12 warns).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _parallel(
    engine: Engine, name: str, lines: Iterable[str | bytes], workers: int, chunk_size: int, format: str
) -> Iterator[Outcome | None]:
    """Outcomes in input order; at most ``2 * workers`` chunks are in flight at once."""
    from concurrent.futures import ProcessPoolExecutor  # only here: the CLI starts faster

    with ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_init_worker, initargs=(engine,)
    ) as pool:
        pending: collections.deque[Future[list[Outcome | None]]] = collections.deque()
        try:
            for chunk in _chunks(lines, chunk_size):
                pending.append(pool.submit(_work, name, chunk, format))
                if len(pending) >= 2 * workers:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            for f in pending:
                f.cancel()


# -- progress ---------------------------------------------------------------------------
class _Progress:
    """A progress line on standard error, redrawn at most five times a second."""

    def __init__(self, on: bool) -> None:
        self.on = on
        self.shown = False
        self.last = 0.0
        self.start = time.monotonic()

    def update(self, stats: BatchStats, force: bool = False) -> None:
        if not self.on:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        rate = stats.read / (now - self.start) if now > self.start else 0.0
        sys.stderr.write(f"\r{stats.read:,} cases, {stats.bad:,} bad, {rate:,.0f} cases/s")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            self.shown = False

    def done(self, stats: BatchStats) -> None:
        if self.on:
            self.update(stats, force=True)
            sys.stderr.write("\n")
            sys.stderr.flush()


# -- the run ----------------------------------------------------------------------------
def run_batch(
    input: BatchInput,
    output: BatchOutput,
    *,
    strict: bool = False,
    workers: int = 1,
    progress: bool | None = None,
    engine: Engine | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    format: str = "jsonl",
) -> BatchStats:
    """Suggest points for every case of a JSON Lines input; write each result in ``format``.

    ``input`` is a path, an open text (or binary) file, or any iterable of lines;
    ``output`` a path or an open text file (left open). ``workers > 1`` runs that many
    processes, each with a copy of the engine, on chunks of ``chunk_size`` lines; the
    output order is still the input order. ``progress=None`` shows a progress line only
    when standard error is a terminal. Raises :class:`~acupoints.CaseError` on the first
    bad line when ``strict``; the lines before it are already written. ``format`` is
    ``"jsonl"`` (one JSON result a line), or another name from
    :func:`~acupoints.render.formats.stream_names`; an unknown one raises
    :class:`~acupoints.UnknownWordError` before anything is read.
    """
    stream = get_stream(format)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    if engine is None:
        from ..engine.engine import Engine

        engine = Engine.default()
    if progress is None:
        progress = sys.stderr.isatty()
    stats = BatchStats()
    shown = _Progress(progress)
    started = time.perf_counter()
    with ExitStack() as stack:
        if isinstance(input, (str, os.PathLike)):
            name = os.fspath(input)
            lines: Iterable[str | bytes] = stack.enter_context(open(input, encoding="utf-8"))
        else:
            name = str(getattr(input, "name", "<input>"))
            lines = input
        if isinstance(output, (str, os.PathLike)):
            sink: IO[str] = stack.enter_context(open(output, "w", encoding="utf-8", newline="\n"))
        else:
            sink = output
        if workers == 1:
            outcomes: Iterable[Outcome | None] = (
                _one_line(engine, name, number, raw, stream) for number, raw in enumerate(lines, start=1)
            )
        else:
            outcomes = _parallel(engine, name, lines, workers, chunk_size, format)
        try:
            for outcome in outcomes:
                if outcome is None:
                    stats.blank += 1
                    continue
                stats.read += 1
                _, text, referred, problems = outcome
                if text is None:
                    if strict:
                        raise CaseError(problems)
                    stats.bad += 1
                    if len(stats.problems) < KEEP_PROBLEMS:
                        stats.problems.extend(problems[: KEEP_PROBLEMS - len(stats.problems)])
                    shown.clear()
                    for p in problems:
                        print(p, file=sys.stderr)
                else:
                    if stream.between and stats.written:
                        sink.write(stream.between)
                    sink.write(text + "\n")
                    stats.written += 1
                    stats.referred += referred
                shown.update(stats)
        finally:
            close = getattr(outcomes, "close", None)
            if close is not None:
                close()  # stops the worker pool at once when the run ends early
            sink.flush()
            stats.seconds = time.perf_counter() - started
            shown.done(stats)
    return stats


# -- the command ------------------------------------------------------------------------
def _cmd_suggest_batch(args: argparse.Namespace) -> int:
    from ..engine.engine import Engine

    rules, added = args.rules or [], args.add_rules or []
    # --rules replaces the shipped packs, --add-rules adds to them; safety stays either way.
    engine = (
        Engine.from_paths(*rules, *added)
        if rules
        else Engine.with_packs(*added)
        if added
        else Engine.default()
    )
    workers = args.workers or (os.cpu_count() or 1)
    source: BatchInput = sys.stdin if args.cases == "-" else args.cases
    target: BatchOutput = sys.stdout if args.output in (None, "-") else args.output
    stats = run_batch(
        source,
        target,
        strict=args.strict,
        workers=workers,
        progress=args.progress,
        engine=engine,
        format=args.format,
    )
    print(stats, file=sys.stderr)
    return 1 if stats.bad else 0


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a number of processes (0 or more), not {text!r}")
    return n


def add_batch_command(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``suggest-batch`` on the ``add_subparsers()`` object of the CLI.

    Exit status: 0 when every line was a valid case, 1 when bad lines were skipped, and
    (through the CLI's handling of :class:`~acupoints.LoadError`) 2 when ``--strict``
    stopped at one.
    """
    p: argparse.ArgumentParser = subparsers.add_parser(
        "suggest-batch",
        help="suggest points for every case of a JSON Lines file (one JSON result a line)",
        description="Read cases as JSON Lines (a file, or - for standard input) and write one JSON result "
        "a line, in input order, each with the input's line number as 'line'; --format markdown or "
        "table writes one report or table per case instead, headed with its line number. Bad lines "
        "are reported on standard error and skipped (exit 1), or stop the run with --strict (exit 2).",
    )
    p.add_argument("cases", help="a .jsonl file of cases, or - for standard input")
    p.add_argument("-o", "--output", help="the file to write (default: standard output)")
    p.add_argument(
        "--format",
        choices=stream_names(),
        default="jsonl",
        help="how to write each result (default: jsonl, one JSON result a line)",
    )
    p.add_argument("--strict", action="store_true", help="stop at the first bad line")
    p.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="worker processes (default 1; 0 for one per CPU)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress line on standard error (default: only when it is a terminal)",
    )
    p.add_argument(
        "--rules",
        action="append",
        help="rule file or folder instead of the shipped packs; the safety pack stays (repeatable)",
    )
    p.add_argument(
        "--add-rules",
        action="append",
        metavar="RULES",
        help="rule file or folder added on top of the shipped packs (repeatable)",
    )
    p.set_defaults(func=_cmd_suggest_batch)
    return p


__all__ = ["BatchStats", "add_batch_command", "run_batch"]
