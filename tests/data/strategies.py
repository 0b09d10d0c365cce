"""Hypothesis strategies for valid cases, as plain dicts in the case format.

Every word of the vocabulary can be drawn: each region, aspect, sensation, side, cause
kind, nerve, spinal level, flag, red flag, tenderness and onset, and an age. Flags come
bare (``pregnancy``) or placed (``{flag: lymphedema, limb: arm, side: left}``), and a
placed flag is often put where a complaint is, so that exclusions by place have
something to remove. Tender points are drawn from the whole catalogue, by code and by
the other names people type.

>>> from hypothesis import find
>>> case = find(cases(red_flags=False), lambda c: len(c["complaints"]) > 1)
>>> sorted(case)
['complaints']
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from acupoints import Catalog
from acupoints.base.vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    NERVES,
    ONSETS,
    RED_FLAGS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TENDERNESS,
)

#: Flags that concern one place of the body: they may name a region, a limb and a side.
PLACED_FLAGS: tuple[str, ...] = ("lymphedema", "skin_lesion")
#: Regions with digits (1 = thumb or big toe ... 5 = little finger or toe).
DIGIT_REGIONS: tuple[str, ...] = ("hand", "fingers", "foot", "toes")
#: Other names for points that a user may type as a tender point.
TENDER_ALIASES: tuple[str, ...] = ("SJ5", "Du14", "UB40", "LIV3", "K1", "P6", "Tian Zhu", "Ci Liao", "Hegu")

CATALOG_CODES: tuple[str, ...] = tuple(p.code for p in Catalog.default())

regions = st.sampled_from(REGIONS)
aspects = st.sampled_from(ASPECTS)
sensations = st.sampled_from(SENSATIONS)
sides = st.sampled_from(SIDES)
cause_kinds = st.sampled_from(CAUSE_KINDS)
nerves = st.sampled_from(NERVES)
levels = st.sampled_from(LEVELS)
flag_words = st.sampled_from(FLAGS)
red_flag_words = st.sampled_from(RED_FLAGS)
tenderness_words = st.sampled_from(TENDERNESS)
onsets = st.sampled_from(ONSETS)
tender_point_names = st.one_of(st.sampled_from(CATALOG_CODES), st.sampled_from(TENDER_ALIASES))


@st.composite
def complaints(draw: st.DrawFn, region: str | None = None) -> dict[str, Any]:
    """One complaint; digits only where there are digits."""
    where = region or draw(regions)
    out: dict[str, Any] = {
        "region": where,
        "sensations": draw(st.lists(sensations, min_size=1, max_size=3, unique=True)),
    }
    if draw(st.booleans()):
        out["aspect"] = draw(aspects)
    if draw(st.booleans()):
        out["side"] = draw(sides)
    if draw(st.booleans()):
        out["severity"] = draw(st.integers(0, 10))
    if where in DIGIT_REGIONS and draw(st.booleans()):
        out["digits"] = draw(st.lists(st.integers(1, 5), min_size=1, max_size=5, unique=True))
    return out


@st.composite
def causes(draw: st.DrawFn) -> dict[str, Any]:
    """A cause; compression usually names one to three spinal levels."""
    kind = draw(cause_kinds)
    out: dict[str, Any] = {"kind": kind}
    if kind == "nerve_root_compression" and draw(st.integers(0, 4)):
        out["levels"] = draw(st.lists(levels, min_size=1, max_size=3, unique=True))
    if draw(st.integers(0, 2)) == 2:
        out["nerve"] = draw(nerves)
    return out


@st.composite
def flag_items(draw: st.DrawFn, near: tuple[str, ...] = (), words: tuple[str, ...] = FLAGS) -> Any:
    """A flag: a bare word, or a mapping with region, limb and side (often one of ``near``)."""
    word = draw(st.sampled_from(words))
    if draw(st.integers(0, 3)) == 3:
        return word
    out: dict[str, Any] = {"flag": word}
    where = draw(st.integers(0, 3))
    if where in (1, 3):
        out["region"] = draw(st.sampled_from(near)) if near and draw(st.booleans()) else draw(regions)
    if where in (2, 3):
        out["limb"] = draw(st.sampled_from(("arm", "leg")))
    if draw(st.booleans()):
        out["side"] = draw(sides)
    return out


@st.composite
def cases(
    draw: st.DrawFn,
    red_flags: bool | None = None,
    flags: bool = True,
    min_complaints: int = 1,
    max_complaints: int = 3,
) -> dict[str, Any]:
    """A valid case as a dict.

    ``red_flags``: True always has some, False never, None sometimes (rarely, so that
    most cases reach point selection). ``flags=False`` leaves the safety flags out.
    """
    found = draw(st.lists(complaints(), min_size=min_complaints, max_size=max_complaints))
    case: dict[str, Any] = {"complaints": found}
    if draw(st.integers(0, 4)):
        case["cause"] = draw(causes())
    if draw(st.booleans()):
        case["tenderness"] = draw(tenderness_words)
    if draw(st.booleans()):
        case["tender_points"] = draw(st.lists(tender_point_names, min_size=1, max_size=5))
    if flags and draw(st.booleans()):
        near = tuple(c["region"] for c in found)
        case["flags"] = draw(st.lists(flag_items(near), min_size=1, max_size=4))
    with_red = draw(st.integers(0, 9)) == 9 if red_flags is None else red_flags
    if with_red:
        case["red_flags"] = draw(st.lists(red_flag_words, min_size=1, max_size=3, unique=True))
    if draw(st.integers(0, 3)) == 3:
        case["age"] = draw(st.integers(0, 110))
    if draw(st.integers(0, 3)) == 3:
        case["onset"] = draw(onsets)
    if draw(st.integers(0, 4)) == 4:
        case["max_points"] = draw(st.integers(1, 60))
    if draw(st.integers(0, 3)) == 3:
        case["id"] = draw(st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True))
    return case


def with_flags(case: dict[str, Any], *items: Any) -> dict[str, Any]:
    """A copy of ``case`` with ``items`` added to its flags.

    >>> with_flags({"complaints": []}, "pregnancy")
    {'complaints': [], 'flags': ['pregnancy']}
    """
    return {**case, "flags": [*case.get("flags", []), *items]}


def flag_name(item: Any) -> str:
    """The word of a flag given bare or as a mapping.

    >>> flag_name("pacemaker"), flag_name({"flag": "lymphedema", "limb": "arm"})
    ('pacemaker', 'lymphedema')
    """
    return item if isinstance(item, str) else str(item["flag"])
