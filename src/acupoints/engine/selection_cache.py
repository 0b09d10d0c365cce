"""Fast path: each case's selections, remembered by exactly what their queries read.

For each fired rule the engine needs what each of its selections finds. The plain
version is ``Finder.find(rule, select, Binding.of(view, matched), view)``: a binding of
every complaint the rule matched. Here a selection that depends on the case is keyed by
the parts of the binding its query reads (the affected regions, aspects, digits, and the
compressed levels; see :func:`.query.reads`), each part as a number, and a new key is
answered on a binding made of the key alone, so the key is all the answer can depend on.
``among`` queries of that kind go through their :class:`.among.AmongQuery`.

The property test
``test_a_selection_keyed_by_what_it_reads_finds_what_the_full_binding_finds`` pins this
to the plain version over cases that share parts of their keys.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from ..rulebook.conditions import NO_DIGITS, NO_WORDS, NONE, CaseView, Matched
from .binding import Binding, aspects_of, digits_of
from .caches import remember
from .ranking import LEFT, RIGHT, ROLE_WEIGHT, SIDE_BITS, SWAPPED, Entry, Found, add
from .result import Support, build
from .selection import Finder, Selecting, SelPlan, grouped

if TYPE_CHECKING:
    from ..rulebook.book import CompiledRule
    from .tender import TenderPoints

__all__ = ["Numbers", "SelectionCache"]


class SelectionCache:
    """What each fired rule's selections find for a case, added up into running totals."""

    def __init__(self, finder: Finder, tender: TenderPoints) -> None:
        self.finder = finder
        self.tender = tender
        #: Selections that depend on the case: (rule, selection, what it reads) -> Found.
        self._found: dict[Any, Found] = {}
        #: What a query found, as Found entries (different cases often find the same points).
        self._entries_of: dict[tuple[str, ...], tuple[Entry, ...]] = {}
        #: Numbers for what selections read: the selection cache's keys are made of them.
        self.id_of = Numbers().of

    def totals(self, selecting: tuple[Selecting, ...], matched_by: dict[int, Matched],
               view: CaseView) -> dict[str, list[Any]]:  # fmt: skip
        """The running totals (see :data:`.ranking.NEG`) of every selection of the fired
        rules in ``selecting``, each rule's matched complaints by its bit in ``matched_by``."""
        acc: dict[str, list[Any]] = {}
        # Per set of matched complaints: see picks().
        picks: dict[Matched, list[Any]] = {}
        for rule, bit, plans in selecting:
            matched = matched_by.get(bit, NONE)
            got = picks.get(matched) or self.picks(picks, view, matched)
            for plan in plans:
                _, _, rank, found, _, side, per_case = plan
                if found is None:
                    found = self.selected(rule, plan, matched, got, view)
                elif per_case:
                    found = (self.tender.entries(view.case), found[1])
                # The complaints' sides, both sides, or the opposite ones (left and right swapped).
                add(acc, found, rank, got[1] if side == 0 else LEFT | RIGHT if side == 1 else SWAPPED[got[1]])
        return acc

    @staticmethod
    def picks(picks: dict[Matched, list[Any]], view: CaseView, matched: Matched) -> list[Any]:
        """A new entry of ``picks`` for these matched complaints (all of them when the rule
        matched none): the complaints, their sides, and (filled in when a selection first
        asks) their regions, aspects and digits, then the numbers of these three (see Numbers)."""
        facts = [view.facts[i] for i in sorted(matched)] if matched else view.facts
        sides = 0
        for f in facts:
            sides |= SIDE_BITS[f.side]
        got = picks[matched] = [facts, sides, None, None, None, None, None, None]
        return got

    def selected(
        self, rule: CompiledRule, plan: SelPlan, matched: Matched, got: list[Any], view: CaseView
    ) -> Found:
        """A case-dependent selection's points and support, cached by exactly what its query
        reads of the matched complaints (the key of :func:`.selection.depends_on`), each
        part as its number (see Numbers)."""
        reads = plan.reads
        regions = aspects = digits = levels = None
        if reads[0]:
            regions = got[5]
            if regions is None:
                got[2] = frozenset([f.region for f in got[0]])
                regions = got[5] = self.id_of(got[2])
        if reads[1]:
            aspects = got[6]
            if aspects is None:
                got[3] = aspects_of(got[0])
                aspects = got[6] = self.id_of(got[3])
        if reads[2]:
            digits = got[7]
            if digits is None:
                got[4] = digits_of(got[0])
                digits = got[7] = self.id_of(got[4])
        if reads[3]:
            levels = self.id_of(view.levels)
        key = (rule.order, plan.position, regions, aspects, digits, levels)
        hit = self._found.get(key)
        if hit is None:
            hit = self._select_new(rule, plan, got[2] if reads[0] else None, got[3] if reads[1] else None,
                                   got[4] if reads[2] else None, view)  # fmt: skip
            remember(self._found, key, hit)
        return hit

    def _select_new(
        self,
        rule: CompiledRule,
        plan: SelPlan,
        regions: frozenset[str] | None,
        aspects: frozenset[str] | None,
        digits: tuple[frozenset[int], frozenset[int]] | None,
        view: CaseView,
    ) -> Found:
        """A case-dependent selection not seen before. Its query gets a binding made of its
        cache key alone (what it does not read is left empty), so the key is by construction
        all the answer depends on."""
        sel = plan.select
        finder = self.finder
        quick = finder.among.compiled(rule, plan.position, sel.query)
        if quick:
            found, how = quick(regions or NO_WORDS, aspects or NO_WORDS)
        else:
            fingers, toes = digits or (NO_DIGITS, NO_DIGITS)
            b = build(Binding, {"regions": regions or NO_WORDS, "aspects": aspects or NO_WORDS, "fingers": fingers,
                                "toes": toes, "side": NO_WORDS})  # fmt: skip
            found, how = finder.find(rule, sel, b, view)
        entries = self._entries_of.get(found)
        if entries is None:
            entries = finder.entries(grouped(found))
            remember(self._entries_of, found, entries)
        score = ROLE_WEIGHT[sel.role] * sel.weight
        return entries, Support(rule.id, sel.role, score, how, rule.pack, rule.source_key)


class Numbers:
    """Numbers for the things selections read, each number given to one value only: a
    number is never reused, even after its value is forgotten."""

    def __init__(self) -> None:
        self._ids: dict[Any, int] = {}
        self._numbers = itertools.count()

    def of(self, value: Any) -> int:
        """A number for one thing a query reads (a set of regions, of aspects, the digits, the
        levels), the same while it is remembered. The selection cache's keys are numbers
        alone, so the garbage collector soon stops looking at them; sets, and the tuples
        that hold them, it walks at every collection."""
        ids = self._ids
        number = ids.get(value)
        if number is None:
            # next() on the counter is one step, so two threads never get the same number;
            # if both number the same value, the second number wins and the first is never
            # seen again, which costs a cache miss and never a wrong answer.
            number = next(self._numbers)
            remember(ids, value, number)
        return number
