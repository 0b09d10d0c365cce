"""What "affected" means for one rule on one case: the complaints its condition matched.

Selections, exclusions and explanations all read a rule's binding, so it lives apart
from the engine that makes it. Each complaint is answered on its own surface: a selection
that reads "affected" runs once per complaint (:meth:`Binding.each`), with that
complaint's region, aspect, digits and side alone, and the answers are joined; the
aspect of one complaint never filters the region of another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..base.vocab import ASPECT_MATCH, FOOT_ASPECT_MATCH, FOOT_REGIONS, LOWER_LIMB, UPPER_LIMB, same_surface
from ..rulebook.conditions import CaseView, Facts, Matched
from .result import build

__all__ = [
    "ASPECT_MATCH",
    "FOOT_ASPECT_MATCH",
    "FOOT_REGIONS",
    "Binding",
    "aspects_of",
    "digits_of",
    "limb_regions",
    "same_surface",
]

_BOTH = frozenset({"left", "right"})


@dataclass(frozen=True)
class Binding:
    """What "affected" means for one rule on one case: the complaints its condition matched."""

    regions: frozenset[str]
    aspects: frozenset[str]
    fingers: frozenset[int]
    toes: frozenset[int]
    side: frozenset[str]

    @classmethod
    def of(cls, view: CaseView, matched: Matched) -> Binding:
        facts = [view.facts[i] for i in sorted(matched)] if matched else view.facts
        sides = {f.side for f in facts}
        side = _BOTH if "both" in sides or len(sides) > 1 else frozenset(sides)
        fingers, toes = digits_of(facts)
        return build(cls, {"regions": frozenset([f.region for f in facts]), "aspects": aspects_of(facts),
                           "fingers": fingers, "toes": toes, "side": side})  # fmt: skip

    @classmethod
    def each(cls, view: CaseView, matched: Matched) -> tuple[Binding, ...]:
        """One binding per matched complaint (every complaint when the rule matched none),
        in the order of the case: the plain meaning of "affected" for a selection."""
        found = sorted(matched) if matched else range(len(view.facts))
        return tuple([cls.of(view, frozenset((i,))) for i in found])


def aspects_of(facts: Iterable[Facts]) -> frozenset[str]:
    """The point aspects on the surfaces of these complaints' aspects, each read on its
    own region (see :func:`same_surface`)."""
    aspects: set[str] = set()
    for f in facts:
        if f.aspect:
            aspects |= same_surface(f.aspect, f.region)
    return frozenset(aspects)


def digits_of(facts: Iterable[Facts]) -> tuple[frozenset[int], frozenset[int]]:
    """The fingers and the toes these complaints name."""
    fingers: set[int] = set()
    toes: set[int] = set()
    for f in facts:
        if f.digits:
            if f.limb == "arm":
                fingers |= f.digits
            elif f.limb == "leg":
                toes |= f.digits
    return frozenset(fingers), frozenset(toes)


def limb_regions(regions: Iterable[str]) -> frozenset[str]:
    """The regions of the limbs these regions lie on; a region off the limbs stays itself.

    >>> sorted(limb_regions(["neck"])), "shoulder" in limb_regions(["fingers"])
    (['neck'], True)
    """
    out: set[str] = set()
    for r in regions:
        out |= UPPER_LIMB if r in UPPER_LIMB else LOWER_LIMB if r in LOWER_LIMB else {r}
    return frozenset(out)
