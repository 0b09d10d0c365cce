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
number. Output order is input order, also with several worker processes.

No line stops a run. The input is split at ``\\n`` only and each line is read the one
way every case is read (:meth:`~acupoints.Case.from_json_line`); a line that fails for
any reason is reported on standard error with its true line number and column
(``cases.jsonl:7:18: error[unknown-word] ...``), counted and skipped (see
:mod:`.outcome`). With ``strict=True`` the run stops there with a
:class:`~acupoints.CaseError`. Blank lines are skipped silently. Lines are read, and
results written, as they go: the memory used does not grow with the number of cases.

A run to a file writes ``FILE.part`` and renames it to ``FILE`` at the end; a run that
stops early leaves ``FILE`` as it was, and ``resume=True`` goes on from the last
complete line (:mod:`.target`, :mod:`.resume`). With ``signals=True`` (the command
line), SIGINT and SIGTERM stop the run cleanly: the workers end, and
:attr:`BatchStats.stopped` names the signal. How work is shared between processes is in
:mod:`.schedule` and :mod:`.pool`.

The command ``acupoints suggest-batch`` is registered by :func:`add_batch_command`.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import signal
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, Union

from ..base.errors import CaseError, Problem
from ..render.escape import terminal
from ..render.formats import get_stream, stream_names
from .outcome import BadLine, ChunkOutcome
from .progress import LineCount, Progress
from .resume import Checkpoint, ResumeError, checkpoint_path, input_identity, remove
from .schedule import outcomes
from .source import first_look, open_input
from .stop import Signals, Stop
from .target import PART_SUFFIX, FileTarget, StreamTarget, check_output

if TYPE_CHECKING:
    from ..engine.engine import Engine

__all__ = ["EXIT", "BatchStats", "add_batch_command", "run_batch"]

#: A path, an open file (binary is best: it is split at ``\n`` only), or any iterable of lines.
BatchInput = Union[str, "os.PathLike[str]", IO[str], IO[bytes], Iterable[str], Iterable[bytes]]
BatchOutput = Union[str, "os.PathLike[str]", IO[str], IO[bytes]]

#: How many bad lines :class:`BatchStats` keeps (all of them are counted and reported).
KEEP_PROBLEMS = 100
DEFAULT_CHUNK = 256
#: At most this many bad lines are held back while an input seems not to be JSON Lines.
HOLD_AT_MOST = 1000
#: Seconds between two checkpoints of a run to a file.
CHECKPOINT_EVERY = 1.0
#: The exit statuses of ``acupoints suggest-batch`` (documented in docs/errors.md).
EXIT: Mapping[str, int] = {
    "ok": 0,  # every line was a case and has its result
    "skipped": 1,  # the run went to the end; some lines were reported and skipped
    "usage": 2,  # could not run: the arguments, the input, the rules; or --strict stopped
    "output": 4,  # could not run: the output cannot be written
}


@dataclass
class BatchStats:
    """What a batch run did: counts, time, the first bad lines' problems, how far it got."""

    read: int = 0
    written: int = 0
    bad: int = 0
    blank: int = 0
    referred: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    #: The last input line whose outcome is written or reported.
    reached: int = 0
    #: The line a resumed run went on after (0: from the start).
    resumed_after: int = 0
    #: The signal that stopped the run ("SIGINT", "SIGTERM"), or None.
    stopped: str | None = None
    #: Where the complete results of a run that stopped early are kept, if anywhere.
    kept: str | None = None

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
        text = (
            f"{self.read} case(s): {self.written} written ({self.referred} referred){bad} "
            f"in {self.seconds:.2f} s ({self.rate:,.0f} cases/s)"
        )
        if self.resumed_after:
            text += f"; resumed after line {self.resumed_after}"
        if self.stopped:
            text += f"\nstopped by {self.stopped} after line {self.reached}"
            if self.kept:
                text += f"; the results so far are in {self.kept}: run again with --resume to go on"
        return text


# -- the run ----------------------------------------------------------------------------
class _Mark(NamedTuple):
    """A point where output, counts and line reached agree (what a checkpoint records);
    a named tuple, as one is made a chunk."""

    line: int = 0
    size: int = 0
    read: int = 0
    written: int = 0
    bad: int = 0
    blank: int = 0
    referred: int = 0


class _Run:
    """One run: its target, its counts, its checkpoints.

    When the first line says the input is not JSON Lines (``verdict``), the problems of
    the bad lines are held back until a line turns out to be a case (then they are all
    given, in order) or the input ends without one (then the verdict is the one error).
    """

    def __init__(self, target: FileTarget | StreamTarget, stats: BatchStats, between: str,
                 checkpoint: Checkpoint | None, progress: Progress, strict: bool,
                 verdict: Problem | None = None) -> None:  # fmt: skip
        self.verdict = verdict
        self.held: list[BadLine] | None = [] if verdict is not None else None
        self.target = target
        self.stats = stats
        self.between = between.encode("utf-8")
        self.checkpoint = checkpoint
        self.progress = progress
        self.strict = strict
        self.last_saved = time.monotonic()
        self.mark = self._marked()

    def _marked(self) -> _Mark:
        s = self.stats
        return _Mark(s.reached, self.target.size, s.read, s.written, s.bad, s.blank, s.referred)

    def take(self, outcome: ChunkOutcome) -> None:
        """Write a chunk's results, report its bad lines, count; stop at a bad line if strict."""
        stats = self.stats
        if outcome.bad:
            self.progress.clear()
        if self.strict and outcome.bad:
            first = outcome.bad[0]
            if self.verdict is not None and self.held is not None and first.written == 0:
                raise CaseError([self.verdict])
            self._write(outcome.data[: first.offset], first.written)
            stats.read += first.written + 1
            stats.referred += first.referred
            stats.blank += first.blank
            stats.bad += 1
            stats.reached = first.line - 1
            self.mark = self._marked()
            raise CaseError(first.problems)
        self._write(outcome.data, outcome.written)
        stats.read += outcome.written + len(outcome.bad)
        stats.referred += outcome.referred
        stats.blank += outcome.blank
        stats.bad += len(outcome.bad)
        report: Sequence[BadLine] = outcome.bad
        if self.held is not None:
            if outcome.written == 0 and len(self.held) + len(report) <= HOLD_AT_MOST:
                self.held += report
                report = ()
            else:
                report, self.held = [*self.held, *report], None
        for bad in report:
            if len(stats.problems) < KEEP_PROBLEMS:
                stats.problems.extend(bad.problems[: KEEP_PROBLEMS - len(stats.problems)])
            for p in bad.problems:
                print(terminal(p), file=sys.stderr)  # a line's text never drives the terminal
        stats.reached = outcome.last
        self.mark = self._marked()
        self.progress.update(stats.reached, stats.written, stats.bad)
        if self.checkpoint is not None and time.monotonic() - self.last_saved >= CHECKPOINT_EVERY:
            self.save()

    def _write(self, data: bytes, written: int) -> None:
        if not data:
            return
        if self.between and self.stats.written:
            self.target.write(self.between)
        self.target.write(data)
        self.stats.written += written

    def save(self) -> None:
        """Record the last mark (after handing the results it counts to the system)."""
        if self.checkpoint is None or not isinstance(self.target, FileTarget):
            return
        self.target.flush()
        m = self.mark
        self.checkpoint = replace(
            self.checkpoint, line=m.line, output_bytes=m.size, read=m.read, written=m.written, bad=m.bad,
            blank=m.blank, referred=m.referred,
        )  # fmt: skip
        self.checkpoint.save(checkpoint_path(self.target.path))
        self.last_saved = time.monotonic()


def _resumed(path: Path, identity: tuple[str, int, int], wanted: dict[str, Any]) -> Checkpoint | None:
    """The checkpoint a resumed run goes on from (None: there is none, start afresh)."""
    earlier = Checkpoint.load(checkpoint_path(path))
    if earlier is None:
        print(f"{path}: no interrupted run to resume; starting at line 1", file=sys.stderr)
        return None
    part = path.with_name(path.name + PART_SUFFIX)
    why = earlier.problem(identity, wanted, part.stat().st_size if part.exists() else None)
    if why is not None:
        raise ResumeError(f"{path}: cannot resume: {why}")
    return earlier


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
    resume: bool = False,
    signals: bool = False,
    adaptive: bool = True,
    settings: Mapping[str, Any] | None = None,
) -> BatchStats:
    """Suggest points for every case of a JSON Lines input; write each result in ``format``.

    ``input`` is a path, an open file (binary or text), or any iterable of lines;
    ``output`` a path (written through ``FILE.part``, renamed at the end) or an open file
    (left open). ``workers > 1`` lets that many processes, each with a copy of the engine,
    run chunks of ``chunk_size`` lines once the run is big enough to gain from them
    (``adaptive=False``: at once, for every line); the output order is still the input
    order. ``progress=None`` shows a progress line only when standard error is a
    terminal. ``format`` is ``"jsonl"`` or another of
    :func:`~acupoints.render.formats.stream_names`.

    Raises :class:`~acupoints.CaseError` on the first bad line when ``strict`` (the lines
    before it are written) and for an input that is not JSON Lines at all; a
    :class:`~acupoints.LoadError` for an input that cannot be read; an
    :class:`~acupoints.runs.target.OutputError` for an output that cannot be written.

    ``resume=True`` goes on from the checkpoint of an earlier run to the same output
    file, if there is one; ``settings`` are what else must match for that (the rule
    files, say). ``signals=True`` makes SIGINT and SIGTERM stop the run cleanly instead
    of ending the process (the main thread only): the stats then name the signal.
    """
    stream = get_stream(format)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    path = check_output(output, input) if isinstance(output, (str, os.PathLike)) else None
    name, lines, input_path = open_input(input)
    if resume and (path is None or input_path is None):
        raise ResumeError("resuming needs an input file and an output file (-o FILE)")
    lines, verdict = first_look(name, lines)
    if engine is None:
        from ..engine.engine import Engine

        engine = Engine.default()
    stats = BatchStats()
    checkpoint: Checkpoint | None = None
    target: FileTarget | StreamTarget
    if path is None:
        target = StreamTarget(output)  # type: ignore[arg-type]
    else:
        wanted = {"format": format, **(settings or {})}
        identity = input_identity(input_path) if input_path is not None else (name, 0, 0)
        earlier = _resumed(path, identity, wanted) if resume else None
        if earlier is None:
            remove(checkpoint_path(path))  # an older run's checkpoint no longer fits
            target = FileTarget(path)
            checkpoint = Checkpoint(*identity, settings=wanted)
        else:
            target = FileTarget(path, append_at=earlier.output_bytes)
            checkpoint = earlier
            stats = BatchStats(read=earlier.read, written=earlier.written, bad=earlier.bad, blank=earlier.blank,
                               referred=earlier.referred, reached=earlier.line, resumed_after=earlier.line)  # fmt: skip
            lines = itertools.dropwhile(lambda item: item[0] <= earlier.line, lines)
    if progress is None:
        progress = sys.stderr.isatty()
    count = LineCount(input_path) if input_path is not None and (progress or workers > 1) else None
    shown = Progress(progress, count, start=stats.reached)
    run = _Run(target, stats, stream.between, checkpoint, shown, strict, verdict)
    started = time.perf_counter()
    finished = False
    with Signals(signals) as stopper:
        results = outcomes(engine, name, lines, stream, format, workers, chunk_size, count, adaptive)
        try:
            for outcome in results:
                with stopper.holding():
                    run.take(outcome)
            if run.held and run.verdict is not None:  # not one line was a case
                raise CaseError([run.verdict])
            finished = True
        except Stop as stop:
            stats.stopped = stop.name
        finally:
            stopper.quiet()
            results.close()  # ends the workers at once when the run stops early
            stats.seconds = time.perf_counter() - started
            shown.done(stats.reached, stats.written, stats.bad)
            if finished:
                target.commit()
                if path is not None:
                    remove(checkpoint_path(path))
            else:
                with contextlib.suppress(OSError):  # a full disk may refuse the checkpoint too
                    run.save()
                target.stop()
                if isinstance(target, FileTarget):
                    stats.kept = str(target.part)
                    if run.held:  # not JSON Lines: nothing to resume
                        remove(target.part, checkpoint_path(target.path))
                        stats.kept = None
    return stats


# -- the command ------------------------------------------------------------------------
def _cmd_suggest_batch(args: argparse.Namespace) -> int:
    from ..engine.engine import Engine

    source: BatchInput = sys.stdin if args.cases == "-" else args.cases
    target: BatchOutput = sys.stdout if args.output in (None, "-") else args.output
    if args.resume and target is sys.stdout:
        raise ResumeError("--resume needs the output in a file (-o FILE), where the interrupted run wrote")
    if isinstance(target, str):
        check_output(target, source)  # before the rules load: a wrong -o fails at once
    rules, added = args.rules or [], args.add_rules or []
    # --rules replaces the shipped packs, --add-rules adds to them; safety stays either way.
    engine = (
        Engine.from_paths(*rules, *added)
        if rules
        else Engine.with_packs(*added)
        if added
        else Engine.default()
    )
    # What a resumed run must share with the interrupted one, besides the input and format.
    given = {"rules": sorted(map(os.path.abspath, rules)), "add_rules": sorted(map(os.path.abspath, added))}
    stats = run_batch(
        source, target, strict=args.strict, workers=args.workers or (os.cpu_count() or 1),
        progress=args.progress, engine=engine, format=args.format, resume=args.resume, signals=True,
        settings=given,
    )  # fmt: skip
    print(stats, file=sys.stderr)
    if stats.stopped:
        return 128 + signal.Signals[stats.stopped].value  # the shell's way: 130 for SIGINT, 143 for SIGTERM
    return EXIT["skipped"] if stats.bad else EXIT["ok"]


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

    Exit status (:data:`EXIT`, docs/errors.md): 0 when every line gave a result, 1 when
    bad lines were reported and skipped, 2 when the run could not start or ``--strict``
    stopped it, 4 when the output cannot be written, and 128 + the signal's number when
    SIGINT or SIGTERM stopped it (130, 143).
    """
    p: argparse.ArgumentParser = subparsers.add_parser(
        "suggest-batch",
        help="suggest points for every case of a JSON Lines file (one JSON result a line)",
        description="Read cases as JSON Lines (a file, or - for standard input) and write one JSON result "
        "a line, in input order, each with the input's line number as 'line'; --format markdown or "
        "table writes one report or table per case instead, headed with its line number. Bad lines "
        "are reported on standard error and skipped (exit 1), or stop the run with --strict (exit 2). "
        "A file given with -o is written whole at the end (FILE.part until then); a run stopped early "
        "(Ctrl-C, SIGTERM: exit 130, 143) goes on where it stopped with --resume.",
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
        "--resume",
        action="store_true",
        help="go on from where an interrupted run to the same -o FILE stopped (see FILE.part.json)",
    )
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
