"""Workload 2: the shipped rulebook over generated valid cases.

The main row is what a batch run does for every case: a dict in the case format is
validated, the engine suggests, and the whole JSON result is built (``to_dict()``: every
point with its rules, principles, sources, the "why" and how each rule found it; the
exclusions, plan, advice and warnings). Each run uses a new engine, so the engine's
caches start empty, as in a new process. Rates are given per second of wall-clock time
and per second of CPU time; the percentiles are of each case's CPU time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from acupoints import Case, Engine

from .timing import percentile, repeat


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


def _run(items: list[Any], step: Step, base: Engine) -> Callable[[], None]:
    """A run over every item with a new engine."""

    def run() -> None:
        engine = _fresh(base)
        for item in items:
            step(engine, item)

    return run


def _per_item_cpu_ns(items: list[Any], step: Step, base: Engine) -> list[int]:
    """Each item's CPU time in ns, over one run with a new engine."""
    engine = _fresh(base)
    clock = time.thread_time_ns
    out = []
    for item in items:
        start = clock()
        step(engine, item)
        out.append(clock() - start)
    return out


def _row(name: str, items: list[Any], step: Step, base: Engine, runs: int) -> RealRow:
    timed = repeat(_run(items, step, base), runs)
    # Percentiles from one more run that times each case (the clock costs about 1 µs a read).
    per_case = sorted(_per_item_cpu_ns(items, step, base))
    return RealRow(
        name=name,
        cases_per_second=timed.rate(len(items)),
        cpu_cases_per_second=timed.cpu_rate(len(items)),
        p50_us=percentile(per_case, 0.50) / 1000,
        p99_us=percentile(per_case, 0.99) / 1000,
        runs=timed.seconds,
    )


def _suggest_dict(engine: Engine, case: Any) -> Any:
    return engine.suggest(case).to_dict()


def _explain(engine: Engine, target: tuple[Case, str]) -> Any:
    return engine.explain(*target).to_dict()


def run_real(dicts: list[dict[str, Any]], runs: int) -> RealResult:
    """Measure the shipped rulebook over ``dicts``."""
    base = Engine.default()
    validated = [Case.from_dict(d) for d in dicts]
    sample = [base.suggest(c) for c in validated]
    # Explain one point per case: the top suggestion, or a common point when none.
    targets = [(c, s.points[0].code if s.points else "LI4") for c, s in zip(validated, sample, strict=True)]
    rows = (
        _row("dict in, suggest, to_dict() (the batch path)", dicts, _suggest_dict, base, runs),
        _row("Case in, suggest (engine only)", validated, lambda e, c: e.suggest(c), base, runs),
        _row("Case in, suggest, to_dict()", validated, lambda e, c: e.suggest(c).to_dict(), base, runs),
        _row("Case in, explain(case, point) for one point", targets, _explain, base, max(1, runs // 2)),
    )
    return RealResult(
        rows=rows,
        cases=len(dicts),
        rules=len(base.rulebook),
        referred=sum(s.status == "refer" for s in sample) / len(sample),
        mean_points=sum(len(s.points) for s in sample) / len(sample),
        mean_fired=sum(len(s.rules_fired) for s in sample) / len(sample),
    )
