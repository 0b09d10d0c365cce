"""Fast path: each case's selections, remembered by exactly what their queries read.

For each fired rule the engine needs what each of its selections finds. The plain
version is ``Finder.find(rule, select, Binding.of(view, matched), view)``: a binding of
every complaint the rule matched. Here a selection that depends on the case is keyed by
the parts of the binding its query reads (the affected regions, aspects, digits, and the
compressed levels; see :func:`.query.reads`), each part as a number, and a new key is
answered on a binding made of the key alone, so the key is all the answer can depend on.
The key is one integer: the number of those parts (worked out once per case for all the
selections that read alike) beside the selection's own number.
``among`` queries of that kind go through their :class:`.among.AmongQuery`.

Each complaint is answered on its own surface: a selection that reads "affected" is
found for each matched complaint alone (through the same cache, keyed by that complaint),
and the answers are joined, each point on the sides of the complaints that found it and
counted once. The tender points of one finding also count once, whichever rules name
them: the largest of their parts adds its score, the others are listed with none.

The property tests
``test_a_selection_keyed_by_what_it_reads_finds_what_the_full_binding_finds`` and
``test_totals_answer_each_complaint_on_its_own_surface`` pin this to the plain version
(:meth:`.selection.Finder.surfaces`) over cases that share parts of their keys.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from ..rulebook.conditions import NO_DIGITS, NO_WORDS, NONE, CaseView, Matched
from ..rulebook.schema import TenderWhere
from .binding import Binding, aspects_of, digits_of
from .caches import remember
from .ranking import LEFT, RIGHT, ROLE_WEIGHT, SIDE_BITS, SWAPPED, Entry, Found, add
from .result import Support, build
from .selection import (
    PLAN_BITS,
    READS_ASPECTS,
    READS_DIGITS,
    READS_LEVELS,
    READS_REGIONS,
    READS_ROOTS,
    Finder,
    Selecting,
    SelPlan,
    grouped,
)

if TYPE_CHECKING:
    from ..rulebook.book import CompiledRule
    from .tender import TenderPoints

__all__ = ["Numbers", "SelectionCache", "merged"]

#: One complaint as a set of matched complaints, by its index (shared, never rebuilt).
_ONE: tuple[Matched, ...] = tuple(frozenset((i,)) for i in range(64))
#: A selection's part on one complaint: what it found, and on which sides.
Part = tuple[Found, int]


def merged(parts: list[Part]) -> list[Part]:
    """The parts of one selection over several complaints, joined: each point once, with
    the support of the first complaint that found it, on the sides of every complaint
    that did (and the places of a group point from all of them)."""
    first: dict[str, list[Any]] = {}
    for (entries, support), sides in parts:
        for e in entries:
            m = first.get(e[0])
            if m is None:
                first[e[0]] = [e, sides, support]
                continue
            m[1] |= sides
            if e[1]:
                have = m[0][1]
                more = tuple([x for x in e[1] if x not in have])
                if more:
                    m[0] = (e[0], have + more, e[2], e[3])
    groups: dict[tuple[Support, int], list[Entry]] = {}
    for e, sides, support in first.values():
        groups.setdefault((support, sides), []).append(e)
    return [((tuple(entries), support), sides) for (support, sides), entries in groups.items()]


class SelectionCache:
    """What each fired rule's selections find for a case, added up into running totals."""

    def __init__(self, finder: Finder, tender: TenderPoints) -> None:
        self.finder = finder
        self.tender = tender
        #: Selections that depend on the case, by key() (the selection and what it reads).
        self._found: dict[int, Found] = {}
        #: What a query found, as Found entries (different cases often find the same points).
        self._entries_of: dict[tuple[str, ...], tuple[Entry, ...]] = {}
        #: Numbers for what selections read: the selection cache's keys are made of them.
        self.id_of = Numbers().of
        #: What queries read of a set of complaints, by the complaints' parts (see read()).
        self._read: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        #: A tender support's twin with no score: the finding already counts under another rule.
        self._once: dict[Support, Support] = {}
        #: What a ``one_of`` selection chose, by (rule, selection, tender points, levels).
        self._chosen: dict[Any, Found] = {}

    def totals(self, selecting: tuple[Selecting, ...], matched_by: dict[int, Matched],
               view: CaseView) -> dict[str, list[Any]]:  # fmt: skip
        """The running totals (see :data:`.ranking.NEG`) of every selection of the fired
        rules in ``selecting``, each rule's matched complaints by its bit in ``matched_by``."""
        acc: dict[str, list[Any]] = {}
        # Per set of matched complaints: see picks().
        picks: dict[Matched, list[Any]] = {}
        tender: list[tuple[Part, int]] = []
        tenders = view.tender
        # Bound once: this runs for every selection of every fired rule.
        known = self._found
        for rule, bit, plans in selecting:
            matched = matched_by.get(bit, NONE)
            got = picks.get(matched) or self.picks(picks, view, matched)
            for plan in plans:
                _, _, rank, found, _, side, per_case, each, uid, shape = plan
                if per_case and not tenders and plan.select.one_of is None:
                    continue  # a tender selection, and the case names no tender point
                if each and len(got[0]) > 1:
                    # Each complaint on its own surface, then joined.
                    if per_case:
                        tender += [(part, rank) for part in self.each(rule, plan, matched, picks, view)]
                    else:
                        for part in self.joined(rule, plan, matched, picks, view):
                            add(acc, part[0], rank, part[1])
                    continue
                # The complaints' sides, both sides, or the opposite ones (left and right swapped).
                sides = got[1] if side == 0 else LEFT | RIGHT if side == 1 else SWAPPED[got[1]]
                if found is None:  # selected(), its cache read here (the key as in key())
                    n = got[6].get(shape)
                    key = (self.number(got, shape, view) if n is None else n) << PLAN_BITS | uid
                    found = known.get(key) or self.found(key, rule, plan, got, view)
                elif per_case:
                    if plan.select.one_of is not None:
                        found = self.one_of(rule, plan, view)
                    else:
                        tender.append(((self.tendered(plan, got, view), sides), rank))
                        continue
                add(acc, found, rank, sides)
        if tender:
            self.add_tender(acc, tender)
        return acc

    def joined(
        self,
        rule: CompiledRule,
        plan: SelPlan,
        matched: Matched,
        picks: dict[Matched, list[Any]],
        view: CaseView,
    ) -> list[Part]:
        """What :meth:`each` finds, :func:`merged`. Each complaint's part comes from the
        selection cache; the join itself is not remembered: its key would be every
        complaint's key together, which few cases share, and the entries it kept would
        hold supports, which the garbage collector walks for as long as they are kept."""
        side, uid, shape = plan.side, plan.uid, plan.shape
        parts: list[Part] = []
        known = self._found
        for i in sorted(matched) if matched else range(len(view.facts)):
            one = _ONE[i] if i < 64 else frozenset((i,))
            got = picks.get(one) or self.picks(picks, view, one)
            n = got[6].get(shape)  # the key as in key()
            key = (self.number(got, shape, view) if n is None else n) << PLAN_BITS | uid
            found = known.get(key) or self.found(key, rule, plan, got, view)
            sides = got[1]
            parts.append((found, sides if side == 0 else LEFT | RIGHT if side == 1 else SWAPPED[sides]))
        return merged(parts)

    def each(
        self,
        rule: CompiledRule,
        plan: SelPlan,
        matched: Matched,
        picks: dict[Matched, list[Any]],
        view: CaseView,
    ) -> list[Part]:
        """A selection that reads "affected", found for each matched complaint alone (the
        tender selections go this way: their parts are joined with the other rules')."""
        side = plan.side
        parts: list[Part] = []
        for i in sorted(matched) if matched else range(len(view.facts)):
            one = _ONE[i] if i < 64 else frozenset((i,))
            got = picks.get(one) or self.picks(picks, view, one)
            sides = got[1] if side == 0 else LEFT | RIGHT if side == 1 else SWAPPED[got[1]]
            found = (
                self.tendered(plan, got, view) if plan.per_case else self.selected(rule, plan, one, got, view)
            )
            parts.append((found, sides))
        return parts

    def tendered(self, plan: SelPlan, got: list[Any], view: CaseView) -> Found:
        """The case's tender points a tender selection takes, for these complaints."""
        assert plan.static is not None
        entries = self.tender.entries(view.case)
        where = plan.select.tender_points
        if entries and isinstance(where, TenderWhere):
            regions = frozenset([f.region for f in got[0]]) if where.limb else NO_WORDS
            keep = self.finder.tender_keep(where, regions)
            entries = tuple([e for e in entries if keep(e[0])])
        return (entries, plan.static[1])

    def add_tender(self, acc: dict[str, list[Any]], tender: list[tuple[Part, int]]) -> None:
        """Add the tender selections' parts so that each tender finding counts once: the
        largest part of a point adds its score (the first of equals); the others name
        their rule with no score."""
        by_support: dict[Support, tuple[list[Part], int]] = {}
        for part, rank in tender:
            by_support.setdefault(part[0][1], ([], rank))[0].append(part)
        joined = [(p, rank) for parts, rank in by_support.values() for p in merged(parts)]
        best: dict[str, Support] = {}
        for ((entries, support), _), _ in joined:
            for e in entries:
                b = best.get(e[0])
                if b is None or support.score > b.score:
                    best[e[0]] = support
        for ((entries, support), sides), rank in joined:
            full = tuple([e for e in entries if best[e[0]] is support])
            rest = tuple([e for e in entries if best[e[0]] is not support])
            if full:
                add(acc, (full, support), rank, sides)
            if rest:
                add(acc, (rest, self.once(support)), rank, sides)

    def once(self, support: Support) -> Support:
        """The twin of a tender support that adds nothing (see :meth:`add_tender`)."""
        twin = self._once.get(support)
        if twin is None:
            twin = support._replace(score=0.0, found_by=f"{support.found_by} (already counted once)")
            remember(self._once, support, twin)
        return twin

    def one_of(self, rule: CompiledRule, plan: SelPlan, view: CaseView) -> Found:
        """What a ``one_of`` selection chooses on this case, remembered by what it reads:
        which of its points are tender, and the compressed levels."""
        sel = plan.select
        tender = frozenset([e[0] for e in self.tender.entries(view.case)]) if view.tender else NO_WORDS
        key = (rule.order, plan.position, tender, self.id_of(view.levels))
        hit = self._chosen.get(key)
        if hit is None:
            found, how = self.finder.find(rule, sel, None, view)
            score = ROLE_WEIGHT[sel.role] * sel.weight
            hit = (self.finder.entries(grouped(found)), Support(rule.id, sel.role, score, how, rule.pack,
                                                                 rule.source_key))  # fmt: skip
            remember(self._chosen, key, hit)
        return hit

    @staticmethod
    def picks(picks: dict[Matched, list[Any]], view: CaseView, matched: Matched) -> list[Any]:
        """A new entry of ``picks`` for these matched complaints (all of them when the rule
        matched none): the complaints, their sides, and (filled in when a selection first
        asks, see read()) their regions, aspects and digits, then the numbers of these three,
        and the numbers of what selections read of them by shape (see number())."""
        facts = [view.facts[i] for i in sorted(matched)] if matched else view.facts
        sides = 0
        for f in facts:
            sides |= SIDE_BITS[f.side]
        got = picks[matched] = [facts, sides, None, None, None, None, {}]
        return got

    def selected(
        self, rule: CompiledRule, plan: SelPlan, matched: Matched, got: list[Any], view: CaseView
    ) -> Found:
        """A case-dependent selection's points and support, cached by exactly what its query
        reads of the matched complaints (the key of :func:`.selection.depends_on`), each
        part as its number (see Numbers)."""
        return self.found(self.key(rule, plan, got, view), rule, plan, got, view)

    def key(self, rule: CompiledRule, plan: SelPlan, got: list[Any], view: CaseView) -> int:
        """The cache key of a selection on these complaints: the number of what its query
        reads of them (see :meth:`number`) and the selection's own number, as one integer.
        (A key of ints alone the garbage collector never walks, and it hashes at once.)"""
        n: int | None = got[6].get(plan.shape)
        if n is None:
            n = self.number(got, plan.shape, view)
        return n << PLAN_BITS | plan.uid

    def number(self, got: list[Any], shape: int, view: CaseView) -> int:
        """The number of what a selection of this shape (see :func:`.selection.shape_of`)
        reads of the complaints of ``got``: their regions, aspects and digits, and the
        compressed levels, each as its number (see Numbers), or None where it reads none.
        The selections of a case that read alike share it, so it is worked out once per
        set of complaints and shape."""
        ids = got[5]
        if ids is None:
            ids = self.read(got)
        levels = None
        # ``channels: root_territory`` reads the roots only when the complaints give
        # neither digits nor an aspect (see Filters.skin_channels), and of them only those
        # whose skin reaches the complaints' regions; then, unless the query also asks for
        # the compressed levels, cases with other roots share it.
        if shape & READS_LEVELS:
            levels = self.id_of(view.levels)
        elif shape & READS_ROOTS and not (got[3] or got[4][0] or got[4][1]):
            # (The graph is read here, not kept from __init__: an engine builds it on first use.)
            levels = self.id_of(self.finder.catalog.graph.roots_reaching(view.levels, got[2]))
        n = got[6][shape] = self.id_of((
            ids[0] if shape & READS_REGIONS else None,
            ids[1] if shape & READS_ASPECTS else None,
            ids[2] if shape & READS_DIGITS else None,
            levels,
        ))  # fmt: skip
        return n

    def read(self, got: list[Any]) -> tuple[int, int, int]:
        """Fill in what queries read of the complaints of ``got`` (their regions, aspects
        and digits, and the numbers of these three), remembered by the complaints'
        regions, aspects, digits and limbs: the same few complaints come back case after
        case, and a new set of regions hashes slower than the words it is made of."""
        facts = got[0]
        # No digits is None rather than an empty set: a key of words alone the garbage
        # collector soon stops walking.
        said = tuple([(f.region, f.aspect, f.digits or None, f.limb) for f in facts])
        hit = self._read.get(said)
        if hit is None:
            regions, aspects, digits = (
                frozenset([f.region for f in facts]),
                aspects_of(facts),
                digits_of(facts),
            )
            hit = (regions, aspects, digits, (self.id_of(regions), self.id_of(aspects), self.id_of(digits)))
            remember(self._read, said, hit)
        ids: tuple[int, int, int]
        got[2], got[3], got[4], ids = hit
        got[5] = ids
        return ids

    def found(self, key: int, rule: CompiledRule, plan: SelPlan, got: list[Any], view: CaseView) -> Found:
        """The selection of this key: remembered, or found now on the complaints of ``got``."""
        hit = self._found.get(key)
        if hit is None:
            reads = plan.reads
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
