"""Workload 2: the shipped rulebook over generated valid cases.

The main row is the target of the design: ``Engine.suggest`` on validated cases, the
result with its explanations (every point with its rules, principles, sources, the "why"
and how each rule found it; the exclusions, plan, advice and warnings). The other rows
add what a batch run does around it: a JSON line in, validated, suggested, and the JSON
line out (``suggest-batch``), or a dict in and ``to_dict()`` out; and one that explains
a point per case. Each run uses a new engine, so the engine's caches start empty, as in
a new process; one row shows an engine that has already served other cases. Rates are
given per second of wall-clock time and per second of CPU time; the percentiles are of
each case's CPU time.

The main row's engine is also timed interleaved, run by run, with two others that the
speed guard rail of the knowledge issue compares it with (:mod:`benchmarks.baseline`): the
plain-Python reference loop (:mod:`benchmarks.reference`) and the engine over only the rule
files shipped before that issue. Those turns keep the garbage collector's full
collections out (:func:`benchmarks.timing.interleave`), so the row's own rate comes from
runs of its own, with the collector as usual.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from acupoints import Case, Engine, load_rulebook, shipped_rules
from acupoints.rulebook.view import CaseView
from acupoints.runs.outcome import run_one, stream_of

from .baseline import (
    BASELINE_FILE,
    Baseline,
    BaselineError,
    RuleFiles,
    load_baseline,
    paired_ratios,
    pooled_ratio,
    rule_files_since,
)
from .cases import valid_cases
from .reference import PASSES, REFERENCE, reference_loop
from .timing import COLLECTION, Timed, interleave, percentile, repeat

#: What the guard's ratio is measured against, and how: the baseline records the same.
MEASURED_AS = f"{REFERENCE}; {COLLECTION}"
#: Cases (another seed) that a long-lived engine has served before the steady-state row.
WARM_CASES = 20_000
#: Cases per turn when the main row, the previous rulebook and the reference loop take
#: turns: each turn lasts some milliseconds, shorter than the machine's swings.
CHUNK = 250
#: Cases over which each rule file added since the baseline is timed on its own (the
#: first of workload 2's cases): enough for the ratio, and a file costs seconds, not a minute.
FILE_CASES = 4_000


@dataclass(frozen=True)
class RealRow:
    """One way of running workload 2, measured."""

    name: str
    cases_per_second: float
    cpu_cases_per_second: float
    p50_us: float
    p99_us: float
    runs: tuple[float, ...]


@dataclass(frozen=True)
class FileCost:
    """What one rule file added since the baseline costs on its own: the previous rulebook
    with this file, timed in turns with the previous rulebook alone."""

    name: str
    rules: int  # rules the file adds
    tested: float  # of them, tested per case: those the rule index could not settle
    fired: float  # of them, fired per case (with every shipped file)
    ratio: float  # rate with the previous files and this one / rate with the previous files
    ratios: tuple[float, ...]  # the same, run by run
    cases: int  # the cases timed


@dataclass(frozen=True)
class Guard:
    """The speed guard rail's measurements, from the interleaved runs of the main row."""

    reference_ratio: float  # engine rate / reference loop rate, over all the runs together
    previous_ratio: float  # engine rate / rate with the previous rule files, likewise
    reference_ratios: tuple[float, ...]  # the same, run by run
    previous_ratios: tuple[float, ...]
    reference_cpu_rate: float  # cases per CPU second of the reference loop (every pass counted)
    previous_cpu_rate: float
    previous_rules: int
    files: RuleFiles
    new_packs: tuple[str, ...]
    reference: str
    baseline: Baseline | None
    problem: str  # why there is no baseline, when there is none
    #: Each file added since, timed alone on top of the previous rulebook (see file_costs).
    file_costs: tuple[FileCost, ...] = ()


@dataclass(frozen=True)
class RealResult:
    rows: tuple[RealRow, ...]
    guard: Guard
    cases: int
    rules: int
    referred: float
    mean_points: float
    mean_fired: float


Step = Callable[[Engine, Any], Any]


def _fresh(base: Engine) -> Engine:
    return Engine(base.rulebook, base.catalog, base.max_points)


def _warmed(base: Engine, warm: list[Case]) -> Callable[[], Engine]:
    """New engines that have each served ``warm`` first (untimed), as a long-lived process."""

    def make() -> Engine:
        engine = _fresh(base)
        for case in warm:
            engine.suggest(case)
        return engine

    return make


def _per_item_cpu_ns(items: list[Any], step: Step, engine: Engine) -> list[int]:
    """Each item's CPU time in ns, over one run on ``engine``."""
    clock = time.thread_time_ns
    out = []
    for item in items:
        start = clock()
        step(engine, item)
        out.append(clock() - start)
    return out


def _chunked(
    items: list[Any], step: Step, new_engine: Callable[[], Engine]
) -> tuple[Callable[[range], None], Callable[[], None]]:
    """``(run, setup)`` for :func:`~benchmarks.timing.interleave`: ``step`` over the items
    at the indices given, on an engine that ``setup`` builds anew for each run."""
    holder: list[Engine] = []

    def setup() -> None:
        holder.clear()  # the last run's engine goes before the new one is built
        holder.append(new_engine())

    def run(indices: range) -> None:
        engine = holder[0]
        for i in indices:
            step(engine, items[i])

    return run, setup


def _row(name: str, items: list[Any], step: Step, new_engine: Callable[[], Engine], runs: int) -> RealRow:
    """``step`` over every item, each run on an engine from ``new_engine`` (built untimed)."""
    step_chunk, setup = _chunked(items, step, new_engine)
    everything = range(len(items))
    return _measured_row(name, items, step, new_engine, repeat(lambda: step_chunk(everything), runs, setup))


def _measured_row(
    name: str, items: list[Any], step: Step, new_engine: Callable[[], Engine], timed: Timed
) -> RealRow:
    """The row of runs already ``timed``, with percentiles from one more run."""
    # Percentiles from one more run that times each case (the clock costs about 1 µs a read).
    per_case = sorted(_per_item_cpu_ns(items, step, new_engine()))
    n = len(items)
    return RealRow(
        name=name,
        cases_per_second=timed.rate(n),
        cpu_cases_per_second=timed.cpu_rate(n),
        p50_us=percentile(per_case, 0.50) / 1000,
        p99_us=percentile(per_case, 0.99) / 1000,
        runs=timed.seconds,
    )


def _suggest(engine: Engine, case: Case) -> Any:
    return engine.suggest(case)


def _suggest_dict(engine: Engine, case: Any) -> Any:
    return engine.suggest(case).to_dict()


#: The batch output format of ``suggest-batch``'s default run: a JSON line per case.
_JSONL = stream_of("jsonl")


def _batch_line(engine: Engine, item: tuple[int, str]) -> Any:
    return run_one(engine, "cases.jsonl", item[0], item[1], _JSONL)


def _explain(engine: Engine, target: tuple[Case, str]) -> Any:
    return engine.explain(*target).to_dict()


def _shipped_files() -> list[str]:
    return sorted(f.name for f in shipped_rules().iterdir() if f.name.endswith(".yaml"))


def _two_rulebooks(
    base: Engine, baseline_file: Path
) -> tuple[Engine, Engine, RuleFiles, Baseline | None, str]:
    """Engines over every shipped rule file and over those shipped before the knowledge
    issue (the files the baseline lists that still ship), and the files compared.

    Both are loaded the same way, one after the other, so that neither has its rules
    laid out in memory differently from the other. Without a baseline both have every file.
    """
    shipped = _shipped_files()
    try:
        baseline: Baseline | None = load_baseline(baseline_file)
        problem = ""
    except BaselineError as exc:
        baseline, problem = None, str(exc)
    files = RuleFiles(tuple(shipped), (), ()) if baseline is None else rule_files_since(baseline, shipped)
    root, catalog = shipped_rules(), base.catalog

    def engine(names: tuple[str, ...]) -> Engine:
        return Engine(load_rulebook([root / f for f in names], catalog), catalog, base.max_points)

    return engine(tuple(shipped)), engine(files.kept), files, baseline, problem


def _joined(first: Timed, second: Timed) -> Timed:
    return Timed(
        first.seconds + second.seconds, first.cpu_seconds + second.cpu_seconds, first.results + second.results
    )


def file_costs(
    cases: list[Case], previous: Engine, kept: tuple[str, ...], added: tuple[str, ...],
    fired: list[tuple[str, ...]], runs: int,
) -> tuple[FileCost, ...]:  # fmt: skip
    """What each of the ``added`` rule files costs on its own: an engine over the ``kept``
    files and that one, timed in turns with ``previous`` (over the ``kept`` files alone)
    as the guard times the main row, in both orders (fewer runs: a file's runs differ by
    a few percent). ``fired`` holds the rules each case fired with every shipped file, to
    count the file's among them; the rule index of the engine with the file says how many
    of its rules each case tests.

    The ratios do not multiply to the whole rulebook's: files that fire on the same case
    often find the same points, and a point is ranked once however many rules found it."""
    root, catalog = shipped_rules(), previous.catalog
    before = {r.id for r in previous.rulebook.rules}
    n = len(cases)
    alone = _chunked(cases, _suggest, partial(_fresh, previous))
    half = max(1, runs // 4)  # runs in each order
    out = []
    for name in added:
        engine = Engine(
            load_rulebook([root / f for f in sorted((*kept, name))], catalog), catalog, previous.max_points
        )
        ids = {r.id for r in engine.rulebook.rules} - before
        index = engine.rulebook.index
        tested = sum(sum(r.id in ids for r, _ in index(CaseView.of(c).features).tests) for c in cases)
        with_file = _chunked(cases, _suggest, partial(_fresh, engine))
        a = interleave([with_file, alone], n, half, CHUNK)
        b = interleave([alone, with_file], n, half, CHUNK)
        mine, theirs = _joined(a[0], b[1]), _joined(a[1], b[0])
        out.append(FileCost(
            name=name, rules=len(ids), tested=tested / n, fired=sum(len(ids.intersection(f)) for f in fired) / n,
            ratio=pooled_ratio(mine.cpu_seconds, theirs.cpu_seconds, n, n),
            ratios=tuple(paired_ratios(mine.cpu_seconds, theirs.cpu_seconds, n, n)), cases=n,
        ))  # fmt: skip
    return tuple(out)


def _guarded_main_row(
    validated: list[Case], dicts: list[dict[str, Any]], base: Engine, runs: int, baseline_file: Path,
    fired: list[tuple[str, ...]],
) -> tuple[RealRow, Guard]:  # fmt: skip
    """The main row, timed in turns with the previous rulebook and the reference loop; then
    each rule file added since, on its own (:func:`file_costs`, over the first cases)."""
    current, previous, files, baseline, problem = _two_rulebooks(base, baseline_file)
    fresh, fresh_previous = partial(_fresh, current), partial(_fresh, previous)
    n = len(validated)
    main, before, loop = (
        _chunked(validated, _suggest, fresh),
        _chunked(validated, _suggest, fresh_previous),
        reference_loop(dicts),
    )
    # Whichever engine comes first in the list of variants runs about 8% faster, for no
    # reason found (orders, setups and first turns are balanced). So half of the runs list
    # the two engines the other way round.
    half = max(1, -(-runs // 2))
    a = interleave([main, before, loop], n, half, CHUNK)
    b = interleave([before, main, loop], n, half, CHUNK)
    timed, timed_previous, timed_loop = (_joined(a[0], b[1]), _joined(a[1], b[0]), _joined(a[2], b[2]))
    # The turns keep the collector's full collections out (see `interleave`), so the row's
    # own rate, which a real run pays them in, comes from runs of its own.
    row = _row("Engine.suggest, Case in (explanations included)", validated, _suggest, fresh, runs)
    guard = Guard(
        reference_ratio=pooled_ratio(timed.cpu_seconds, timed_loop.cpu_seconds, n, n * PASSES),
        previous_ratio=pooled_ratio(timed.cpu_seconds, timed_previous.cpu_seconds, n, n),
        reference_ratios=tuple(paired_ratios(timed.cpu_seconds, timed_loop.cpu_seconds, n, n * PASSES)),
        previous_ratios=tuple(paired_ratios(timed.cpu_seconds, timed_previous.cpu_seconds, n, n)),
        reference_cpu_rate=timed_loop.cpu_rate(n * PASSES),
        previous_cpu_rate=timed_previous.cpu_rate(n),
        previous_rules=len(previous.rulebook),
        files=files,
        new_packs=tuple(
            p for p in current.rulebook.packs if baseline is not None and p not in baseline.packs
        ),
        reference=MEASURED_AS,
        baseline=baseline,
        problem=problem,
        file_costs=file_costs(
            validated[:FILE_CASES], previous, files.kept, files.new, fired[:FILE_CASES], runs
        )
        if baseline is not None
        else (),
    )
    return row, guard


def run_real(dicts: list[dict[str, Any]], runs: int, baseline_file: Path = BASELINE_FILE) -> RealResult:
    """Measure the shipped rulebook over ``dicts``; compare with the baseline in ``baseline_file``."""
    base = Engine.default()
    validated = [Case.from_dict(d) for d in dicts]
    lines = [json.dumps(d) for d in dicts]
    warm = [Case.from_dict(d) for d in valid_cases(WARM_CASES, seed=1)]
    sample = [base.suggest(c) for c in validated]
    # Explain one point per case: the top suggestion, or a common point when none.
    targets = [(c, s.points[0].code if s.points else "LI4") for c, s in zip(validated, sample, strict=True)]
    # The inputs stay alive through every run (about 500,000 objects). Frozen out of the
    # garbage collector, its full collections walk what the engine makes, not the
    # harness's lists again and again: a streaming batch holds one case at a time.
    gc.collect()
    gc.freeze()
    fresh = partial(_fresh, base)
    try:
        main, guard = _guarded_main_row(validated, dicts, base, runs, baseline_file,
                                        [s.rules_fired for s in sample])  # fmt: skip
        rows = (
            main,
            _row(f"the same, on an engine that has served {WARM_CASES:,} other cases first", validated,
                 _suggest, _warmed(base, warm), runs),
            _row("JSON line in, validated, suggested, JSON line out (suggest-batch, per line)",
                 list(enumerate(lines, 1)), _batch_line, fresh, runs),
            _row("dict in, validated, suggested, to_dict()", dicts, _suggest_dict, fresh, runs),
            _row("Case in, explain(case, point) for one point", targets, _explain, fresh, max(1, runs // 2)),
        )  # fmt: skip
    finally:
        gc.unfreeze()
    return RealResult(
        rows=rows,
        guard=guard,
        cases=len(dicts),
        rules=len(base.rulebook),
        referred=sum(s.status == "refer" for s in sample) / len(sample),
        mean_points=sum(len(s.points) for s in sample) / len(sample),
        mean_fired=sum(len(s.rules_fired) for s in sample) / len(sample),
    )
