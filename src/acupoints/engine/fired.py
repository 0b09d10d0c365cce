"""Fast path: what a set of fired rules implies, worked out once per set of rules.

Many cases fire the same set of rules. Whatever does not depend on the case itself is
worked out once per set, keyed by the set's bits (see :meth:`RuleBook.fired_rules`): the
ids of the rules, whether any refers, each selecting rule with its prepared selections,
each excluding rule, and the plan and advice (:mod:`.outputs`). Each rule's own part is
made once and shared by every set that holds it.

The plain version is :meth:`Engine.fired` (every candidate rule tested, in rule order)
followed by each rule's selections, exclusions and outputs. The property test
``test_suggest_fires_the_rules_that_fired_finds`` pins the rules to it, and
``test_results_are_deterministic`` (a new engine, its caches empty) and
``test_one_engine_while_its_cache_keeps_emptying`` pin the results to those worked out
afresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .caches import remember
from .exclusion import Excluding
from .outputs import NO_OUTPUTS, Assembler, Outputs, Referring, referring_of
from .selection import Finder, Selecting

if TYPE_CHECKING:
    from ..rulebook.book import CompiledRule, RuleBook

__all__ = ["PIECE", "Fired", "FiredPlans"]

#: Bits of a set of fired rules taken at a time (see FiredPlans._work_out): wider pieces
#: mean fewer steps per new set and more pieces to remember. Sixteen did best on the
#: shipped rules (about 1% fewer instructions per case than eight; 32 did worse).
PIECE = 16
_MASK = (1 << PIECE) - 1

#: A rule's shared entries of a Fired: the rule, and its selecting and excluding entries.
Parts = tuple["CompiledRule", "Selecting | None", "Excluding | None"]

#: The rules of one piece of a set's bits: their ids, selecting and excluding entries.
Chunk = tuple[tuple[str, ...], tuple[Selecting, ...], tuple[Excluding, ...]]


class Fired(NamedTuple):
    """What a set of fired rules implies, whatever the case."""

    ids: tuple[str, ...]
    #: The rules that refer the case (none: the case gets points).
    referring: tuple[CompiledRule, ...]
    #: (rule, its bit, prepared selections) of the rules that select points.
    selecting: tuple[Selecting, ...]
    #: (rule, its bit) of the rules that exclude points.
    excluding: tuple[Excluding, ...]
    outputs: Outputs
    #: What the referring rules say (None when none refers), shared by the sets of the
    #: same referring rules.
    refer: Referring | None = None


class FiredPlans:
    """The :class:`Fired` of each set of fired rules, worked out once per set."""

    def __init__(self, rulebook: RuleBook, finder: Finder, assembler: Assembler) -> None:
        self.rulebook = rulebook
        self.finder = finder
        self.assembler = assembler
        self._per_set: dict[int, Fired] = {}
        #: Per rule position: the rule and its shared entries of Fired (see _parts_of).
        self._parts: dict[int, Parts] = {}
        #: The rules of one piece of the bits, by the piece's place (shifted left by
        #: PIECE) plus its value (see _chunk): only the pieces that sets have shown.
        self._chunks: dict[int, Chunk] = {}
        #: The bits of the rules that refer, and of those with a plan, advice or warnings.
        self._refer_bits = sum(1 << i for i, r in enumerate(rulebook.rules) if r.refers)
        #: What each set of referring rules says, by their bits (few sets).
        self._referrals: dict[int, Referring] = {}
        self._talk_bits = sum(1 << i for i, r in enumerate(rulebook.rules) if r.talks)

    def of(self, bits: int) -> Fired:
        """What the set of fired rules with these bits implies, kept for the next case."""
        hit = self._per_set.get(bits)
        if hit is None:
            hit = self._work_out(bits)
            remember(self._per_set, bits, hit)
        return hit

    def _work_out(self, bits: int) -> Fired:
        selecting: list[Selecting] = []
        excluding: list[Excluding] = []
        ids: list[str] = []
        # A piece of the bits at a time: most sets are new, and a set holds some twenty
        # rules, so the parts of each piece's rules are joined once (see _chunk).
        chunks = self._chunks
        rest = bits
        at = 0
        step = 1 << PIECE
        while rest:
            piece = rest & _MASK
            if piece:
                chunk = chunks.get(at | piece)
                if chunk is None:
                    chunk = chunks[at | piece] = self._chunk(at, piece)
                ids += chunk[0]
                selecting += chunk[1]
                excluding += chunk[2]
            rest >>= PIECE
            at += step
        refer_bits = bits & self._refer_bits
        if refer_bits:
            referring = self.rulebook.fired_rules(refer_bits)
            said = self._referrals.get(refer_bits)
            if said is None:
                said = referring_of(referring)
                remember(self._referrals, refer_bits, said)
            return Fired(tuple(ids), tuple(referring), tuple(selecting), tuple(excluding), NO_OUTPUTS, said)
        outputs = self.assembler.outputs(bits & self._talk_bits)
        return Fired(tuple(ids), (), tuple(selecting), tuple(excluding), outputs)

    def _chunk(self, at: int, piece: int) -> Chunk:
        """The ids, selecting and excluding entries of the rules of one piece of a set's
        bits (the piece ``at >> PIECE`` of the bits, its value ``piece``), in rule order:
        the plain version is one rule at a time, lowest bit first."""
        ids: list[str] = []
        selecting: list[Selecting] = []
        excluding: list[Excluding] = []
        parts_of = self._parts
        rules = self.rulebook.rules
        base = (at >> PIECE) * PIECE
        for j in range(PIECE):
            if not piece >> j & 1:
                continue
            position = base + j
            parts = parts_of.get(position)
            if parts is None:
                parts = parts_of[position] = self._parts_of(rules[position], 1 << position)
            rule, selects, excludes = parts
            ids.append(rule.id)
            if selects is not None:
                selecting.append(selects)
            if excludes is not None:
                excluding.append(excludes)
        return tuple(ids), tuple(selecting), tuple(excluding)

    def _parts_of(self, rule: CompiledRule, bit: int) -> Parts:
        """A rule's entries in :attr:`Fired.selecting` and :attr:`Fired.excluding` (None
        where it has none): made once per rule, so the sets of fired rules share them."""
        plans = self.finder.plans.get(rule.order)
        if plans is None:
            plans = self.finder.plan(rule)
        return rule, ((rule, bit, plans) if plans else None), ((rule, bit) if rule.excludes else None)
