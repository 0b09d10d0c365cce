"""The graph query of a selection or exclusion: the plain version, written once.

A query runs in three steps:

1. **Filters** (:class:`Filters`): its regions, aspects and channels, with "affected" read
   from what the rule matched, and the words that say how the points were found. With
   ``channels: root_territory`` the channels are those of the affected skin: of the
   complaint's digits, else of its region on its aspect, else of the compressed roots
   whose dermatome reaches its region (the case's own words win over the root table).
2. **Source** (:data:`SOURCES`): where the candidate points come from. The first source
   that applies, in the order of the registry, gathers them: spinal levels (for
   ``compressed``, the exits of the case's nerve roots), regions, the neighbours of named
   points, or whole channels.
3. **Refine** (:func:`refine`, only for the keys of the selection methods): the
   category's points, none ``outside`` the regions asked, those ``within`` some steps of
   the ``through`` regions, ordered by importance, each followed by its confluent
   ``couple``.
4. **Among and limit**: only the members of a named set, in the set's order, and at most
   ``limit`` of them.

This is the reference meaning. The engine runs most ``among`` queries through a cached
specialisation of steps 2 and 3 (see :mod:`.among`), which property tests pin to this one.
To add a source, write its ``gather`` function and add one :class:`Source` line to
:data:`SOURCES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from ..base.vocab import level_index
from ..catalog.knowledge import Knowledge
from ..rulebook.conditions import NO_DIGITS, NO_WORDS
from .binding import Binding

if TYPE_CHECKING:
    from ..catalog.catalog import Catalog
    from ..catalog.graph import MeridianGraph
    from ..rulebook.book import CompiledRule
    from ..rulebook.conditions import CaseView
    from ..rulebook.schema import Query

__all__ = [
    "LINK_WORDS",
    "SOURCES",
    "Bound",
    "Filters",
    "GraphQuery",
    "Source",
    "linked",
    "reads",
    "refine",
    "sorted_join",
    "uses_methods",
]

#: Digits as the binding holds them: (fingers, toes).
Digits = tuple[frozenset[int], frozenset[int]]
#: Entries the shared memo of the skin's channels keeps before it starts afresh.
_SKIN_LIMIT = 20_000


def sorted_join(words: Iterable[str]) -> str:
    """Words as a query's description names them: sorted, joined by slashes."""
    return "/".join(sorted(words))


class Bound(NamedTuple):
    """A query's filters once "affected" is read: None where the query sets no filter."""

    regions: frozenset[str] | None
    aspects: frozenset[str] | None
    meridians: frozenset[str] | None
    #: How the points were found, so far (sources and ``among`` add to it).
    desc: list[str]
    #: The regions whose points the query leaves out (``outside``), and those its
    #: ``through`` channels were found in (for ``within`` and ``rank``).
    outside: frozenset[str] | None = None
    along: frozenset[str] | None = None


class Filters:
    """The filter step of one query, its fixed parts worked out when it is made.

    :meth:`bind` reads "affected" from the regions, aspects and digits of what the rule
    matched. The plain query makes one per run; the ``among`` specialisation makes one per
    selection and keeps it, with a ``join`` that remembers its texts.
    """

    __slots__ = ("aspect", "digits", "fixed_aspects", "fixed_outside", "fixed_regions", "fixed_through", "graph",
                 "join", "link", "meridians", "on_points", "outside", "region", "skin", "surface", "territory",
                 "through", "through_text")  # fmt: skip

    def __init__(
        self,
        q: Query,
        graph: MeridianGraph,
        join: Callable[[frozenset[str]], str] = sorted_join,
        skin: dict[Any, Any] | None = None,
    ) -> None:
        self.graph = graph
        self.join = join
        #: The channels of the affected skin, by what they depend on (shared by queries).
        self.skin: dict[Any, Any] = {} if skin is None else skin
        self.region, self.aspect, self.through, self.digits = q.region, q.aspect, q.through, q.digits
        fixed = q.region not in (None, "affected")
        self.fixed_regions = frozenset(q.region or ()) if fixed else NO_WORDS
        # Written aspects are the catalogue's own words for where a point lies, taken as
        # written: only a complaint's aspect (the case's words) is widened to its surface.
        self.fixed_aspects = frozenset(q.aspect or ()) if q.aspect not in (None, "affected") else NO_WORDS
        self.meridians = frozenset(q.meridians) if q.meridians else None
        # The aspect keeps points only where they are taken by region (not at levels);
        # elsewhere it says only which channels run through the affected skin.
        self.on_points = q.region is not None and q.levels is None
        through_fixed = q.through not in (None, "affected")
        self.fixed_through = frozenset(q.through or ()) if through_fixed else NO_WORDS
        # A fixed list is named as written, repeats and all.
        self.through_text = "/".join(sorted(q.through or ())) if through_fixed else ""
        self.surface = f"on the {q.surface} surface" if q.surface else None
        self.outside, self.link = q.outside, q.link
        self.fixed_outside = frozenset(q.outside or ()) if q.outside not in (None, "affected") else NO_WORDS
        self.territory = q.channels == "root_territory"

    def bind(
        self,
        regions: frozenset[str],
        aspects: frozenset[str],
        digits: Digits | None,
        roots: frozenset[str] = NO_WORDS,
    ) -> Bound:
        """The filters for these affected regions and aspects (empty when there is no
        binding), digits (None when there is no binding: no digit filter at all) and the
        case's compressed roots (read only by ``channels: root_territory``)."""
        desc: list[str] = []
        where: frozenset[str] | None = None
        region = self.region
        if region is not None:
            where = regions if region == "affected" else self.fixed_regions
            desc.append("in " + self.join(where))
        on: frozenset[str] | None = None
        aspect = self.aspect
        if aspect is not None:
            on = (aspects or None) if aspect == "affected" else (self.fixed_aspects or None)
            if on and self.on_points:
                desc.append(f"on the {self.join(on)} aspect")
        meridians = self.meridians
        if self.digits is not None and digits is not None:
            g = self.graph
            fingers, toes = digits
            chans = frozenset(g.channels_of_digits(fingers, "hand"))
            chans |= frozenset(g.channels_of_digits(toes, "foot"))
            if not (fingers or toes):
                chans = frozenset(g.channels_through(regions & {"fingers", "toes", "hand", "foot"}))
            meridians = chans if meridians is None else meridians & chans
            desc.append(f"on the channels of the affected digits ({', '.join(sorted(chans)) or 'none'})")
        through = self.through
        along: frozenset[str] | None = None
        if through is not None:
            along = regions if through == "affected" else self.fixed_through
            skin = on if aspect == "affected" else None
            chans = frozenset(self.graph.channels_through(along, skin))
            meridians = chans if meridians is None else meridians & chans
            named = self.join(regions) if through == "affected" else self.through_text
            desc.append(
                f"on the channels through the {self.join(skin)} {named}"
                if skin
                else "on the channels through " + named
            )
        if self.territory:
            skin = self.skin_channels(regions, aspects, digits or (NO_DIGITS, NO_DIGITS), roots, desc)
            if skin is not None:
                meridians = skin if meridians is None else meridians & skin
        if self.link is not None and meridians is not None:
            meridians = linked(self.graph, meridians, self.link)
            desc.append(f"then on their {LINK_WORDS[self.link]} ({', '.join(sorted(meridians)) or 'none'})")
        outside: frozenset[str] | None = None
        if self.outside is not None:
            outside = regions if self.outside == "affected" else self.fixed_outside
            desc.append("outside " + (self.join(outside) or "nothing"))
        if self.surface is not None:
            desc.append(self.surface)
        return Bound(where, on, meridians, desc, outside, along)

    def skin_channels(self, regions: frozenset[str], aspects: frozenset[str], digits: Digits,
                      roots: frozenset[str], desc: list[str]) -> frozenset[str] | None:  # fmt: skip
        """The channels of the affected skin, the most specific the case says: its digits,
        else its region on its aspect, else the dermatome of its compressed roots in that
        region; None (no filter) when it says none of these, or when the digits or the
        aspect it gives lie on no channel of the catalogue (then the words say so)."""
        fingers, toes = digits
        # Remembered for every query (the same complaint asks again, rule after rule); the
        # roots are part of the key only where they are read.
        key = (regions, aspects, digits, None if (fingers or toes or aspects) else roots)
        hit = self.skin.get(key)
        if hit is None:
            hit = self.skin[key] = self._skin_of(regions, aspects, digits, roots)
            if len(self.skin) > _SKIN_LIMIT:
                self.skin.clear()
        chans, line = hit
        if line is not None:
            # The channels through the same skin, named once: now with the channels.
            if desc and line.startswith(desc[-1]):
                desc[-1] = line
            else:
                desc.append(line)
        return chans

    def _skin_of(self, regions: frozenset[str], aspects: frozenset[str], digits: Digits,
                 roots: frozenset[str]) -> tuple[frozenset[str] | None, str | None]:  # fmt: skip
        g = self.graph
        fingers, toes = digits
        if fingers or toes:
            chans = frozenset(g.channels_of_digits(fingers, "hand")) | frozenset(
                g.channels_of_digits(toes, "foot")
            )
            if not chans:
                return None, "on any channel (none of the catalogue reaches the affected digits)"
            why = "of the affected digits"
        elif aspects and regions:
            chans = frozenset(g.channels_through(regions, aspects))
            if not chans:
                # The case's own words win over the root table, and these name no channel:
                # the skin narrows nothing (no channel lies on or crosses the medial shoulder).
                return None, f"on any channel (none crosses the {self.join(aspects)} {self.join(regions)})"
            why = f"through the {self.join(aspects)} {self.join(regions)}"
        elif roots and regions:
            # Only the roots whose skin reaches these regions give channels, and only they
            # are named: an L5 root is no part of a forearm's territory.
            reaching = g.roots_reaching(roots, regions)
            found = g.territory(reaching, regions)
            if not found:
                return None, None
            chans = frozenset(found)
            named = ", ".join(sorted(reaching, key=level_index))
            why = f"of the {named} root territory in {self.join(regions)}"
        else:
            return None, None
        return chans, f"on the channels {why} ({', '.join(sorted(chans))})"


#: How a query's description names the channels ``link`` swaps in.
LINK_WORDS = {"partner": "interior-exterior partners", "same_name": "same-name channels"}


def linked(graph: MeridianGraph, meridians: frozenset[str], link: str) -> frozenset[str]:
    """The channels linked to ``meridians``: their interior-exterior partners, or the
    channels of the same six-channel name (GV and CV have neither)."""
    step = graph.partner if link == "partner" else graph.same_name
    return frozenset(m for m in (step(c) for c in meridians) if m is not None)


class Source(NamedTuple):
    """Where a query's candidate points come from, when it ``applies``."""

    name: str
    applies: Callable[[Query, Bound], bool]
    #: The candidates, in the source's order; may add to ``bound.desc``.
    gather: Callable[[GraphQuery, Query, Bound, CaseView | None], list[str]]


def _at_levels(run: GraphQuery, q: Query, f: Bound, view: CaseView | None) -> list[str]:
    g = run.graph
    if q.levels == "compressed":
        # Roots, not vertebrae: the points at the opening each root leaves the spine by.
        roots = sorted(view.levels, key=level_index) if view is not None else []
        found = g.at_exits(roots, q.above, q.below, meridians=f.meridians, groups=q.groups)
        span = f" and {q.above} root(s) above, {q.below} below" if (q.above or q.below) else ""
        exits = ", ".join([run.exit_text(r) for r in roots])
        f.desc.insert(0, f"at the exit of the root(s) {exits or 'none'}{span}")
    else:
        levels = list(q.levels or ())
        found = g.at_levels(levels, q.above, q.below, meridians=f.meridians, groups=q.groups)
        span = f" and {q.above} above, {q.below} below" if (q.above or q.below) else ""
        f.desc.insert(0, f"at the level(s) {', '.join(levels) or 'none'}{span}")
    if f.regions is not None:
        regions = f.regions
        found = [n for n in found if g.attrs(n)["region"] in regions]
    return found


def _in_regions(run: GraphQuery, q: Query, f: Bound, view: CaseView | None) -> list[str]:
    g = run.graph
    assert f.regions is not None
    found = g.in_region(f.regions, f.aspects, q.surface, f.meridians, instances=bool(q.groups))
    if q.groups:
        groups = q.groups
        found = [n for n in found if g.kind(n) == "point" or g.attrs(n)["point"] in groups]
    return found


def _neighbours(run: GraphQuery, q: Query, f: Bound, view: CaseView | None) -> list[str]:
    found: list[str] = []
    for code in q.neighbours_of or ():
        found += run.graph.neighbours(run.code(code), q.distance)
    f.desc.append(f"within {q.distance} of {', '.join(q.neighbours_of or ())} along the channel")
    return found


def _in_categories(run: GraphQuery, q: Query, f: Bound, view: CaseView | None) -> list[str]:
    g = run.graph
    found = g.in_category(run.categories(q), f.meridians)
    if q.surface:
        found = [n for n in found if g.attrs(n)["surface"] == q.surface]
    return found


def _channels(run: GraphQuery, q: Query, f: Bound, view: CaseView | None) -> list[str]:
    g = run.graph
    assert f.meridians is not None
    if q.within is not None and f.along:
        # Only the points near the through regions can pass ``within``: take just those.
        found = list(g.near(f.meridians, f.along, q.within))
    else:
        found = [c for m in sorted(f.meridians, key=run.meridian_order.__getitem__) for c in g.channel(m)]
    if q.surface:
        found = [n for n in found if g.attrs(n)["surface"] == q.surface]
    return found


#: The sources of candidate points, first match wins: one line per source. Which keys each
#: reads is modelled for the linter in :mod:`acupoints.rulebook.query_keys` (a property test
#: pins the model to these functions).
SOURCES: tuple[Source, ...] = (
    Source("levels", lambda q, f: q.levels is not None, _at_levels),
    Source("region", lambda q, f: f.regions is not None, _in_regions),
    Source("neighbours_of", lambda q, f: bool(q.neighbours_of), _neighbours),
    Source("category", lambda q, f: q.category is not None, _in_categories),
    Source("meridians", lambda q, f: f.meridians is not None, _channels),
)


def _point_of(g: MeridianGraph, node: str) -> str:
    """The point a node stands for: itself, or an instance's group point."""
    data = g.attrs(node)
    return str(data["point"]) if data["kind"] == "instance" else node


def refine(run: GraphQuery, q: Query, f: Bound, found: list[str], source: str) -> list[str]:
    """The steps between the source and ``among``, for the category and method keys: keep
    the category's points (when the source was another), drop those ``outside`` asks
    to, keep those ``within`` steps of the ``through`` regions, order by importance, and
    put each confluent point's ``couple`` right after it."""
    g = run.graph
    if q.category is not None and source != "category":
        kept = set(run.categories(q))
        found = [n for n in found if kept.intersection(g.categories_of(_point_of(g, n)))]
        f.desc.append(f"of the {'/'.join(run.categories(q))} points")
    if f.outside is not None:
        away = f.outside
        found = [n for n in found if g.attrs(n)["region"] not in away]
    along = f.along or frozenset()
    if q.within is not None:
        steps = q.within
        if along and source != "meridians":  # the meridians source took only the near points
            points = {n: _point_of(g, n) for n in found}
            on = {n: g.attrs(p).get("meridian") for n, p in points.items()}
            # A point of no channel, or of a channel with no point there, has nothing to count.
            near = frozenset(g.near({m for m in on.values() if m}, along, steps))
            found = [n for n in found if not on[n] or points[n] in near]
        f.desc.append(f"within {steps} step{'s' if steps != 1 else ''} along the channel")
    if q.rank == "importance":
        wanted = frozenset(run.categories(q)) if q.category else None
        found = list(g.by_importance(tuple(found), along, wanted))
        f.desc.append("the most important first")
    if q.couple:
        paired: list[str] = []
        pairs: list[str] = []
        for n in found:
            mate = g.couple(_point_of(g, n))
            if mate is not None:
                pairs.append(f"{n} with {mate}")
            paired += [n] if mate is None or mate in found else [n, mate]
        f.desc.append(f"each with the point of its confluent pair ({', '.join(pairs) or 'none'})")
        found = list(dict.fromkeys(paired))
    return found


class GraphQuery:
    """Runs queries over one catalogue's graph (the plain version: no cache of answers;
    only the channels of the affected skin are shared, by what they depend on)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.meridian_order = {m: i for i, m in enumerate(catalog.meridians)}
        #: Point names written in the rules, as codes (the rules are checked, so few and known).
        self._codes: dict[str, str] = {}
        #: The order of a rule's named set, by (rule, set): for ``among``.
        self._set_order: dict[tuple[int, str], dict[str, int]] = {}
        self._categories: dict[tuple[str, ...], tuple[str, ...]] = {}
        #: Each query's Filters by the query's id, with the query (ids are reused).
        self._made: dict[int, tuple[Query, Filters]] = {}
        #: The channels of the affected skin, shared by every query's Filters.
        self.skin: dict[Any, Any] = {}
        #: Each root's exit as written in a description ("C6 (C5-C6)"): few roots, all kept.
        self._exits: dict[str, str] = {}

    def exit_text(self, root: str) -> str:
        """A root with the segments of its exit, as descriptions write it (remembered:
        reading the exit edges off the graph costs more than the rest of the text)."""
        hit = self._exits.get(root)
        if hit is None:
            hit = self._exits[root] = f"{root} ({'-'.join(self.graph.exit_of(root))})"
        return hit

    @property
    def graph(self) -> MeridianGraph:
        """The catalogue's graph, built when a query first needs it (not with the engine)."""
        return self.catalog.graph

    def code(self, text: str) -> str:
        """A point (or ``point@place``) as written in a rule, as its code."""
        code = self._codes.get(text)
        if code is None:
            base = self.catalog.resolve(text.split("@")[0])
            assert base is not None  # checked when the rules were loaded
            code = self._codes[text] = f"{base}@{text.split('@', 1)[1]}" if "@" in text else base
        return code

    def categories(self, q: Query) -> tuple[str, ...]:
        """A query's categories as ids (the rules may write names or aliases; they were
        checked when the rules were loaded)."""
        names = q.category or ()
        hit = self._categories.get(names)
        if hit is None:
            knowledge = Knowledge.default()
            hit = self._categories[names] = tuple(knowledge.category(n).id for n in names)
        return hit

    def filters(self, q: Query, b: Binding | None, view: CaseView | None = None) -> Bound:
        """Step 1: the query's filters on this binding (None: nothing is affected)."""
        # A query's fixed parts are worked out once (the same query object comes back).
        made = self._made.get(id(q))
        if made is None or made[0] is not q:
            made = self._made[id(q)] = (q, Filters(q, self.graph, skin=self.skin))
        if b is None:
            return made[1].bind(NO_WORDS, NO_WORDS, None)
        roots = view.levels if view is not None else NO_WORDS
        return made[1].bind(b.regions, b.aspects, (b.fingers, b.toes), roots)

    def run(self, q: Query, rule: CompiledRule, b: Binding | None, view: CaseView | None) -> tuple[tuple[str, ...], str]:  # fmt: skip
        """The nodes the query finds, in order, and how it found them."""
        return self.gather(q, rule, self.filters(q, b, view), view)

    def gather(self, q: Query, rule: CompiledRule, f: Bound, view: CaseView | None) -> tuple[tuple[str, ...], str]:  # fmt: skip
        """Steps 2 and 3: the candidates of the first source that applies, then among and limit."""
        found: list[str] = []
        used = ""
        for source in SOURCES:
            if source.applies(q, f):
                found = source.gather(self, q, f, view)
                used = source.name
                break
        if uses_methods(q):
            found = refine(self, q, f, found, used)
        if q.among is not None:
            order = self._set_order.get((rule.order, q.among))
            if order is None:
                order = self._set_order[(rule.order, q.among)] = {
                    c: i for i, c in enumerate(rule.sets[q.among])
                }
            found = sorted((n for n in found if n in order), key=order.__getitem__)
            f.desc.append(f"among '{q.among}'")
        if q.limit is not None:
            found = found[: q.limit]
        return tuple(dict.fromkeys(found)), "points " + ", ".join(f.desc)


def uses_methods(q: Query) -> bool:
    """True when a query uses a key of the categories and methods (see :func:`refine`);
    the ``among`` fast path leaves such queries to the plain one."""
    return (
        q.category is not None or q.outside is not None or q.within is not None or q.rank is not None
        or q.couple is not None
    )  # fmt: skip


def reads(q: Query | None) -> tuple[bool, bool, bool, bool]:
    """What of the case a query reads: the affected regions, aspects and digits, the compressed levels.

    ``channels: root_territory`` reads all four (the skin of the complaint, else its roots).
    """
    if q is None:
        return (False, False, False, False)
    territory = q.channels is not None
    digits = bool(q.digits) or territory
    return (
        "affected" in (q.region, q.through, q.outside) or digits,
        q.aspect == "affected" or territory,
        digits,
        q.levels == "compressed" or territory,
    )
