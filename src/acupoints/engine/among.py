"""Fast path: queries that pick points ``among`` a named set, as bit masks over the set.

Most of the rulebook's queries pick a few points among a named set, filtered by the
affected regions or aspects. The plain query (:meth:`.query.GraphQuery.gather`) gathers
every point of the regions or channels first, then keeps the set's members in the set's
order. Here the same answer comes from the set's side: each filter value is a bit mask
over the set's members (:class:`SetMasks`), the filters are ANDed, and the lowest bits
are the first members. A query of a selection is also made once into an
:class:`AmongQuery`, which keeps its :class:`.query.Filters` (their fixed parts worked out)
and remembers the texts it writes.

The queries of the selection methods (``category``, ``outside``, ``within``, ``rank``)
take the plain query's steps, but their points are remembered by the filters they come
to (:meth:`Among.refined`): many complaints come to the same channels.

This is a cached specialisation of the one query in :mod:`.query`: the filter step is
the same code, and only the source step and ``among`` differ. Property tests pin the two
together on every ``among`` query of the rulebook with every filter redrawn:
``test_among_fast_path_finds_what_the_general_path_finds`` and
``test_an_among_query_worked_out_once_finds_what_the_query_finds``; and
``test_a_method_query_remembered_by_its_filters_finds_what_the_query_finds`` pins the
method queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from .caches import remember
from .query import Bound, Filters, GraphQuery, uses_methods

if TYPE_CHECKING:
    from ..rulebook.book import CompiledRule
    from ..rulebook.conditions import CaseView
    from ..rulebook.schema import Query
    from .binding import Binding

__all__ = ["Among", "AmongQuery", "SetMasks"]


class SetMasks:
    """A named set's members, and for each value of what queries test (region, aspect,
    surface, channel, group point) a bit mask of the members that have it: bit ``i`` is
    the set's ``i``-th member, so the lowest bits come first in the set's order."""

    __slots__ = ("aspect", "meridian", "nodes", "parent", "plain", "region", "surface")

    def __init__(self, members: tuple[tuple[Any, ...], ...]) -> None:
        self.nodes = tuple(m[0] for m in members)
        #: The members that are points, not places of a group point.
        self.plain = 0
        self.parent: dict[str, int] = {}
        self.region: dict[str, int] = {}
        self.aspect: dict[str, int] = {}
        self.surface: dict[str, int] = {}
        self.meridian: dict[str, int] = {}
        for i, (_, parent, region, aspect, surface, meridian) in enumerate(members):
            bit = 1 << i
            if parent is None:
                self.plain |= bit
            else:
                self.parent[parent] = self.parent.get(parent, 0) | bit
            for table, value in ((self.region, region), (self.aspect, aspect), (self.surface, surface),
                                 (self.meridian, meridian)):  # fmt: skip
                table[value] = table.get(value, 0) | bit

    @staticmethod
    def any_of(table: dict[str, int], values: Iterable[str]) -> int:
        """The members with any of ``values``."""
        out = 0
        for v in values:
            out |= table.get(v, 0)
        return out


class AmongQuery:
    """One selection's ``among`` query, made once: called with the affected regions and
    aspects, it gives what :meth:`.query.GraphQuery.run` gives on a binding of those."""

    __slots__ = ("among", "filters", "owner", "q", "rule")

    def __init__(self, owner: Among, rule: CompiledRule, q: Query) -> None:
        self.owner, self.rule, self.q = owner, rule, q
        self.filters = Filters(q, owner.plain.graph, owner.join, owner.plain.skin)
        self.among = f"among '{q.among}'"

    def __call__(self, regions: frozenset[str], aspects: frozenset[str]) -> tuple[tuple[str, ...], str]:
        f = self.filters.bind(regions, aspects, None)
        f.desc.append(self.among)
        return tuple(self.owner.found(self.rule, self.q, f)), "points " + ", ".join(f.desc)


class Among:
    """The ``among`` fast path of one engine, with what it keeps: each set's masks, each
    selection's :class:`AmongQuery`, and the texts of sets of words joined."""

    def __init__(self, plain: GraphQuery) -> None:
        self.plain = plain
        self._masks: dict[tuple[int, str], SetMasks] = {}
        #: Per (rule, selection): its AmongQuery, or False when its query is of another kind.
        self._compiled: dict[tuple[int, int], AmongQuery | Literal[False]] = {}
        self._joined: dict[frozenset[str], str] = {}
        #: The points of a method query by its filters (see refined): with the query, its words.
        self._refined: dict[tuple[Any, ...], tuple[Query, tuple[str, ...], tuple[str, ...]]] = {}

    def join(self, words: frozenset[str]) -> str:
        """``sorted_join(words)``, remembered (the same few sets come back all the time)."""
        text = self._joined.get(words)
        if text is None:
            text = "/".join(sorted(words))
            remember(self._joined, words, text)
        return text

    def run(self, q: Query, rule: CompiledRule, b: Binding | None, view: CaseView | None) -> tuple[tuple[str, ...], str]:  # fmt: skip
        """The query, through the masks when it picks among a set by region or channel,
        otherwise through the plain query; the same answer either way."""
        plain = self.plain
        if q.levels is None and uses_methods(q):
            return self.refined(q, rule, b, view)
        if q.among is None or q.levels is not None:
            return plain.run(q, rule, b, view)
        f = plain.filters(q, b, view)
        if f.regions is None and (q.neighbours_of or f.meridians is None):
            return plain.gather(q, rule, f, view)
        f.desc.append(f"among '{q.among}'")
        return tuple(self.found(rule, q, f)), "points " + ", ".join(f.desc)

    def refined(self, q: Query, rule: CompiledRule, b: Binding | None, view: CaseView | None) -> tuple[tuple[str, ...], str]:  # fmt: skip
        """A query of the selection methods (see :func:`.query.refine`) with no spinal
        levels: its filters worked out, then the points, remembered by the filters alone
        (its regions, aspects, channels, and the regions it keeps away from or counts
        steps from). Complaints that differ only in what the filters do not keep (the
        regions of a ``through`` query, the digits once their channels are known) share
        the points; the words are this binding's own."""
        plain = self.plain
        f = plain.filters(q, b, view)
        key = (rule.order, id(q), f.regions, f.aspects, f.meridians, f.outside, f.along)
        hit = self._refined.get(key)
        if hit is None or hit[0] is not q:
            before = len(f.desc)
            found, how = plain.gather(q, rule, f, view)
            remember(self._refined, key, (q, found, tuple(f.desc[before:])))
            return found, how
        return hit[1], "points " + ", ".join([*f.desc, *hit[2]])

    def compiled(self, rule: CompiledRule, position: int, q: Query | None) -> AmongQuery | Literal[False]:
        """The :class:`AmongQuery` of a rule's selection, made on first use; False when its
        query reads more than the affected regions and aspects (digits, roots), or is not an
        ``among`` one."""
        hit = self._compiled.get((rule.order, position))
        if hit is None:
            hit = self._compiled[(rule.order, position)] = self.compile(rule, q)
        return hit

    def compile(self, rule: CompiledRule, q: Query | None) -> AmongQuery | Literal[False]:
        """A new :class:`AmongQuery` for ``q``, or False when the query is of another kind."""
        if (
            q is None
            or q.among is None
            or q.levels is not None
            or q.digits is not None
            or uses_methods(q)
            or q.channels is not None
            or not (q.region is not None or (not q.neighbours_of and (q.meridians or q.through is not None)))
        ):
            return False
        return AmongQuery(self, rule, q)

    def found(self, rule: CompiledRule, q: Query, f: Bound) -> list[str]:
        """The members of ``q.among`` that the filters keep, in the set's order, up to its limit.

        Mirrors :meth:`MeridianGraph.in_region` (no aspect filter, or an empty one, filters
        nothing; an empty set of channels keeps no point) and, with no region, the points of
        the channels.
        """
        assert q.among is not None
        sm = self._masks.get((rule.order, q.among))
        if sm is None:
            sm = self._masks[(rule.order, q.among)] = SetMasks(self._members(rule.sets[q.among]))
        keep = sm.plain
        regions, aspects, meridians = f.regions, f.aspects, f.meridians
        if regions is None:  # the points of the channels (an empty set of channels: none)
            assert meridians is not None
            keep &= sm.any_of(sm.meridian, meridians)
        else:
            if q.groups:  # places of the group points named, in the regions
                keep |= sm.any_of(sm.parent, q.groups)
            keep &= sm.any_of(sm.region, regions)
            if aspects:
                keep &= sm.any_of(sm.aspect, aspects)
            if meridians is not None:  # an empty set of channels keeps none
                keep &= sm.any_of(sm.meridian, meridians)
        if q.surface is not None:
            keep &= sm.surface.get(q.surface, 0)
        out: list[str] = []
        limit = q.limit
        nodes = sm.nodes
        while keep and (limit is None or len(out) < limit):
            low = keep & -keep
            out.append(nodes[low.bit_length() - 1])
            keep ^= low
        return out

    def _members(self, codes: tuple[str, ...]) -> tuple[tuple[Any, ...], ...]:
        """A named set's members in its order (a repeated code counts at its last place), each
        with what queries test: (node, its group point or None, region, aspect, surface, channel)."""
        g = self.plain.graph
        order = {c: i for i, c in enumerate(codes)}
        out = []
        for n in sorted(order, key=order.__getitem__):
            data = g.attrs(n)
            parent = data["point"] if data["kind"] == "instance" else None
            point = g.attrs(parent) if parent is not None else data
            out.append((n, parent, data["region"], point["aspect"], point["surface"], point["meridian"]))
        return tuple(out)
