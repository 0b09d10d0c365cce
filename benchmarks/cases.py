"""Seeded case generators: the same cases on every run and every machine.

Two kinds:

- :func:`valid_cases` draws cases over the whole case format (every region, aspect,
  sensation, cause, level, flag and red flag), as a practitioner's or researcher's software
  would send them. Workloads 2 and 3 use them.
- :func:`peer_cases` draws the narrow cases of workload 1, whose synthetic rules only look
  at the region and sensations of a complaint and at the cause.

Both return plain dicts in the case format; every one passes ``Case.from_dict``.
"""

from __future__ import annotations

import random
from typing import Any

from acupoints.base.vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    NERVES,
    RED_FLAGS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TENDERNESS,
    UPPER_LIMB,
)

#: Codes a practitioner often records as tender (some written the way people type them).
TENDER = ("BL10", "GB21", "GB20", "SI14", "LI4", "ST36", "GB30", "BL40", "SJ5", "UB23", "GB34", "Du14")
_DIGIT_REGIONS = frozenset({"fingers", "toes", "hand", "foot"})
#: Limb flags that may say where they apply.
_PLACED_FLAGS = frozenset({"lymphedema", "skin_lesion", "diabetic_foot"})


def _complaint(rng: random.Random) -> dict[str, Any]:
    region = rng.choice(REGIONS)
    c: dict[str, Any] = {
        "region": region,
        "sensations": rng.sample(SENSATIONS, rng.randint(1, 3)),
        "side": rng.choice(SIDES),
    }
    if rng.random() < 0.5:
        c["aspect"] = rng.choice(ASPECTS)
    if rng.random() < 0.5:
        c["severity"] = rng.randint(0, 10)
    if region in _DIGIT_REGIONS and rng.random() < 0.6:
        c["digits"] = sorted(rng.sample(range(1, 6), rng.randint(1, 3)))
    return c


def _flag(rng: random.Random) -> Any:
    flag = rng.choice(FLAGS)
    if flag not in _PLACED_FLAGS or rng.random() < 0.3:
        return flag
    item: dict[str, Any] = {"flag": flag, "side": rng.choice(("left", "right"))}
    if rng.random() < 0.5:
        item["limb"] = rng.choice(("arm", "leg"))
    else:
        item["region"] = rng.choice(sorted(UPPER_LIMB) + ["foot", "leg", "knee"])
    return item


def valid_case(rng: random.Random, n: int) -> dict[str, Any]:
    """One case over the whole format (about 6% carry a red flag and are referred)."""
    case: dict[str, Any] = {
        "id": f"case-{n}",
        "complaints": [_complaint(rng) for _ in range(rng.choice((1, 1, 2, 2, 3)))],
    }
    if rng.random() < 0.85:
        kind = rng.choice(CAUSE_KINDS)
        cause: dict[str, Any] = {"kind": kind}
        if kind == "nerve_root_compression":
            cause["levels"] = sorted(rng.sample(LEVELS, rng.randint(1, 2)), key=LEVELS.index)
        if kind in ("entrapment", "neuralgia") or rng.random() < 0.2:
            cause["nerve"] = rng.choice(NERVES)
        case["cause"] = cause
    case["tenderness"] = rng.choice(TENDERNESS)
    if rng.random() < 0.35:
        case["tender_points"] = rng.sample(TENDER, rng.randint(1, 3))
    if rng.random() < 0.2:
        case["flags"] = [_flag(rng) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.06:
        case["red_flags"] = [rng.choice(RED_FLAGS)]
    return case


def valid_cases(n: int, seed: int = 2024) -> list[dict[str, Any]]:
    """``n`` valid cases from a fixed seed."""
    rng = random.Random(seed)
    return [valid_case(rng, i) for i in range(n)]


#: The vocabulary of workload 1 (the 40 synthetic rules use the first 8, 4 and 5 words).
PEER_REGIONS = ("shoulder", "upper_arm", "elbow", "forearm", "hand", "thigh", "leg", "foot")
PEER_SENSATIONS = ("pain", "numbness", "tingling", "burning")
PEER_CAUSES = ("nerve_root_compression", "entrapment", "diabetes", "chemotherapy", "trauma")
#: Words the cases also use, which no synthetic rule matches.
OTHER_REGIONS = ("neck", "knee")
OTHER_SENSATIONS = ("weakness", "coldness", "allodynia", "stiffness")
OTHER_CAUSES = ("unknown",)


def peer_cases(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` cases for workload 1: one to three complaints and usually a cause."""
    rng = random.Random(seed)
    regions = PEER_REGIONS + OTHER_REGIONS
    sensations = PEER_SENSATIONS + OTHER_SENSATIONS
    causes = PEER_CAUSES + OTHER_CAUSES
    out: list[dict[str, Any]] = []
    for i in range(n):
        complaints = [
            {"region": rng.choice(regions), "sensations": rng.sample(sensations, rng.randint(1, 3))}
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        case: dict[str, Any] = {"id": f"peer-{i}", "complaints": complaints}
        if rng.random() < 0.95:
            case["cause"] = {"kind": rng.choice(causes)}
        out.append(case)
    return out
