"""Score the engine and the two baselines on both halves, per condition and overall."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean
from typing import Any

import acupoints

from .entries import CASES, Entry, load_entries
from .metrics import CUTS, Score, mean_scores, score
from .ranking import COMMON_POINTS, engine_ranking, engine_reach, popular_points
from .split import SPLIT_FILE, halves, load_split

__all__ = ["HALVES", "INDEPENDENT", "METHODS", "OVERALL", "AgreementResult", "Row", "run_agreement"]

HALVES: tuple[str, ...] = ("tune", "check")
METHODS: tuple[str, ...] = ("engine", "popular", "common")
OVERALL = "overall"
#: The overall row without the files whose points were read from a rule's source.
INDEPENDENT = "overall, apart from the rules' sources"


@dataclass(frozen=True)
class Row:
    """The mean scores of one group of prescriptions (a condition, or all) in one half."""

    half: str
    group: str
    n: int
    scores: dict[str, dict[int, Score]]  # method -> cut -> mean score
    #: Mean share of the published points among every point the engine supports (no cap).
    reach: float = 0.0
    #: Mean number of points the engine supports with no cap.
    supported: float = 0.0


@dataclass(frozen=True)
class AgreementResult:
    """Everything one run measured, and the lists it measured them with."""

    rows: tuple[Row, ...]
    popular: tuple[str, ...]
    common: tuple[str, ...]
    halves: dict[str, list[str]]
    per_case: dict[str, dict[str, Any]] = field(default_factory=dict)
    mean_length: dict[str, float] = field(default_factory=dict)
    from_rule_source: tuple[str, ...] = ()


def _scores(ranked: Sequence[str], entry: Entry) -> dict[int, Score]:
    return {k: score(ranked, entry.published_points, k) for k in CUTS}


def _row(
    half: str,
    group: str,
    members: Sequence[Entry],
    per: dict[str, dict[str, dict[int, Score]]],
    per_case: dict[str, dict[str, Any]],
) -> Row:
    scores = {
        method: {k: mean_scores(per[e.name][method][k] for e in members) for k in CUTS} for method in METHODS
    }
    reach = fmean(per_case[e.name]["reach"] for e in members)
    supported = fmean(len(per_case[e.name]["supported"]) for e in members)
    return Row(half=half, group=group, n=len(members), scores=scores, reach=reach, supported=supported)


def run_agreement(
    folder: Path = CASES, split_file: Path = SPLIT_FILE, engine: acupoints.Engine | None = None
) -> AgreementResult:
    """Score every agreement file of ``folder`` with the engine and the two baselines."""
    catalog = acupoints.Catalog.default()
    engine = engine if engine is not None else acupoints.Engine.default()
    entries = load_entries(folder, catalog)
    split = halves([e.name for e in entries], load_split(split_file))
    by_name = {e.name: e for e in entries}
    popular = popular_points([by_name[n] for n in split["tune"]], catalog)
    per: dict[str, dict[str, dict[int, Score]]] = {}
    per_case: dict[str, dict[str, Any]] = {}
    for entry in entries:
        case = acupoints.Case.from_dict(entry.case)
        ranked = engine_ranking(engine, case)
        supported = engine_reach(engine, case)
        lists = {"engine": ranked, "popular": popular, "common": list(COMMON_POINTS)}
        per[entry.name] = {method: _scores(lists[method], entry) for method in METHODS}
        per_case[entry.name] = {
            "condition": entry.condition,
            "half": "check" if entry.name in split["check"] else "tune",
            "published": list(entry.published_points),
            "engine": ranked,
            "supported": supported,
            "reach": len(set(entry.published_points) & set(supported)) / len(set(entry.published_points)),
            "recall": {m: {k: per[entry.name][m][k].recall for k in CUTS} for m in METHODS},
            "from_rule_source": entry.from_rule_source,
        }
    rows: list[Row] = []
    mean_length: dict[str, float] = {}
    for half in HALVES:
        members = [by_name[n] for n in split[half]]
        if not members:
            continue
        for condition in sorted({e.condition for e in members}):
            rows.append(
                _row(half, condition, [e for e in members if e.condition == condition], per, per_case)
            )
        rows.append(_row(half, OVERALL, members, per, per_case))
        apart = [e for e in members if not e.from_rule_source]
        if apart and len(apart) < len(members):
            rows.append(_row(half, INDEPENDENT, apart, per, per_case))
        mean_length[half] = sum(len(per_case[e.name]["engine"]) for e in members) / len(members)
    return AgreementResult(
        rows=tuple(rows),
        popular=tuple(popular),
        common=COMMON_POINTS,
        halves=split,
        per_case=per_case,
        mean_length=mean_length,
        from_rule_source=tuple(e.name for e in entries if e.from_rule_source),
    )
