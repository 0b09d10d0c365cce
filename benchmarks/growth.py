"""Workload 3: the same cases over synthetic rulebooks of growing size.

The rules (:func:`benchmarks.synthetic.growth_rules`) test a region and sensations in one
complaint, a cause, and an aspect, a nerve or a level. The report gives,
beside the time per case, how many rules the engine's index let through to be tested
(candidates) and how many held (fired): the first shows what the index saves, the second
is work any engine must do, since more rules match each case as the book grows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acupoints import Case, Engine
from acupoints.rulebook.conditions import CaseView

from .synthetic import growth_rules, write_rule_file
from .timing import repeat


@dataclass(frozen=True)
class GrowthRow:
    rules: int
    load_seconds: float
    us_per_case: float
    candidates: float
    fired: float
    runs: tuple[float, ...]


def run_growth(
    dicts: list[dict[str, Any]], sizes: tuple[int, ...], runs: int, folder: Path
) -> list[GrowthRow]:
    """CPU time per case (suggest and to_dict, from validated cases) for each rulebook size."""
    cases = [Case.from_dict(d) for d in dicts]
    views = [CaseView.of(c) for c in cases]
    out = []
    for n in sizes:
        sub = folder / f"rules-{n}"
        sub.mkdir()
        write_rule_file(sub, "growth.yaml", growth_rules(n))
        start = time.perf_counter()
        base = Engine.from_paths(sub)
        load = time.perf_counter() - start
        candidates = sum(len(base.rulebook.candidates(v.features)) for v in views) / len(views)

        def run(base: Engine = base) -> list[int]:
            engine = Engine(base.rulebook, base.catalog, base.max_points)
            return [len(engine.suggest(c).to_dict()["rules_fired"]) for c in cases]

        timed = repeat(run, runs)
        out.append(
            GrowthRow(
                rules=n,
                load_seconds=load,
                us_per_case=timed.cpu_median / len(cases) * 1e6,
                candidates=candidates,
                fired=sum(timed.result) / len(cases),
                runs=timed.seconds,
            )
        )
    return out
