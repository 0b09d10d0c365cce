"""The plain-Python reference loop that workload 2's speed is measured against.

Absolute speed on a shared machine swings by up to 2x within an hour, so workload 2 also
reports the engine's rate as a ratio to this loop, timed in the same run and in turns
with it. The loop is fixed and uses none of the library's code, so a change to the
library never changes it. For each of workload 2's case dicts it walks the complaints,
joins the sets of codes that a fixed table gives for the complaint's region, sensations
and aspect (remembering each complaint's set, as the engine remembers what it found) and
for the case's cause, ranks the codes by a fixed weight, and builds a result of small
dicts for the first twelve.

Why this and not a tighter loop: the engine's speed depends much on what the processor's
caches hold, and a busy machine empties them. A tight loop over a few tuples (the 40
rules of workload 1, tried first) keeps its data in the fastest cache and hardly feels
that, so its ratio to the engine moved with the machine's load by 17% over three runs. A
loop that allocates, looks up and remembers as the engine does feels the load alike.

The tables hold made-up codes (``P000`` to ``P360``, as many as the regular points), drawn
for each word of the vocabulary from a generator seeded by the word itself: a word added
to the vocabulary later leaves every other word's entry as it was.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from acupoints.base.vocab import ASPECTS, CAUSE_KINDS, REGIONS, SENSATIONS

__all__ = ["PASSES", "REFERENCE", "reference_loop"]

#: Passes over each chunk of cases it is given, so that the loop and the engine take times
#: of the same order for a chunk (fixed: changing it changes the ratio's meaning).
PASSES = 3
#: Codes per word: region, sensation, aspect, cause.
_SIZES = {"region": 6, "sensation": 3, "aspect": 2, "cause": 4}
#: Results keep the best this many codes, as a prescription would.
_KEEP = 12
#: What the reference is, as stored with the baseline: a changed loop needs a new baseline.
REFERENCE = f"dict-walk with set unions over workload 2's case dicts, {PASSES} passes a chunk"

_CODES = tuple(f"P{i:03d}" for i in range(361))
_WEIGHT = {code: i % 7 + 1 for i, code in enumerate(_CODES)}


def _table(kind: str, words: Iterable[str]) -> dict[str, frozenset[str]]:
    return {w: frozenset(random.Random(f"{kind}:{w}").sample(_CODES, _SIZES[kind])) for w in words}


_REGION = _table("region", REGIONS)
_SENSATION = _table("sensation", SENSATIONS)
_ASPECT = _table("aspect", ASPECTS)
_CAUSE = _table("cause", CAUSE_KINDS)


def _rank(code: str) -> tuple[int, str]:
    return -_WEIGHT[code], code


def reference_loop(
    cases: Sequence[dict[str, Any]], passes: int = PASSES
) -> tuple[Callable[[range], list[dict[str, Any]]], Callable[[], None]]:
    """``(step, setup)``: ``step`` runs the loop ``passes`` times over the cases at the
    indices given and returns the last pass's results; ``setup`` forgets what it
    remembered, as a new engine starts with empty caches."""
    memo: dict[tuple[Any, ...], frozenset[str]] = {}

    def setup() -> None:
        memo.clear()

    def one_pass(some: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for case in some:
            cause = case.get("cause")
            points = set(_CAUSE[cause["kind"]]) if cause else set()
            for c in case["complaints"]:
                key = (c["region"], c.get("aspect"), c["side"], tuple(c["sensations"]))
                found = memo.get(key)
                if found is None:
                    joined = set(_REGION[c["region"]])
                    for s in c["sensations"]:
                        joined |= _SENSATION[s]
                    if "aspect" in c:
                        joined |= _ASPECT[c["aspect"]]
                    found = memo[key] = frozenset(joined)
                points |= found
            ranked = sorted(points, key=_rank)[:_KEEP]
            out.append({"id": case["id"], "points": [{"code": p, "weight": _WEIGHT[p]} for p in ranked]})
        return out

    def step(indices: range) -> list[dict[str, Any]]:
        some = cases[indices.start : indices.stop]
        result: list[dict[str, Any]] = []
        for _ in range(passes):
            result = one_pass(some)
        return result

    return step, setup
