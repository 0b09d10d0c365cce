"""Synthetic rules, written as this library's YAML rule files.

Workload 1 uses :func:`peer_rules` (40 rules: "region R and a sensation in S and cause C
-> points"); workload 3 uses :func:`growth_rules` (any number of rules over the whole
vocabulary). Both are seeded, so every run sees the same rules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from acupoints import Catalog
from acupoints.base.vocab import ASPECTS, CAUSE_KINDS, LEVELS, NERVES, REGIONS, ROLES, SENSATIONS

from .cases import PEER_CAUSES, PEER_REGIONS, PEER_SENSATIONS


@dataclass(frozen=True)
class PeerRule:
    """One rule of workload 1, in a form every peer engine can be given."""

    id: str
    region: str
    sensations: tuple[str, ...]
    cause: str
    points: tuple[str, ...]


def point_pool() -> list[str]:
    """The codes synthetic rules pick from: the points of the regular channels, GV and CV."""
    return [p.code for p in Catalog.default() if not p.is_extra]


def peer_rules(seed: int = 40) -> list[PeerRule]:
    """The 40 rules: every pair of the 8 regions and 5 causes once, each with its own sensations."""
    rng = random.Random(seed)
    pool = point_pool()
    rules = []
    for k in range(40):
        # 8 and 5 are coprime, so k % 8 and k % 5 meet every (region, cause) pair once.
        rules.append(
            PeerRule(
                id=f"syn-{k:02d}",
                region=PEER_REGIONS[k % 8],
                sensations=tuple(rng.sample(PEER_SENSATIONS, rng.randint(1, 3))),
                cause=PEER_CAUSES[k % 5],
                points=tuple(rng.sample(pool, rng.randint(2, 4))),
            )
        )
    return rules


def _file(pack: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "pack": pack,
        "description": "Synthetic rules for the benchmark.",
        "sources": {"SYN": "Synthetic benchmark rules (not clinical)"},
        "rules": rules,
    }


def peer_rule_file(rules: list[PeerRule]) -> dict[str, Any]:
    """The rules of workload 1 as one rule file of this library."""
    return _file(
        "synthetic",
        [
            {
                "id": r.id,
                "source": "SYN",
                "summary": f"Synthetic rule {r.id}",
                "when": {
                    "complaint": {"region": [r.region], "sensation": list(r.sensations)},
                    "cause": [r.cause],
                },
                "select": [{"points": list(r.points), "role": "local"}],
            }
            for r in rules
        ],
    )


def growth_rules(n: int, seed: int = 3) -> dict[str, Any]:
    """``n`` rules over the whole vocabulary, as one rule file.

    Each rule asks for a region and some sensations in one complaint, a cause, and one
    more thing: an aspect of that complaint, a nerve or a spinal level. A case fires about
    one rule per thousand, so a book ten times as large fires about ten times as many
    rules on each case. Each selects two to four points in some role.
    """
    rng = random.Random(seed)
    pool = point_pool()
    rules = []
    for k in range(n):
        complaint: dict[str, Any] = {
            "region": [rng.choice(REGIONS)],
            "sensation": rng.sample(SENSATIONS, rng.randint(1, 3)),
        }
        when: dict[str, Any] = {"complaint": complaint, "cause": [rng.choice(CAUSE_KINDS)]}
        extra = rng.random()
        if extra < 0.4:
            complaint["aspect"] = [rng.choice(ASPECTS)]
        elif extra < 0.7:
            when["nerve"] = [rng.choice(NERVES)]
        else:
            when["levels"] = rng.sample(LEVELS, 2)
        rules.append(
            {
                "id": f"grow-{k:05d}",
                "source": "SYN",
                "summary": f"Synthetic rule {k}",
                "when": when,
                "select": [{"points": rng.sample(pool, rng.randint(2, 4)), "role": rng.choice(ROLES)}],
            }
        )
    return _file("growth", rules)


def write_rule_file(folder: Path, name: str, data: dict[str, Any]) -> Path:
    """Write a rule file as YAML and return its path."""
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=200), encoding="utf-8")
    return path
