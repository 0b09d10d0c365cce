"""The words a case, a rule and the catalogue may use.

The vocabulary is part of the case-format contract: words may be added, never renamed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "ASPECTS",
    "ASPECT_MATCH",
    "ASPECT_REGIONS",
    "BODY_ASPECT_MATCH",
    "CAUSE_KINDS",
    "CODE_SYSTEMS",
    "FLAGS",
    "FLOW",
    "FOOT_ASPECT_MATCH",
    "FOOT_REGIONS",
    "LEVELS",
    "LOWER_LIMB",
    "MERIDIANS",
    "NERVES",
    "ONSETS",
    "RED_FLAGS",
    "REGIONS",
    "ROLES",
    "SENSATIONS",
    "SIDES",
    "SURFACES",
    "TECHNIQUES",
    "TENDERNESS",
    "UPPER_LIMB",
    "aspect_outside",
    "aspect_unreached",
    "aspects_of_region",
    "closest",
    "describe_choice",
    "level_index",
    "same_surface",
]

REGIONS: tuple[str, ...] = (
    "head", "face", "neck", "shoulder", "scapula", "upper_back", "lower_back", "sacrum",
    "buttock", "chest", "abdomen", "upper_arm", "elbow", "forearm", "wrist", "hand",
    "fingers", "hip", "thigh", "knee", "leg", "ankle", "foot", "toes",
)  # fmt: skip

ASPECTS: tuple[str, ...] = (
    "anterior", "posterior", "medial", "lateral", "dorsal", "palmar", "plantar",
    "radial", "ulnar", "superior",
)  # fmt: skip

SENSATIONS: tuple[str, ...] = (
    "pain", "numbness", "tingling", "burning", "weakness", "coldness", "allodynia",
    "stiffness",
)  # fmt: skip

CAUSE_KINDS: tuple[str, ...] = (
    "nerve_root_compression", "entrapment", "diabetes", "chemotherapy", "hiv",
    "neuralgia", "trauma", "hereditary", "muscular", "unknown", "herpes_zoster", "alcohol",
)  # fmt: skip

NERVES: tuple[str, ...] = (
    "median", "ulnar", "radial", "sciatic", "peroneal", "tibial",
    "lateral_femoral_cutaneous", "trigeminal", "occipital", "intercostal", "femoral",
    "pudendal", "facial",
)  # fmt: skip

LEVELS: tuple[str, ...] = (
    tuple(f"C{i}" for i in range(1, 9))
    + tuple(f"T{i}" for i in range(1, 13))
    + tuple(f"L{i}" for i in range(1, 6))
    + tuple(f"S{i}" for i in range(1, 6))
)

FLAGS: tuple[str, ...] = (
    "pregnancy", "anticoagulants", "bleeding_disorder", "pacemaker", "lymphedema",
    "skin_lesion", "diabetic_foot", "needle_phobia",
)  # fmt: skip

RED_FLAGS: tuple[str, ...] = (
    "saddle_anesthesia", "bladder_dysfunction", "bowel_dysfunction", "progressive_weakness",
    "bilateral_leg_symptoms", "gait_disturbance", "fever", "unexplained_weight_loss",
    "cancer_history", "major_trauma",
    # Added from NICE CKS (sciatica, neck pain), NICE NG127 and Finucane 2020; each
    # word's source is named in docs/safety.md.
    "myelopathy_signs", "rapidly_progressive_weakness", "ascending_numbness",
    "suspected_infection", "systemically_unwell", "suspected_fracture",
    "vertebrobasilar_symptoms", "sexual_dysfunction", "unremitting_night_pain",
)  # fmt: skip

#: How the symptoms began: within hours, over days, or over weeks or longer.
ONSETS: tuple[str, ...] = ("sudden", "days", "weeks_or_longer")

#: Treatments a plan or advice line may offer besides the needles themselves, so that a
#: safety rule can forbid one (``forbid: [heat]``); ``heat`` is any heat on the skin
#: (hot baths, heat packs, sauna, moxibustion), ``infrared`` a heat lamp.
TECHNIQUES: tuple[str, ...] = (
    "electroacupuncture", "infrared", "heat", "cupping", "gua_sha",
)  # fmt: skip


SIDES: tuple[str, ...] = ("left", "right", "both")
TENDERNESS: tuple[str, ...] = ("pronounced", "mild", "none")
#: The code systems a case's diagnosis may name (read by acupoints.coding).
CODE_SYSTEMS: tuple[str, ...] = ("icd10cm", "snomed")
SURFACES: tuple[str, ...] = ("yin", "yang")
MERIDIANS: tuple[str, ...] = (
    "LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR", "GV", "CV",
)  # fmt: skip
#: The twelve regular channels in the order the qi flows through them.
FLOW: tuple[str, ...] = MERIDIANS[:12]
ROLES: tuple[str, ...] = ("local", "distal", "segmental", "adjunct", "complementary")

#: Regions of each limb, used for "the affected limb" and digit questions.
UPPER_LIMB: frozenset[str] = frozenset(
    {"shoulder", "upper_arm", "elbow", "forearm", "wrist", "hand", "fingers"}
)
LOWER_LIMB: frozenset[str] = frozenset({"hip", "thigh", "knee", "leg", "ankle", "foot", "toes"})

#: The surfaces a case's aspect words name: for each aspect a complaint gives, the point
#: aspects of the catalogue that lie on the same surface. On the upper limb, in the
#: anatomical position, the palm faces forward and the thumb outward (Moore KL, Dalley AF,
#: Agur AMR, Clinically Oriented Anatomy, introduction: the anatomical position and the
#: terms of relationship), so the hand's words and the body's name the same sides on
#: every region of the upper limb. A rule (a query,
#: a tender-points filter) already speaks the catalogue's words, and its aspects are read
#: as written.
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
#: the foot is its upper surface: it faces up, not behind, in the anatomical position
#: (the terms of relationship in Moore KL, Dalley AF, Agur AMR, Clinically Oriented
#: Anatomy, introduction: the dorsum is the foot's superior surface and the sole its
#: inferior one, while the dorsum of the hand is its posterior surface). At the ankle it
#: runs on into the front of the leg, as D3 reads it too (P8: numbness of the dorsal foot
#: or the ankle takes points of the anterior leg and foot). So there ``dorsal`` goes with
#: ``anterior``, never with ``posterior`` (the heel, the back of the ankle), and the foot
#: has no palmar, radial or ulnar side to widen to. Above the ankle the dorsal side of
#: the leg is its back, as on the arm.
FOOT_ASPECT_MATCH: dict[str, frozenset[str]] = {a: frozenset({a}) for a in ASPECT_MATCH} | {
    "dorsal": frozenset({"dorsal", "anterior"}),
    "anterior": frozenset({"anterior", "dorsal"}),
}
#: The regions whose aspects :data:`FOOT_ASPECT_MATCH` reads.
FOOT_REGIONS = frozenset({"ankle", "foot", "toes"})
#: The same on the head and trunk and on the lower limb above the ankle, which have no
#: palm, no radius and no ulna: there the hand's words are read as the body's (the back,
#: like the back of the hand, is the dorsal side: dorsal and posterior are one in the
#: same terms of relationship), and the body's words name only themselves, so a lateral
#: thigh is never said to be a "radial" one.
BODY_ASPECT_MATCH: dict[str, frozenset[str]] = {a: frozenset({a}) for a in ASPECT_MATCH} | {
    "dorsal": frozenset({"dorsal", "posterior"}),
    "palmar": frozenset({"palmar", "anterior"}),
    "radial": frozenset({"radial", "lateral"}),
    "ulnar": frozenset({"ulnar", "medial"}),
}


#: Aspects that name a side of some regions only: the palm, the radius and the ulna are
#: the upper limb's, the sole the foot's and the toes'.
ASPECT_REGIONS: dict[str, frozenset[str]] = {
    "palmar": UPPER_LIMB,
    "radial": UPPER_LIMB,
    "ulnar": UPPER_LIMB,
    "plantar": frozenset({"foot", "toes"}),
}
_ASPECT_OWNER = {"palmar": "the arm", "radial": "the arm", "ulnar": "the arm", "plantar": "the foot and toes"}


def aspects_of_region(region: str) -> tuple[str, ...]:
    """The aspects that name a side of ``region``, in vocabulary order.

    >>> aspects_of_region("thigh")
    ('anterior', 'posterior', 'medial', 'lateral', 'dorsal', 'superior')
    """
    return tuple(a for a in ASPECTS if a not in ASPECT_REGIONS or region in ASPECT_REGIONS[a])


def aspect_outside(region: str, aspect: str) -> str | None:
    """What to say of a complaint's ``aspect`` that names no side of its ``region`` (None
    when it names one): how the engine reads it.

    >>> aspect_outside("thigh", "radial")
    'the thigh has no radial side (a side of the arm): read as its lateral side'
    >>> aspect_outside("forearm", "radial") is None
    True
    """
    places = ASPECT_REGIONS.get(aspect)
    if places is None or region in places:
        return None
    said = f"the {region} has no {aspect} side (a side of {_ASPECT_OWNER[aspect]})"
    read = sorted(same_surface(aspect, region) - {aspect})
    if read:
        return f"{said}: read as its {'/'.join(read)} side"
    sides = ", ".join(aspects_of_region(region))
    return (
        f"{said}: no point or channel lies on it, so the selections that read a complaint's aspect "
        f"find none for this one (the {region}'s sides: {sides})"
    )


def aspect_unreached(region: str, aspect: str, sides: frozenset[str]) -> str | None:
    """What to say of a complaint's ``aspect`` of ``region`` when the catalogue has nothing
    there: ``sides`` are the aspects of the region that a point lies on or a channel
    crosses (:meth:`acupoints.Catalog.sides_of`). None when the aspect's surface meets
    them, and when :func:`aspect_outside` already says that nothing lies on it.

    >>> aspect_unreached("scapula", "medial", frozenset({"posterior"}))
    "no point lies on the scapula's medial side and no channel crosses it, so the selections that read a complaint's aspect find none for this one (the scapula's sides with a point or a channel: posterior)"
    >>> aspect_unreached("scapula", "dorsal", frozenset({"posterior"})) is None
    True
    """
    surface = same_surface(aspect, region)
    if surface & sides:
        return None
    if aspect in aspects_of_region(region):
        named = aspect
    else:  # read as another side (a radial scapula as its lateral side), or as none
        read = surface - {aspect}
        if not read:
            return None
        named = "/".join(sorted(read))
    have = [a for a in aspects_of_region(region) if a in sides]
    return (
        f"no point lies on the {region}'s {named} side and no channel crosses it, so the selections "
        "that read a complaint's aspect find none for this one "
        + (f"(the {region}'s sides with a point or a channel: {', '.join(have)})" if have
           else f"(no point or channel lies on any side of the {region})")
    )  # fmt: skip


def same_surface(aspect: str, region: str) -> frozenset[str]:
    """The point aspects on the same surface as ``aspect`` of ``region``.

    >>> sorted(same_surface("dorsal", "hand")), sorted(same_surface("dorsal", "foot"))
    (['dorsal', 'posterior'], ['anterior', 'dorsal'])
    >>> sorted(same_surface("posterior", "ankle")), sorted(same_surface("dorsal", "knee"))
    (['posterior'], ['dorsal', 'posterior'])
    >>> sorted(same_surface("lateral", "thigh")), sorted(same_surface("lateral", "forearm"))
    (['lateral'], ['lateral', 'radial'])
    """
    table = (
        ASPECT_MATCH
        if region in UPPER_LIMB
        else FOOT_ASPECT_MATCH
        if region in FOOT_REGIONS
        else BODY_ASPECT_MATCH
    )
    return table.get(aspect) or frozenset({aspect})


def level_index(level: str) -> int:
    """Position of a spinal level from C1 (0) to S5 (29).

    >>> level_index("C1"), level_index("T1"), level_index("S5")
    (0, 8, 29)
    """
    return LEVELS.index(level)


def closest(word: str, allowed: Iterable[str]) -> str | None:
    """The allowed word nearest to ``word``, or None when nothing is near.

    >>> closest("numbnes", SENSATIONS)
    'numbness'
    """
    allowed = list(allowed)
    lowered = {a.lower(): a for a in allowed}
    hit = difflib.get_close_matches(str(word).lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[hit[0]] if hit else None


def describe_choice(word: object, allowed: Iterable[str], what: str) -> str:
    """A message for an unknown word: the word, the allowed ones, and the closest."""
    allowed = list(allowed)
    near = closest(str(word), allowed)
    hint = f" (did you mean '{near}'?)" if near else ""
    return f"unknown {what} {word!r}{hint}; allowed: {', '.join(allowed)}"
