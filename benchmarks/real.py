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
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from acupoints import Case, Engine
from acupoints.runs.batch import one_line

from .cases import valid_cases
from .timing import percentile, repeat

#: Cases (another seed) that a long-lived engine has served before the steady-state row.
WARM_CASES = 20_000


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
class RealResult:
    rows: tuple[RealRow, ...]
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


def _row(name: str, items: list[Any], step: Step, new_engine: Callable[[], Engine], runs: int) -> RealRow:
    """``step`` over every item, each run on an engine from ``new_engine`` (built untimed)."""
    holder: list[Engine] = []

    def setup() -> None:
        holder[:] = [new_engine()]

    def run() -> None:
        engine = holder[0]
        for item in items:
            step(engine, item)

    timed = repeat(run, runs, setup=setup)
    # Percentiles from one more run that times each case (the clock costs about 1 µs a read).
    setup()
    per_case = sorted(_per_item_cpu_ns(items, step, holder[0]))
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


def _batch_line(engine: Engine, item: tuple[int, str]) -> Any:
    return one_line(engine, "cases.jsonl", item[0], item[1])


def _explain(engine: Engine, target: tuple[Case, str]) -> Any:
    return engine.explain(*target).to_dict()


def run_real(dicts: list[dict[str, Any]], runs: int) -> RealResult:
    """Measure the shipped rulebook over ``dicts``."""
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
        rows = (
            _row("Engine.suggest, Case in (explanations included)", validated, _suggest, fresh, runs),
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
        cases=len(dicts),
        rules=len(base.rulebook),
        referred=sum(s.status == "refer" for s in sample) / len(sample),
        mean_points=sum(len(s.points) for s in sample) / len(sample),
        mean_fired=sum(len(s.rules_fired) for s in sample) / len(sample),
    )
