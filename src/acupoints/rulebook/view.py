"""A case as conditions read it: :class:`CaseView`, computed once per case.

Besides the words conditions test, a view lists the case's *features* (its regions,
aspects and limbs, cause, nerve, levels, flags, onset, tenderness and whether it lists
tender points). The rule book's index matches rules to cases by features (see
:meth:`~acupoints.rulebook.compiled.RuleBook.index`), so a condition kind can help the
index only with the features named here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ..base.memo import remember
from ..base.vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    LOWER_LIMB,
    NERVES,
    ONSETS,
    RED_FLAGS,
    REGIONS,
    TENDERNESS,
    UPPER_LIMB,
)
from ..case.model import Case, Complaint

__all__ = [
    "FEATURE_SIZES",
    "GIVEN",
    "NONE",
    "NOT_GIVEN",
    "NO_DIGITS",
    "NO_WORDS",
    "CaseView",
    "Facts",
    "Feature",
    "Matched",
    "Test",
    "limb_of",
    "selectivity",
]

Matched = frozenset[int]
Test = Callable[["CaseView"], tuple[bool, Matched]]
NONE: Matched = frozenset()
#: A feature of a case: its kind (``region``, ``aspect``, ``limb``, ``cause``, ``nerve``,
#: ``level``, ``flag``, ``red_flag``, ``onset``, ``tenderness`` or ``tender_points``) and a
#: word.
Feature = tuple[str, str]
#: The word of a feature the case has exactly one of (its cause, onset, whether it lists
#: tender points) when the case does not give it: so a test that the case does *not* have
#: some words is a need the index can read too (see ``CaseWord.complement``).
NOT_GIVEN = ""
#: The word of the ``tender_points`` feature when the case lists some.
GIVEN = "given"


def limb_of(region: str) -> str | None:
    """``arm``, ``leg`` or None for a region."""
    return _LIMB.get(region)


class Facts(NamedTuple):
    """One complaint, as the complaint tests read it."""

    region: str
    aspect: str | None
    sensations: frozenset[str]
    digits: frozenset[int]
    limb: str | None
    side: str
    severity: int | None


@dataclass(frozen=True)
class CaseView:
    """What conditions ask of a case, computed once per case."""

    case: Case
    complaints: tuple[Complaint, ...]
    cause: str | None
    nerve: str | None
    levels: frozenset[str]
    flags: frozenset[str]
    red_flags: frozenset[str]
    tender: bool
    features: frozenset[Feature]
    facts: tuple[Facts, ...] = ()

    @classmethod
    def of(cls, case: Case) -> CaseView:
        # This runs per case, so the models' fields are read from their __dict__: a pydantic
        # model's class has a __getattr__ hook, which makes each attribute read slower.
        fields = case.__dict__
        features: list[Feature] = []
        facts = []
        for c in fields["complaints"]:
            d = c.__dict__
            region, aspect, digits, written = d["region"], d["aspect"], d["digits"], d["sensations"]
            features.append(("region", region))
            if aspect:
                features.append(("aspect", aspect))
            limb = _LIMB.get(region)
            if limb is not None:
                features.append(("limb", limb))
            sensations = _SENSATIONS.get(written)
            if sensations is None:
                sensations = frozenset(written)
                remember(_SENSATIONS, written, sensations, 1_000)
            facts.append(
                _new_facts(Facts, (region, aspect, sensations, frozenset(digits) if digits else NO_DIGITS,
                                   limb, d["side"], d["severity"]))
            )  # fmt: skip
        flag_items, red = fields["flags"], fields["red_flags"]
        flags = frozenset([f.flag for f in flag_items]) if flag_items else NO_WORDS
        red_flags = frozenset(red) if red else NO_WORDS
        for f in flags:
            features.append(("flag", f))
        for f in red_flags:
            features.append(("red_flag", f))
        cause = fields["cause"]
        if cause is not None:
            d = cause.__dict__
            kind, nerve, levels = d["kind"], d["nerve"], frozenset(d["levels"])
            features.append(("cause", kind))
            for lv in levels:
                features.append(("level", lv))
            if nerve:
                features.append(("nerve", nerve))
        else:
            kind, nerve, levels = None, None, NO_WORDS
            features.append(("cause", NOT_GIVEN))
        onset = fields["onset"]
        features.append(("onset", NOT_GIVEN if onset is None else onset))
        features.append(("tenderness", fields["tenderness"]))
        tender = bool(fields["tender_points"])
        features.append(("tender_points", GIVEN if tender else NOT_GIVEN))
        # Without the per-field checks of a frozen dataclass's __init__: this runs per case.
        view = object.__new__(cls)
        view.__dict__.update(case=case, complaints=fields["complaints"], cause=kind, nerve=nerve, levels=levels,
                             flags=flags, red_flags=red_flags, tender=tender,
                             features=frozenset(features), facts=tuple(facts))  # fmt: skip
        return view


_new_facts = tuple.__new__
NO_DIGITS: frozenset[int] = frozenset()
NO_WORDS: frozenset[str] = frozenset()
#: The region's limb, for the regions of a limb.
_LIMB = {**{r: "arm" for r in UPPER_LIMB}, **{r: "leg" for r in LOWER_LIMB}}
#: A complaint's sensations as a set, once per way of writing them (there are few).
_SENSATIONS: dict[tuple[str, ...], frozenset[str]] = {}

#: How many words each kind of feature has: an option of k words of a kind of n passes
#: roughly k/n of the cases, so smaller is more selective.
FEATURE_SIZES = {
    "region": len(REGIONS),
    "aspect": len(ASPECTS),
    "cause": len(CAUSE_KINDS) + 1,
    "nerve": len(NERVES),
    "level": len(LEVELS),
    "flag": len(FLAGS),
    "red_flag": len(RED_FLAGS),
    "limb": 2,
    "onset": len(ONSETS) + 1,
    "tenderness": len(TENDERNESS),
    "tender_points": 2,
}


def selectivity(option: frozenset[Feature]) -> float:
    """The rough share of cases with at least one of the option's features."""
    # Summed in a fixed order: two equal sets may iterate differently, and the float sum
    # would then differ in its last bits and sort equal needs apart.
    return sum(1 / FEATURE_SIZES[kind] for kind, _ in sorted(option))
