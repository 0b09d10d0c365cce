"""Selections: the kinds of selection a rule may write, and each rule's selections prepared once.

A selection (or an exclusion's target) names its points in one of the ways of
:data:`SELECTION_KINDS`: named ``points``, a named ``set``, a graph ``query``, the case's
``tender_points`` (all, or those of a region or of the affected limb), or ``one_of`` a
list (the tender ones, else the one nearest the exit of the compressed roots). Each kind
is one function from the rule, the selection and what the rule matched to the nodes found
and how; to add a kind, write the function and add one line to the registry (and its
field to the rule schema).

The plain meaning of "affected" is per complaint: :meth:`Finder.surfaces` runs a
selection that reads it once on each matched complaint (:meth:`.binding.Binding.each`).

:meth:`Finder.plan` prepares a rule's selections when the rule first fires: what does not
depend on the case is found then and kept; the rest is found per case through the
selection cache (:mod:`.selection_cache`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from ..base.vocab import level_index
from ..catalog.roots import exit_of
from ..rulebook.conditions import NO_WORDS
from ..rulebook.schema import Select, TenderWhere
from .among import Among
from .binding import Binding, limb_regions
from .caches import remember
from .query import GraphQuery, reads
from .ranking import ROLE_RANK, ROLE_WEIGHT, Entry, Found
from .result import Support

if TYPE_CHECKING:
    from ..catalog.catalog import Catalog
    from ..rulebook.book import CompiledRule, RuleBook
    from ..rulebook.conditions import CaseView, Matched
    from ..rulebook.schema import Exclude

__all__ = [
    "PLAN_BITS",
    "READS_ASPECTS",
    "READS_DIGITS",
    "READS_LEVELS",
    "READS_REGIONS",
    "READS_ROOTS",
    "SELECTION_KINDS",
    "Finder",
    "SelPlan",
    "Selecting",
    "SelectionKind",
    "depends_on",
    "grouped",
    "is_static",
    "kind_of",
    "per_complaint",
    "shape_of",
    "tender_takes",
    "tender_text",
]

Nodes = tuple[tuple[str, ...], str]


class SelectionKind(NamedTuple):
    """One way a selection names its points: the field of the rule that gives it, and how
    to find its nodes (with how it found them) for a rule, a binding and a case."""

    field: str
    find: Callable[[Finder, CompiledRule, Select | Exclude, Binding | None, CaseView | None], Nodes]
    #: True when the nodes come from the case itself, not from what the rule matched: the
    #: engine then reads them for each case (see :mod:`.tender`), never from a cache.
    per_case: bool = False


def _named_points(f: Finder, rule: CompiledRule, sel: Select | Exclude, b: Binding | None,
                  view: CaseView | None) -> Nodes:  # fmt: skip
    points = sel.points or ()
    return tuple(f.code(p) for p in points), f"named points {', '.join(points)}"


def _named_set(f: Finder, rule: CompiledRule, sel: Select | Exclude, b: Binding | None,
               view: CaseView | None) -> Nodes:  # fmt: skip
    assert isinstance(sel, Select) and sel.set is not None
    return rule.sets[sel.set], f"set '{sel.set}'"


def _graph_query(f: Finder, rule: CompiledRule, sel: Select | Exclude, b: Binding | None,
                 view: CaseView | None) -> Nodes:  # fmt: skip
    assert sel.query is not None
    return f.among.run(sel.query, rule, b, view)


def _tender_points(f: Finder, rule: CompiledRule, sel: Select | Exclude, b: Binding | None,
                   view: CaseView | None) -> Nodes:  # fmt: skip
    written = view.case.tender_points if view is not None else ()
    found = [f.catalog.resolve(t) for t in written]
    codes = tuple(dict.fromkeys([c for c in found if c]))
    where = sel.tender_points if isinstance(sel, Select) else None
    if not isinstance(where, TenderWhere):
        return codes, "the case's tender points"
    keep = f.tender_keep(where, b.regions if b is not None else NO_WORDS)
    return tuple([c for c in codes if keep(c)]), tender_text(where)


def tender_takes(where: TenderWhere, regions: frozenset[str]) -> Callable[[str, str], bool]:
    """Whether a tender point in a region, on an aspect (the catalogue's place of the
    point), is one ``where`` takes for complaints in ``regions``: in its regions or on the
    limb of those complaints, and on one of its aspects. The aspects are the catalogue's
    words, read as written, as a query's are."""
    allowed = frozenset(where.region or ()) | (limb_regions(regions) if where.limb else NO_WORDS)
    on = frozenset(where.aspect) if where.aspect else None
    return lambda region, aspect: region in allowed and (on is None or aspect in on)


def tender_text(where: TenderWhere) -> str:
    """How a filtered tender selection finds its points, in words."""
    on = f" on the {'/'.join(where.aspect)} aspect" if where.aspect else ""
    places = [f"in the {'/'.join(where.region)}{on}"] if where.region else []
    if where.limb:
        places.append(f"on the affected limb or region{on}")
    return "the case's tender points " + " or ".join(places)


def _one_of(f: Finder, rule: CompiledRule, sel: Select | Exclude, b: Binding | None,
            view: CaseView | None) -> Nodes:  # fmt: skip
    """D3's "Tianzhu, Dazhui or Jianzhongshu": the tender ones of the list; else the one
    nearest the exit of a compressed root (the first of equals); else the first."""
    assert isinstance(sel, Select) and sel.one_of is not None
    codes = tuple(f.code(c) for c in sel.one_of)
    names = ", ".join(sel.one_of)
    if view is None:
        return (), f"one of {names}"
    tender = {f.catalog.resolve(t) for t in view.case.tender_points}
    hit = tuple(c for c in codes if c in tender)
    if hit:
        return hit, f"one of {names}: the tender one{'s' if len(hit) > 1 else ''}"
    if view.levels:
        roots = sorted(view.levels, key=level_index)
        segments = [level_index(exit_of(r)[0]) for r in roots]

        def distance(code: str) -> int:
            levels = f.catalog[code].levels
            if not levels:
                return len(segments) + 100
            return min(abs(level_index(levels[0]) - s) for s in segments)

        best = min(codes, key=distance)  # min keeps the first of equals
        return (best,), f"one of {names}: the one nearest the exit of {', '.join(roots)}"
    return codes[:1], f"one of {names}: the first (no tender one, no compressed level)"


#: The kinds of selection by the rule field that names them; the first field given wins.
SELECTION_KINDS: dict[str, SelectionKind] = {
    k.field: k
    for k in (
        SelectionKind("points", _named_points),
        SelectionKind("set", _named_set),
        SelectionKind("query", _graph_query),
        SelectionKind("tender_points", _tender_points, per_case=True),
        SelectionKind("one_of", _one_of, per_case=True),
    )
}


def kind_of(sel: Select | Exclude) -> SelectionKind | None:
    """The kind of a selection or exclusion target (None: it names no points this way)."""
    for field, kind in SELECTION_KINDS.items():
        if getattr(sel, field, None):
            return kind
    return None


class SelPlan(NamedTuple):
    """What one selection of a rule needs at run time, worked out once."""

    position: int
    select: Select
    #: The rank of its role, for ties between supports of equal score.
    rank: int
    #: For a selection that does not depend on what the rule matched: what it finds,
    #: ready (for a per-case kind, only its support).
    static: Found | None
    #: What of the case its query reads (see :func:`.query.reads`).
    reads: tuple[bool, bool, bool, bool]
    #: Its side: 0 for the sides of the complaints, 1 for both, 2 for the opposite ones.
    side: int
    #: True when its points come from the case itself (the tender points, ``one_of``).
    per_case: bool
    #: True when it reads "affected", so that each complaint is answered on its own.
    each: bool
    #: A number of its own (see :data:`PLAN_BITS`): its part of the selection cache's keys.
    uid: int = 0
    #: What of the case its query reads, as bits (see :func:`shape_of`): the selections of
    #: one shape share one number per set of complaints in the selection cache's keys.
    shape: int = 0


#: The bits of a selection cache key that hold the selection's own number (its
#: ``uid``); the bits above them hold the number of what it read.
PLAN_BITS = 32
#: Each prepared selection's own number: never two alike in one process.
_UIDS = itertools.count()

#: The bits of a selection's shape: it reads the affected regions, aspects, digits; the
#: compressed levels always; or the levels only when the complaints give neither digits
#: nor an aspect (``channels: root_territory``, see :meth:`.query.Filters.skin_channels`).
READS_REGIONS, READS_ASPECTS, READS_DIGITS, READS_LEVELS, READS_ROOTS = 1, 2, 4, 8, 16


def shape_of(sel: Select | Exclude) -> int:
    """What of the case a selection's query reads, as the bits above."""
    regions, aspects, digits, levels = reads(sel.query)
    q = sel.query
    shape = READS_REGIONS * regions | READS_ASPECTS * aspects | READS_DIGITS * digits
    if levels:
        shape |= READS_LEVELS if q is not None and q.levels == "compressed" else READS_ROOTS
    return shape


#: A fired rule's entry for selecting: the rule, its bit, its prepared selections.
Selecting = tuple["CompiledRule", int, tuple[SelPlan, ...]]


def is_static(sel: Select | Exclude) -> bool:
    """True when a selection finds the same points whatever the case."""
    return not any(reads(sel.query))


def per_complaint(sel: Select | Exclude) -> bool:
    """True when a selection reads the affected complaints (regions, aspects, digits, or
    the affected limb of tender points), so that it runs on each complaint by itself."""
    if any(reads(sel.query)[:3]):
        return True
    where = getattr(sel, "tender_points", None)
    return isinstance(where, TenderWhere) and where.limb is not None


def grouped(found: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Found nodes grouped by point: ``("EX-B2", ("L4", "L5"))``; points in first-found order."""
    groups: dict[str, list[str]] = {}
    for node in found:
        code, _, inst = node.partition("@")
        insts = groups.setdefault(code, [])
        if inst and inst not in insts:
            insts.append(inst)
    return tuple((code, tuple(insts)) for code, insts in groups.items())


def depends_on(sel: Select | Exclude, b: Binding | None, view: CaseView | None) -> tuple[Any, ...]:
    """The parts of the case a selection's result depends on: its cache key.

    Named points and sets depend on nothing; a query on the "affected" regions, aspects,
    digits and the compressed levels only when it asks for them. The side never changes
    which points are found, so it is not part of the key.
    """
    if sel.query is None or b is None:
        return ()
    regions, aspects, digits, levels = reads(sel.query)
    return (
        b.regions if regions else None,
        b.aspects if aspects else None,
        (b.fingers, b.toes) if digits else None,
        view.levels if (levels and view is not None) else None,
    )


class Finder:
    """Finds what selections and exclusion targets name, over one catalogue."""

    def __init__(self, rulebook: RuleBook, catalog: Catalog) -> None:
        self.catalog = catalog
        self.query = GraphQuery(catalog)
        self.among = Among(self.query)
        self.code = self.query.code
        self.order: dict[str, int] = {p.code: p.order for p in catalog}
        self.midline = frozenset(p.code for p in catalog if p.meridian in ("GV", "CV"))
        #: Each point's region and aspect, for filtering tender points.
        self.place: dict[str, tuple[str, str]] = {p.code: (p.region, p.aspect) for p in catalog}
        self._cache: dict[Any, Nodes] = {}
        #: Per rule (by order): its selections, prepared on the rule's first firing; they
        #: depend only on the rulebook and catalogue, so engines over both share them.
        self.plans: dict[int, tuple[SelPlan, ...]] = rulebook.prepared(catalog)

    def find(
        self, rule: CompiledRule, sel: Select | Exclude, b: Binding | None, view: CaseView | None
    ) -> Nodes:
        """The nodes a selection finds, and how it found them (no cache)."""
        kind = kind_of(sel)
        return kind.find(self, rule, sel, b, view) if kind is not None else ((), "")

    def surfaces(
        self, rule: CompiledRule, sel: Select | Exclude, view: CaseView, matched: Matched
    ) -> list[tuple[Binding, tuple[str, ...], str]]:
        """What a selection finds on each affected complaint by itself (no cache): the plain
        meaning of "affected". A selection that does not read it runs once, on the binding
        of every matched complaint."""
        if not per_complaint(sel):
            b = Binding.of(view, matched)
            return [(b, *self.find(rule, sel, b, view))]
        return [(b, *self.find(rule, sel, b, view)) for b in Binding.each(view, matched)]

    def find_all(
        self, rule: CompiledRule, sel: Select | Exclude, view: CaseView, matched: Matched
    ) -> tuple[tuple[str, ...], str]:
        """The nodes of :meth:`surfaces` joined in order, and their ways of finding them."""
        nodes: dict[str, None] = {}
        hows: dict[str, None] = {}
        for _, found, how in self.surfaces(rule, sel, view, matched):
            nodes.update(dict.fromkeys(found))
            hows[how] = None
        return tuple(nodes), "; ".join(hows)

    def tender_keep(self, where: TenderWhere, regions: frozenset[str]) -> Callable[[str], bool]:
        """Whether a tender point is one ``where`` takes, for complaints in ``regions``."""
        takes = tender_takes(where, regions)
        place = self.place
        return lambda code: takes(*place[code])

    def resolve(self, rule: CompiledRule, sel: Select | Exclude, b: Binding | None, view: CaseView | None,
                key: Any = None) -> Nodes:  # fmt: skip
        """What :meth:`find` finds, remembered by what it depends on (see :func:`depends_on`)."""
        cache_key = (rule.order, key, *depends_on(sel, b, view))
        hit = self._cache.get(cache_key)
        if hit is not None:
            return hit
        found = self.find(rule, sel, b, view)
        remember(self._cache, cache_key, found)
        return found

    def entries(self, groups: Iterable[tuple[str, tuple[str, ...]]]) -> tuple[Entry, ...]:
        """Grouped points as :data:`.ranking.Found` entries: with their catalogue order and midline mark."""
        order, midline = self.order, self.midline
        return tuple([(code, insts, order[code], code in midline) for code, insts in groups])

    def plan(self, rule: CompiledRule) -> tuple[SelPlan, ...]:
        """Prepare a rule's selections: those that do not depend on the case are resolved now."""
        plans = []
        for i, sel in enumerate(rule.rule.select):
            score = ROLE_WEIGHT[sel.role] * sel.weight
            kind = kind_of(sel)
            per_case = kind is not None and kind.per_case
            static = None
            if per_case or is_static(sel):
                found, how = self.find(rule, sel, None, None)
                support = Support(rule.id, sel.role, score, how, rule.pack, rule.source_key)
                static = (self.entries(grouped(found)), support)
            side = 1 if sel.side == "both" else 2 if sel.side == "opposite" else 0
            uid = next(_UIDS)
            assert uid < 1 << PLAN_BITS
            plans.append(SelPlan(i, sel, ROLE_RANK[sel.role], static, reads(sel.query), side, per_case,
                                 per_complaint(sel), uid, shape_of(sel)))  # fmt: skip
        out = tuple(plans)
        self.plans[rule.order] = out
        return out
