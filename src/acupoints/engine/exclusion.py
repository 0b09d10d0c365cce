"""Exclusions: what the fired rules leave out, applied after every selection, so they always win.

An exclusion names its targets by named points, a query, a caution (every point that
carries it), or only a flag; with a flag it applies where the case's flag item says (a
region, a limb, a side), and a point chosen for both sides keeps the other side. One
place of a group point (Jiaji at L5) goes alone.

A flag's place fails closed. With ``cover: limb`` a region of a limb stands for the whole
limb (lymphoedema of the hand is a lymphoedematous arm), and a flag given without a place
covers every limb; with the default ``cover: region`` a flag without a place covers the
whole body. Either way a warning asks where the flag is.

Targets that do not depend on the case are found once per exclusion. Two shortcuts keep
the work in step with the few points chosen: an exclusion with a fixed set of targets is
skipped when none of them was chosen, and a large set of targets is read through the
chosen points rather than the other way round. Either way the same points go; the safety
properties (no point a flag excludes is suggested) and the test of an engine whose caches
keep emptying (``test_one_engine_while_its_cache_keeps_emptying``) cover them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..base.vocab import LOWER_LIMB, REGIONS, UPPER_LIMB
from ..rulebook.conditions import NONE, CaseView, Matched
from .binding import Binding
from .caches import remember
from .ranking import INSTANCES, LEFT, MID, RIGHT, SIDE_BITS, SIDE_LABEL, SIDES
from .result import ExcludedPoint
from .selection import Finder, is_static, per_complaint

if TYPE_CHECKING:
    from ..catalog.catalog import Catalog
    from ..rulebook.book import CompiledRule
    from ..rulebook.schema import Exclude

__all__ = ["Excluding", "Exclusions"]

#: A fired rule's entry for excluding: the rule and its bit.
Excluding = tuple["CompiledRule", int]
#: Targets, the side they are left out on, and the place a flag gives ("" for none).
Targets = tuple[frozenset[str], str, str]


class Exclusions:
    """Applies the exclusions of fired rules to running totals, over one catalogue."""

    def __init__(self, catalog: Catalog, finder: Finder) -> None:
        self.catalog = catalog
        self.finder = finder
        #: Exclusion targets that do not depend on the case, per (rule, exclusion).
        self._base: dict[tuple[int, int], frozenset[str] | None] = {}
        #: The point codes of those targets, for exclusions that need no flag.
        self._codes: dict[tuple[int, int], frozenset[str]] = {}
        self._by_code: dict[frozenset[str], dict[str, tuple[str, ...]]] = {}
        self._caution_index: dict[str, frozenset[str]] = {}
        #: The points and places in a flag's region or limb, by (region, limb, cover): few, all kept.
        self._in_place: dict[tuple[str | None, str | None, str], frozenset[str]] = {}
        for p in catalog:
            for c in p.cautions:
                self._caution_index[c] = self._caution_index.get(c, frozenset()) | {p.code}

    def apply(self, acc: dict[str, list[Any]], excluding: tuple[Excluding, ...],
              matched_by: dict[int, Matched], view: CaseView, warnings: list[str]) -> list[ExcludedPoint]:  # fmt: skip
        """Leave out what the fired rules in ``excluding`` exclude (each rule's matched
        complaints by its bit in ``matched_by``) from the running totals ``acc``."""
        out: list[ExcludedPoint] = []
        order = self.finder.order
        for rule, bit in excluding:
            for i, ex in enumerate(rule.rule.exclude):
                codes = self._codes.get((rule.order, i))
                if codes is not None and codes.isdisjoint(acc):
                    continue  # a fixed set of targets, none of them chosen
                matched = matched_by.get(bit, NONE)
                for targets, side, place in self._targets(rule, i, ex, view, matched, warnings):
                    reason = ex.reason + (f" ({place})" if place else "")
                    if len(targets) > len(acc):
                        by_code = self._nodes_by_code(targets)
                        hits = [t for code in acc for t in by_code.get(code, ())]
                    else:
                        hits = [t for t in targets if t.partition("@")[0] in acc]
                    for node in sorted(hits, key=lambda n: (order[n.partition("@")[0]], n)):
                        code, _, inst = node.partition("@")
                        a = acc.get(code)
                        if a is None:
                            continue
                        if inst:
                            # One place of a group point (Jiaji at L5): drop that place only.
                            have = a[INSTANCES]
                            if inst in have:
                                a[INSTANCES] = have = tuple([kept for kept in have if kept != inst])
                                out.append(
                                    ExcludedPoint(code, reason, rule.id, rule.source_key, "both", inst)
                                )
                                if not have:
                                    del acc[code]
                            continue
                        sides = a[SIDES]
                        gone = sides if (side == "both" or sides == MID) else (sides & SIDE_BITS[side])
                        if not gone:
                            continue
                        a[SIDES] = sides & ~gone
                        label = "both" if gone in (LEFT | RIGHT, MID) else SIDE_LABEL[gone]
                        out.append(ExcludedPoint(code, reason, rule.id, rule.source_key, label))
                        if not a[SIDES]:
                            del acc[code]
        return out

    def _nodes_by_code(self, targets: frozenset[str]) -> dict[str, tuple[str, ...]]:
        """Exclusion targets grouped by point code, remembered per target set."""
        hit = self._by_code.get(targets)
        if hit is None:
            groups: dict[str, list[str]] = {}
            for t in targets:
                groups.setdefault(t.partition("@")[0], []).append(t)
            hit = {code: tuple(nodes) for code, nodes in groups.items()}
            remember(self._by_code, targets, hit)
        return hit

    def _targets(self, rule: CompiledRule, i: int, ex: Exclude, view: CaseView, matched: Matched,
                 warnings: list[str]) -> list[Targets]:  # fmt: skip
        """The targets of one exclusion on this case: all of them, or for a flag, those in
        each place the case's items of that flag give."""
        base: frozenset[str] | None
        static = is_static(ex)
        if static and (rule.order, i) in self._base:
            base = self._base[(rule.order, i)]
        else:
            base = None
            if ex.points or ex.query is not None:
                # "Affected" is read on each complaint by itself, as for selections.
                bindings = Binding.each(view, matched) if per_complaint(ex) else (Binding.of(view, matched),)
                base = frozenset(
                    [n for b in bindings for n in self.finder.resolve(rule, ex, b, view, key=("x", i))[0]]
                )
            if ex.caution is not None:
                base = (base or frozenset()) | self._caution_index.get(ex.caution, frozenset())
            if static:
                self._base[(rule.order, i)] = base
                if ex.flag is None:
                    self._codes[(rule.order, i)] = frozenset(t.partition("@")[0] for t in base or ())
        if ex.flag is None:
            return [(base or frozenset(), "both", "")]
        out = []
        for item in view.case.flags:
            if item.flag != ex.flag:
                continue
            unplaced = item.region is None and item.limb is None
            if unplaced and base is not None:
                out.append((base, "both", ""))
                continue
            in_place = self._in_place.get((item.region, item.limb, ex.cover))
            if in_place is None:
                regions = _regions(item.region, item.limb, ex.cover)
                in_place = frozenset(self.catalog.graph.in_region(sorted(regions), instances=True))
                self._in_place[(item.region, item.limb, ex.cover)] = in_place
            if unplaced:
                where = "every limb" if ex.cover == "limb" else "every point"
                warnings.append(
                    f"flag '{ex.flag}' given without a region or limb: {where} is left out until you say where"
                )
                place = "place not given"
            else:
                limb = item.limb or (_limb_of(item.region) if ex.cover == "limb" else None)
                named = limb or item.region
                place = f"{item.side} {named}" if item.side != "both" else f"{named}"
            out.append(((base & in_place) if base is not None else in_place, item.side, place))
        return out


def _limb_of(region: str | None) -> str | None:
    """``arm`` or ``leg`` for a region of a limb, else None."""
    if region in UPPER_LIMB:
        return "arm"
    return "leg" if region in LOWER_LIMB else None


def _regions(region: str | None, limb: str | None, cover: str) -> frozenset[str]:
    """The regions a flag's place covers (see the module's docstring)."""
    if region is None and limb is None:
        return UPPER_LIMB | LOWER_LIMB if cover == "limb" else frozenset(REGIONS)
    found = {region} if region else set()
    if cover == "limb":
        limb = limb or _limb_of(region)
    if limb:
        found |= UPPER_LIMB if limb == "arm" else LOWER_LIMB
    return frozenset(found)
