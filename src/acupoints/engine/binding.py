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

from ..base.vocab import LOWER_LIMB, UPPER_LIMB
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

#: Complaint aspects and the point aspects that lie on the same surface.
ASPECT_MATCH: dict[str, frozenset[str]] = {
    "dorsal": frozenset({"dorsal", "posterior"}),
    "posterior": frozenset({"posterior", "dorsal"}),
    "palmar": frozenset({"palmar", "anterior"}),
    "anterior": frozenset({"anterior", "palmar"}),
    "medial": frozenset({"medial", "ulnar"}),
    "ulnar": frozenset({"ulnar", "medial"}),
    "lateral": frozenset({"lateral", "radial"}),
    "radial": frozenset({"radial", "lateral"}),
    "plantar": frozenset({"plantar"}),
    "superior": frozenset({"superior"}),
}
#: The same on the ankle and the foot, whose surfaces are named otherwise. The dorsum of
#: the foot is its upper surface (it faces up, not behind, in the anatomical position;
#: the terms of relationship in Moore KL, Dalley AF, Agur AMR, Clinically Oriented
#: Anatomy, introduction: the dorsum is the foot's superior surface, the sole its
#: inferior one, while the dorsum of the hand is its posterior surface), and at the ankle it runs on into the front of the leg, as D3 reads it too (P8: numbness
#: of the dorsal foot or the ankle takes points of the anterior leg and foot). So there
#: ``dorsal`` goes with ``anterior``, never with ``posterior`` (the heel, the back of the
#: ankle), and the foot has no palmar, radial or ulnar side to widen to. Above the ankle
#: the dorsal side of the leg is its back, as on the arm.
FOOT_ASPECT_MATCH: dict[str, frozenset[str]] = {a: frozenset({a}) for a in ASPECT_MATCH} | {
    "dorsal": frozenset({"dorsal", "anterior"}),
    "anterior": frozenset({"anterior", "dorsal"}),
}
#: The regions whose aspects :data:`FOOT_ASPECT_MATCH` reads.
FOOT_REGIONS = frozenset({"ankle", "foot", "toes"})
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


def same_surface(aspect: str, region: str) -> frozenset[str]:
    """The point aspects on the same surface as ``aspect`` of ``region``.

    >>> sorted(same_surface("dorsal", "hand")), sorted(same_surface("dorsal", "foot"))
    (['dorsal', 'posterior'], ['anterior', 'dorsal'])
    >>> sorted(same_surface("posterior", "ankle")), sorted(same_surface("dorsal", "knee"))
    (['posterior'], ['dorsal', 'posterior'])
    """
    table = FOOT_ASPECT_MATCH if region in FOOT_REGIONS else ASPECT_MATCH
    return table.get(aspect) or frozenset({aspect})


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
