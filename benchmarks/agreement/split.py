"""The check half: a third of the agreement files set aside before any rule is written.

The split was drawn once, from the sorted file names shuffled with a fixed seed, and is
recorded in ``split.yaml`` so that it never moves. A file added later is not in the record;
it goes to a half by a hash of its name, so adding files never moves an old one and the
new ones still split about one in three.

Run ``python -m benchmarks.agreement`` to draw and record the split when no record
exists yet; with a record present it only prints where each file goes.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

__all__ = [
    "SEED",
    "SPLIT_FILE",
    "assign",
    "by_hash",
    "draw",
    "halves",
    "load_split",
    "load_withdrawn",
    "write_split",
]

SEED = 20261206
SPLIT_FILE = Path(__file__).resolve().parent / "split.yaml"


def draw(names: Iterable[str], seed: int = SEED) -> dict[str, list[str]]:
    """The split of ``names``: sorted, shuffled with ``seed``, the first third to check.

    >>> draw(["a", "b", "c", "d", "e", "f"])["check"] == draw(["f", "e", "d", "c", "b", "a"])["check"]
    True
    """
    ordered = sorted(set(names))
    random.Random(seed).shuffle(ordered)
    cut = round(len(ordered) / 3)
    return {"check": sorted(ordered[:cut]), "tune": sorted(ordered[cut:])}


def by_hash(name: str) -> str:
    """The half of a file that the record does not know: one name in three is checked.

    >>> by_hash("example-2030") in ("check", "tune")
    True
    """
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return "check" if int.from_bytes(digest[:8], "big") % 3 == 0 else "tune"


def load_split(path: Path = SPLIT_FILE) -> dict[str, list[str]]:
    """The recorded split (``check`` and ``tune`` name lists); empty when not drawn yet."""
    if not path.exists():
        return {"check": [], "tune": []}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {"check": list(data.get("check", [])), "tune": list(data.get("tune", []))}


def load_withdrawn(path: Path = SPLIT_FILE) -> dict[str, str]:
    """Files of the recorded draw taken out of the benchmark since, each with the reason.

    The draw stays as it was recorded, so it can still be checked against the seed; a
    withdrawn name is simply no longer scored.
    """
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(name): str(why) for name, why in (data.get("withdrawn") or {}).items()}


def assign(name: str, record: Mapping[str, Iterable[str]]) -> str:
    """``check`` or ``tune`` for one file: the record first, the hash for newer files."""
    for half in ("check", "tune"):
        if name in record.get(half, ()):
            return half
    return by_hash(name)


def halves(names: Iterable[str], record: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Every name of ``names`` in its half."""
    out: dict[str, list[str]] = {"check": [], "tune": []}
    for name in sorted(names):
        out[assign(name, record)].append(name)
    return out


def write_split(names: Iterable[str], path: Path = SPLIT_FILE) -> dict[str, list[str]]:
    """Draw the split of ``names`` and record it; refuses to replace an existing record."""
    if path.exists():
        raise FileExistsError(f"{path} exists; the split is fixed once and never redrawn")
    split = draw(names)
    header = (
        "# The check half of the agreement benchmark, drawn once before any rule was written:\n"
        f"# the sorted file names shuffled with random.Random({SEED}), the first third to check.\n"
        "# Never edit or redraw. Files added later are not listed here; they go to a half by a\n"
        "# hash of their name (benchmarks/agreement/split.py).\n"
    )
    body = yaml.safe_dump({"seed": SEED, **split}, sort_keys=False, default_flow_style=False)
    path.write_text(header + body, encoding="utf-8")
    return split
