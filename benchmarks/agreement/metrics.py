"""Recall and precision of published points within the top k of a ranked list.

For one prescription, ``recall@k`` is the share of its published points found in the
first ``k`` points of the ranked list, and ``precision@k`` the share of those first ``k``
points (or of the whole list, when it is shorter than ``k``) that the publication used.
An empty list scores 0 for both. A group of prescriptions gets the plain mean of its
members' scores, so each publication weighs the same however many points it lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean

__all__ = ["CUTS", "Score", "mean_scores", "score"]

#: The list lengths the benchmark reads: a short, a usual and a generous prescription.
CUTS: tuple[int, ...] = (8, 12, 16)


@dataclass(frozen=True)
class Score:
    """Recall and precision of one ranked list at one cut."""

    recall: float
    precision: float


def score(ranked: Sequence[str], published: Iterable[str], k: int) -> Score:
    """How well the first ``k`` of ``ranked`` cover ``published``.

    >>> score(["LI4", "ST36", "SP6", "LR3"], ["LI4", "LR3", "GB34"], 2)
    Score(recall=0.3333333333333333, precision=0.5)
    >>> score(["LI4"], ["LI4", "LR3"], 8)
    Score(recall=0.5, precision=1.0)
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    wanted = set(published)
    if not wanted:
        raise ValueError("a prescription needs at least one published point")
    top = list(dict.fromkeys(ranked))[:k]
    hits = len(wanted.intersection(top))
    return Score(recall=hits / len(wanted), precision=hits / len(top) if top else 0.0)


def mean_scores(scores: Iterable[Score]) -> Score:
    """The plain mean of several scores (each prescription weighs the same).

    >>> mean_scores([Score(1.0, 0.5), Score(0.0, 0.25)])
    Score(recall=0.5, precision=0.375)
    """
    items = list(scores)
    if not items:
        raise ValueError("no scores to average")
    return Score(recall=fmean(s.recall for s in items), precision=fmean(s.precision for s in items))
