"""Scores, ranking and caps: what the selections found, added up per point, ranked and cut.

Each selection adds ``role weight x selection weight`` to every point it finds; a point's
role is that of its largest part. Points are ranked by score, then role (local,
segmental, distal, complementary, adjunct), then catalogue order, and cut at the plan's
number of points, never above a safety cap, each affected region taking at most its share
of the places while other points wait.

Two fast paths live here:

- **Running totals as lists.** While the rules fire, each point's total is a list read
  through the index constants below (:data:`NEG` ...), laid out so that a list of them
  sorts by the ranking rule as it is: ``sorted(totals)`` compares lists in C, where
  objects would need a Python ``__lt__`` or a key tuple per point. The plain version is
  sorting by ``(-score, role rank, catalogue order)``; the property test
  ``test_points_are_ranked_by_score_then_role`` pins the order.
- **One object per choice.** A point chosen on the same sides by the same supports is
  the same :class:`SuggestedPoint`, built once without ``__init__`` (:func:`.result.build`),
  and so is an :class:`Alternative`. The plain version is a new object through
  ``__init__``; the property tests ``test_result_objects_equal_those_init_makes``,
  ``test_changing_a_result_changes_no_other_result`` and (for alternatives)
  ``test_alternatives_are_at_most_eight_of_the_dropped_best_first`` pin them together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..base.vocab import ROLES
from .caches import remember
from .contract import MAX_ALTERNATIVES
from .result import Alternative, SuggestedPoint, Support, build

if TYPE_CHECKING:
    from ..catalog.catalog import Catalog
    from ..rulebook.book import RuleBook

__all__ = [
    "BEST",
    "BEST_SCORE",
    "CODE",
    "DEFAULT_MAX_POINTS",
    "INSTANCES",
    "LEFT",
    "MID",
    "NEG",
    "ORDER",
    "RANK",
    "RIGHT",
    "ROLE_RANK",
    "ROLE_WEIGHT",
    "SIDES",
    "SIDE_BITS",
    "SIDE_LABEL",
    "SUPPORTS",
    "SWAPPED",
    "Entry",
    "Found",
    "Ranker",
    "add",
    "limit_of",
    "region_share",
]

#: What a selection's points gain per unit of its weight, by role: the points of the
#: complaint and of its segment count in full, distal points three quarters, and the
#: points added as complementary treatment (D3's word for the reflex-area points of P4)
#: or as support half, so they never outweigh the points they support.
ROLE_WEIGHT: dict[str, float] = {
    "local": 1.0, "segmental": 1.0, "distal": 0.75, "complementary": 0.5, "adjunct": 0.5,
}  # fmt: skip
#: Tie-break between equal scores: the order the module docstring promises.
ROLE_RANK: dict[str, int] = {"local": 0, "segmental": 1, "distal": 2, "complementary": 3, "adjunct": 4}
assert set(ROLE_RANK) == set(ROLES)
DEFAULT_MAX_POINTS = 12


def region_share(limit: int, affected: int) -> int:
    """How many of ``limit`` points the points lying in one affected region may take
    before every other candidate had its turn: an equal share for each affected region
    and one more share for the points elsewhere (distal, segmental), rounded up, and
    never less than a third of the places (a region with a root's segmental points, a
    local point and a tender one needs that many even when many regions are affected).

    >>> region_share(12, 1), region_share(12, 3), region_share(4, 1)
    (6, 4, 2)
    """
    return -(-limit // min(affected + 1, 3))


#: The sides a point is needled on, as bits while the rules fire: left, right, midline.
LEFT, RIGHT, MID = 1, 2, 4
SIDE_BITS = {"left": LEFT, "right": RIGHT, "both": LEFT | RIGHT}
#: Sides as bits with left and right swapped (the midline never reaches a selection's sides).
SWAPPED = (0, RIGHT, LEFT, LEFT | RIGHT)
SIDE_LABEL = {LEFT: "left", RIGHT: "right", LEFT | RIGHT: "both", MID: "midline"}

#: A point's running total while the rules fire is a list, kept for speed (see the module
#: docstring): minus its score, the rank of its best support's role, its catalogue order,
#: its code (unique, so sorting never looks further), then the rest.
NEG, RANK, ORDER, CODE, BEST_SCORE, BEST, SUPPORTS, SIDES, INSTANCES = range(9)

#: One point a selection found: (code, its places, catalogue order, whether on the midline).
Entry = tuple[str, tuple[str, ...], int, bool]
#: What a selection found, ready to add up: its points, and the support each of them gets.
Found = tuple[tuple[Entry, ...], Support]


def add(acc: dict[str, list[Any]], found: Found, rank: int, sides: int) -> None:
    """Add what one selection found to the running totals (see :data:`NEG`)."""
    entries, support = found
    score = support.score
    for code, insts, order, midline in entries:
        a = acc.get(code)
        if a is None:
            acc[code] = [-score, rank, order, code, score, support, [support], MID if midline else sides,
                         insts]  # fmt: skip
            continue
        a[NEG] -= score
        a[SUPPORTS].append(support)
        # Its role is that of its largest part; of equal parts, the first in role order.
        if score > a[BEST_SCORE] or (score == a[BEST_SCORE] and rank < a[RANK]):
            a[BEST_SCORE], a[BEST], a[RANK] = score, support, rank
        if not midline:
            a[SIDES] |= sides
        if insts:  # the places are a tuple, shared until a selection adds to them
            have = a[INSTANCES]
            more = tuple([inst for inst in insts if inst not in have])
            if more:
                a[INSTANCES] = have + more


def limit_of(case_max: int | None, engine_max: int, plan_max: int | None, cap: int | None) -> int:
    """How many points a case gets: its own number, else the plan's, else the engine's;
    never more than a safety cap, which the case cannot lift."""
    limit = case_max or (engine_max if plan_max is None else plan_max)
    if cap is not None and cap < limit:
        limit = cap
    return limit


class Ranker:
    """Ranks the running totals and makes the chosen points, remembering each choice."""

    def __init__(self, rulebook: RuleBook, catalog: Catalog) -> None:
        self.rulebook = rulebook
        self._points = {p.code: p for p in catalog}
        self._region = {p.code: p.region for p in catalog}
        # A group point lies where its places are (Jiaji beside L5 is in the lower back).
        self._place_region = {i.code: i.region or p.region for p in catalog for i in p.instances}
        #: Chosen points by (code, sides, supports, instances): see point().
        self._chosen: dict[tuple[Any, ...], SuggestedPoint] = {}
        #: Alternatives by (code, sides, supports, instances), as for the chosen points.
        self._alternatives: dict[tuple[Any, ...], Alternative] = {}
        # A point's "why" and principles depend only on the rules that chose it.
        self._why: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = {}
        #: Scores rounded to the thousandth, by the sum (see cut()).
        self._rounded: dict[float, float] = {}

    def cut(self, acc: dict[str, list[Any]], limit: int,
            affected: frozenset[str] = frozenset()) -> tuple[list[SuggestedPoint], list[list[Any]]]:  # fmt: skip
        """The best ``limit`` points, and the running totals of the supported ones cut
        off, best first (their codes are the result's ``dropped``; the first few become
        its alternatives, see :meth:`alternatives`).

        Each region of ``affected`` (the regions of the case's complaints) gets its share of
        the points (:func:`region_share`): once the points lying in one region have taken
        their share, that region's next points wait until every other candidate had its
        turn, so one region never takes every place while others have points. The chosen
        points keep their ranked order; the points cut off are in ranked order too.
        """
        # Scores are sums of products of weights: 0.75 x 0.8 and 1.0 x 0.6 differ in the
        # last bit. Ties are decided by role and catalogue order, as the result shows the
        # scores rounded, so the sums are rounded the same way before they are compared.
        rows = list(acc.values())
        rounded = self._rounded
        for a in rows:
            # round() of a float with digits goes through its decimal digits: slow, and
            # the sums take few values, so each is rounded once.
            raw = a[NEG]
            r = rounded.get(raw) if raw else raw  # 0.0 and -0.0 are one key, not one value
            if r is None:
                r = round(raw, 3)
                remember(rounded, raw, r)
            a[NEG] = r
        ranked = sorted(rows)  # by score, then role, then catalogue order (see NEG)
        if len(ranked) > limit and affected:
            ranked = self.shared(ranked, limit, affected)
        # point()'s cache read here: most choices were made before.
        made = self._chosen
        chosen = []
        for a in ranked[:limit]:
            hit = made.get((a[CODE], a[SIDES], tuple(a[SUPPORTS]), a[INSTANCES]))
            chosen.append(self.point(a) if hit is None else hit)
        return chosen, ranked[limit:]

    def alternatives(self, rest: list[list[Any]]) -> tuple[Alternative, ...]:
        """The best of the points cut off, at most :data:`MAX_ALTERNATIVES`, each with the
        side, role, score, rules, "why", sources, places and cautions it would have had as
        a chosen point
        (the same object for the same choice, built without ``__init__``, as the points)."""
        out = []
        for a in rest[:MAX_ALTERNATIVES]:
            code, sides, supports = a[CODE], a[SIDES], tuple(a[SUPPORTS])
            key = (code, sides, supports, a[INSTANCES])
            alt = self._alternatives.get(key)
            if alt is None:
                rules = (
                    (supports[0].rule,)
                    if len(supports) == 1
                    else tuple(dict.fromkeys([s.rule for s in supports]))
                )
                told = self._why.get(rules)
                if told is None:
                    told = self._why[rules] = self._told(rules)
                point = self._points[code]
                alt = build(Alternative, {
                    "code": code, "name": point.pinyin, "side": SIDE_LABEL[sides],
                    "role": a[BEST].role, "score": round(-a[NEG], 3), "rules": rules, "why": told[0],
                    "sources": tuple(dict.fromkeys([s.source for s in supports])),
                    "instances": key[3], "cautions": point.cautions,
                })  # fmt: skip
                remember(self._alternatives, key, alt)
            out.append(alt)
        return tuple(out)

    def shared(self, ranked: list[list[Any]], limit: int, affected: frozenset[str]) -> list[list[Any]]:
        """``ranked`` with its first ``limit`` entries chosen by region shares (see :meth:`cut`):
        the chosen in ranked order, then the rest in ranked order."""
        share = region_share(limit, len(affected))
        region, place = self._region, self._place_region
        taken: dict[str, int] = {}
        first: list[int] = []
        waiting: list[int] = []
        for i, a in enumerate(ranked):
            if len(first) == limit:
                break
            code, insts = a[CODE], a[INSTANCES]
            where = place[f"{code}@{insts[0]}"] if insts else region[code]
            if where in affected:
                n = taken.get(where, 0)
                if n >= share:
                    waiting.append(i)
                    continue
                taken[where] = n + 1
            first.append(i)
        if len(first) < limit:  # nobody else wanted the places: the waiting points fill them
            first += waiting[: limit - len(first)]
        picked = set(first)
        return [ranked[i] for i in sorted(picked)] + [a for i, a in enumerate(ranked) if i not in picked]

    def point(self, a: list[Any]) -> SuggestedPoint:
        """The chosen point of one running total."""
        # A point chosen on the same sides by the same selections is the same result: the
        # supports are shared objects from the selection caches, so the key hashes fast.
        code, sides = a[CODE], a[SIDES]
        supports = tuple(a[SUPPORTS])
        key = (code, sides, supports, a[INSTANCES])
        hit = self._chosen.get(key)
        if hit is not None:
            return hit
        best: Support = a[BEST]
        rules = (
            (supports[0].rule,) if len(supports) == 1 else tuple(dict.fromkeys([s.rule for s in supports]))
        )
        told = self._why.get(rules)
        if told is None:
            told = self._why[rules] = self._told(rules)
        point = self._points[code]
        out: SuggestedPoint = build(SuggestedPoint, {
            "code": code, "name": point.pinyin, "meridian": point.meridian, "side": SIDE_LABEL[sides],
            "role": best.role, "score": -a[NEG], "rules": rules, "principles": told[1], "why": told[0],
            "supports": supports, "instances": key[3], "cautions": point.cautions,
        })  # fmt: skip
        remember(self._chosen, key, out)
        return out

    def _told(self, rules: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
        """The "why" of a point chosen by these rules, and their principles in order."""
        chose = [self.rulebook[r] for r in rules]
        why = [f"{r.rule.summary} ({r.source_key})" for r in chose]
        principles = tuple(dict.fromkeys([pid for r in chose for pid in r.rule.principles]))
        return (why[0] if len(why) == 1 else "; ".join(dict.fromkeys(why))), principles
