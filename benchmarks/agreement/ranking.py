"""The ranked lists the benchmark scores: the engine's, and two baselines.

The engine's list is its chosen points, best first, then its ``alternatives`` (the next
best points after the cap) when the result has them, through the public API only. The
baselines ignore the case: the 16 points the tune half's publications use most often, and
a fixed list of commonly used points written down before any result was seen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import acupoints

from .entries import Entry

__all__ = ["COMMON_POINTS", "REACH_CAP", "engine_ranking", "engine_reach", "popular_points"]

#: A stated list of commonly used points: the four gates, the points most textbooks
#: name first for pain of the limbs and back, and the Jiaji row. It is the benchmark
#: author's own list, fixed before any score was computed, not taken from a source; it
#: stands for "what a practitioner might needle without looking at the case".
COMMON_POINTS: tuple[str, ...] = (
    "LI4", "LR3", "ST36", "SP6", "GB34", "LI11", "PC6", "TE5",
    "GB20", "BL40", "GB30", "KI3", "BL23", "EX-B2", "SP9", "GB39",
)  # fmt: skip


def engine_ranking(engine: acupoints.Engine, case: acupoints.Case) -> list[str]:
    """The engine's codes for ``case``, best first: chosen points, then alternatives."""
    result = engine.suggest(case).to_dict()
    codes = [p["code"] for p in result.get("points", [])]
    codes += [a["code"] for a in result.get("alternatives", [])]
    return list(dict.fromkeys(codes))


#: The case format's largest point budget: with it, every point some rule supports is chosen.
REACH_CAP = 60


def engine_reach(engine: acupoints.Engine, case: acupoints.Case) -> list[str]:
    """Every point the engine supports for ``case``, best first: its chosen points when the
    case's budget is the largest the format allows. Not a prescription, a ceiling: a
    published point outside it is one no rule finds, however the points are ranked."""
    lifted = acupoints.Case.from_dict({**case.to_dict(), "max_points": REACH_CAP})
    return engine_ranking(engine, lifted)


def popular_points(entries: Iterable[Entry], catalog: acupoints.Catalog, size: int = 16) -> list[str]:
    """The ``size`` points most often published among ``entries``, most frequent first.

    Ties go in catalogue order, so the list never depends on file order.
    """
    counts = Counter(code for entry in entries for code in entry.published_points)
    order = {point.code: i for i, point in enumerate(catalog)}
    ranked: Sequence[str] = sorted(counts, key=lambda code: (-counts[code], order[code]))
    return list(ranked[:size])
