"""The meridian graph: points, channels, regions and spinal segments in one networkx graph.

Node kinds (attribute ``kind``): ``point`` (keyed by WHO code), ``instance`` (``EX-B2@C5``),
``meridian`` (``LU`` ... ``CV``), ``region`` (``forearm``), ``segment`` (``C1`` ... ``S5``).
Edge kinds (the multigraph key): ``on`` point -> meridian; ``next`` point -> the next point
of its channel; ``flow`` meridian -> the next regular channel; ``pair`` between the
interior-exterior partners (both ways); ``in`` point -> region, with the ``aspect``;
``level`` point or instance -> segment; ``of`` instance -> its group point; ``below``
segment -> the segment under it. The point categories add ``category`` nodes with
``member``, ``couple`` and ``same_name`` edges (see :mod:`.graph_categories`).

A segment is also the nerve root of that name. ``exit`` root -> the segments bounding
the opening it leaves the spine by (C8 -> C7 and T1; see :func:`.roots.exit_of`). For the
roots of the nerve root table (``data/roots.yaml``): ``dermatome`` root -> region, with
the ``aspects`` of it the root supplies, and ``territory`` root -> meridian, with ``main``
(False where the channel only touches the root's skin).

Queries are methods here so the rules can use them with precomputed indexes, and plain
networkx algorithms work on the same object.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..base.errors import LoadError
from ..base.memo import remember
from ..base.vocab import FLOW, LEVELS, REGIONS, level_index
from .graph_categories import CategoryIndex, add_categories
from .graph_methods import MethodQueries
from .roots import Root, exit_of, read_roots

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["MERIDIAN_ATTRIBUTES", "PAIRS", "POINT_ATTRIBUTES", "MeridianGraph", "segment_range"]

_REGION_ORDER = {r: i for i, r in enumerate(REGIONS)}
#: Entries each query memo keeps (they are small: node codes by region and filter).
_MEMO_LIMIT = 50_000
#: The record fields a point node carries, by the same names and in this order: the ones
#: the queries and the engine read. A new catalogue field reaches the graph by being named
#: here; its value comes from the record.
POINT_ATTRIBUTES: tuple[str, ...] = ("meridian", "region", "aspect", "surface", "levels", "order", "pinyin")
#: The same for a meridian node (its points are its ``on`` edges).
MERIDIAN_ATTRIBUTES: tuple[str, ...] = ("name", "surface", "limb", "fingers", "toes")
#: Interior-exterior (Yin-Yang) partners.
PAIRS: tuple[tuple[str, str], ...] = (
    ("LU", "LI"),
    ("ST", "SP"),
    ("HT", "SI"),
    ("BL", "KI"),
    ("PC", "TE"),
    ("GB", "LR"),
)


class MeridianGraph(MethodQueries, nx.MultiDiGraph):  # type: ignore[misc]
    """The catalogue as a graph, with the queries rules need.

    >>> from acupoints import Catalog
    >>> g = Catalog.default().graph
    >>> g.channel("LU")[:3]
    ['LU1', 'LU2', 'LU3']
    >>> g.at_levels(["L4"], meridians=["GV"])
    ['GV3']
    """

    @classmethod
    def from_catalog(cls, catalog: Catalog, roots: Iterable[Root] | None = None) -> MeridianGraph:
        """The graph of ``catalog``, with the nerve roots of ``roots`` (default: the shipped
        table, when it fits the catalogue's channels; otherwise the exits alone)."""
        g = cls()
        for region in REGIONS:
            g.add_node(region, kind="region")
        for i, seg in enumerate(LEVELS):
            g.add_node(seg, kind="segment", index=i)
            if i:
                g.add_edge(LEVELS[i - 1], seg, key="below")
        for m in catalog.meridians.values():
            g.add_node(m.code, kind="meridian", **{a: getattr(m, a) for a in MERIDIAN_ATTRIBUTES})
            for c in m.crosses:  # its course over a surface where none of its points is filed
                g.add_edge(m.code, c.region, key="crosses", aspect=c.aspect)
            for a, b in zip(m.points, m.points[1:], strict=False):
                g.add_edge(a, b, key="next")
        for i, code in enumerate(FLOW):
            g.add_edge(code, FLOW[(i + 1) % len(FLOW)], key="flow")
        for a, b in PAIRS:
            g.add_edge(a, b, key="pair")
            g.add_edge(b, a, key="pair")
        for p in catalog:
            g.add_node(p.code, kind="point", **{a: getattr(p, a) for a in POINT_ATTRIBUTES})
            if p.meridian:
                g.add_edge(p.code, p.meridian, key="on")
            g.add_edge(p.code, p.region, key="in", aspect=p.aspect)
            for lv in p.levels:
                g.add_edge(p.code, lv, key="level")
            for inst in p.instances:
                g.add_node(inst.code, kind="instance", point=p.code, key_=inst.key, levels=inst.levels,
                           digits=inst.digits, region=inst.region or p.region, order=p.order)  # fmt: skip
                g.add_edge(inst.code, p.code, key="of")
                g.add_edge(inst.code, inst.region or p.region, key="in", aspect=p.aspect)
                for lv in inst.levels:
                    g.add_edge(inst.code, lv, key="level")
        add_categories(g, catalog)
        for level in LEVELS:
            for seg in exit_of(level):
                g.add_edge(level, seg, key="exit")
        for r in _shipped_roots(catalog) if roots is None else roots:
            g.nodes[r.level].update(root=True, key_point=r.dermatome.key_point,
                                    fingers=r.dermatome.fingers, toes=r.dermatome.toes)  # fmt: skip
            for area in r.dermatome.areas:
                g.add_edge(r.level, area.region, key="dermatome", aspects=area.aspects)
            for link in r.channels:
                g.add_edge(r.level, link.code, key="territory", main=link.main)
        g._index()
        return g

    def _index(self) -> None:
        # Indexes for the queries the engine runs per case; built once.
        self._by_region: dict[str, list[str]] = {}
        self._by_level: dict[str, list[str]] = {}
        self._channels: dict[str, list[str]] = {}
        self._region_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._through_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._digits_memo: dict[tuple[frozenset[int], str], tuple[str, ...]] = {}
        self._level_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
        #: Per channel, the (region, aspect) surfaces its course crosses with no point filed there.
        crossings: list[tuple[str, str, str]] = []
        for node, data in self.nodes(data=True):
            kind = data["kind"]
            if kind == "meridian":
                self._channels[node] = []
                crossings += [(node, t, d["aspect"]) for _, t, k, d in self.out_edges(node, keys=True, data=True)
                              if k == "crosses"]  # fmt: skip
            if kind not in ("point", "instance"):
                continue
            for _, target, key in self.out_edges(node, keys=True):
                if key == "in":
                    self._by_region.setdefault(target, []).append(node)
                elif key == "level":
                    self._by_level.setdefault(target, []).append(node)
        for node, data in self.nodes(data=True):
            if data["kind"] == "point" and data["meridian"]:
                self._channels[data["meridian"]].append(node)
        # The segmental points of each root: those at its exit (see at_exits).
        at: dict[tuple[str, ...], list[str]] = {}
        for level in LEVELS:
            exit_ = exit_of(level)
            for key in {exit_[:1], exit_}:
                at.setdefault(key, []).append(level)
        self._roots_at = {key: tuple(roots) for key, roots in at.items()}
        self._by_exit: dict[str, list[str]] = {level: [] for level in LEVELS}
        for node, data in self.nodes(data=True):
            if data["kind"] in ("point", "instance"):
                for level in at.get(tuple(data["levels"]), ()):
                    self._by_exit[level].append(node)
        for lst in (*self._by_region.values(), *self._by_level.values(), *self._channels.values(),
                    *self._by_exit.values()):  # fmt: skip
            lst.sort(key=self._order)
        # Per root of the table: its skin by region, and the channels there (main ones first).
        self._dermatome: dict[str, dict[str, tuple[str, ...]]] = {}
        self._territory: dict[str, tuple[tuple[str, bool], ...]] = {}
        for level in LEVELS:
            skin: dict[str, tuple[str, ...]] = {}
            links: list[tuple[str, bool]] = []
            for _, target, key, data in self.out_edges(level, keys=True, data=True):
                if key == "dermatome":
                    skin[target] = tuple(data["aspects"])
                elif key == "territory":
                    links.append((target, bool(data["main"])))
            if skin:
                self._dermatome[level] = skin
                self._territory[level] = tuple(links)
        self._territory_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._reaching_memo: dict[tuple[frozenset[str], frozenset[str]], frozenset[str]] = {}
        # Per region and point aspect, the channels with a point there (None: any aspect).
        self._channels_at: dict[str, dict[str | None, frozenset[str]]] = {}
        self._categories = CategoryIndex(self)
        self._channel_order = {m: i for i, m in enumerate(self._channels)}
        # The partners, read from the pair edges once (walking a node's edges is slow).
        self._partners = {str(u): str(v) for u, v, key in self.edges(keys=True) if key == "pair"}
        self._distance_memo: dict[tuple[str, frozenset[str]], dict[str, int]] = {}
        self._presence_memo: dict[tuple[str, frozenset[str]], int] = {}
        self._near_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._category_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._importance_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
        for region, nodes in self._by_region.items():
            by_aspect: dict[str | None, set[str]] = {None: set()}
            for n in nodes:
                data = self._node[n]
                if data["kind"] == "point" and data["meridian"]:
                    by_aspect[None].add(data["meridian"])
                    by_aspect.setdefault(data["aspect"], set()).add(data["meridian"])
            self._channels_at[region] = {a: frozenset(ms) for a, ms in by_aspect.items()}
        for meridian, region, aspect in crossings:
            on_region = self._channels_at.setdefault(region, {None: frozenset()})
            on_region[aspect] = on_region.get(aspect, frozenset()) | {meridian}

    def _order(self, node: str) -> tuple[int, str]:
        return (self._node[node]["order"], node)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), nx.node_link_data(self, edges="links")))

    # -- queries --------------------------------------------------------------------
    def attrs(self, node: str) -> dict[str, Any]:
        """The attributes of a node (the graph's own dict: read it, do not change it)."""
        data: dict[str, Any] = self._node[node]
        return data

    def kind(self, node: str) -> str:
        """The kind of a node: point, instance, meridian, region or segment."""
        return str(self._node[node]["kind"])

    def channel(self, meridian: str) -> list[str]:
        """The points of a channel in WHO order."""
        return list(self._channels.get(meridian, []))

    def neighbours(self, code: str, distance: int = 1) -> list[str]:
        """Points within ``distance`` steps of ``code`` along its channel, nearest first."""
        meridian = self._node[code].get("meridian")
        if not meridian:
            return []
        chan = self._channels[meridian]
        i = chan.index(code)
        out = []
        for d in range(1, distance + 1):
            out += [chan[j] for j in (i - d, i + d) if 0 <= j < len(chan)]
        return out

    def in_region(
        self,
        regions: Iterable[str],
        aspects: Iterable[str] | None = None,
        surface: str | None = None,
        meridians: Iterable[str] | None = None,
        instances: bool = False,
    ) -> list[str]:
        """Points (and, if asked, group instances) in the regions, optionally filtered.
        ``meridians`` of None filters nothing; an empty set of channels keeps no point."""
        aspects_ = frozenset(_listed(aspects)) if aspects else None
        meridians_ = frozenset(_listed(meridians)) if meridians is not None else None
        # In vocabulary order, whatever order (or set) the regions came in: deterministic.
        ordered = sorted(set(_listed(regions)), key=_REGION_ORDER.__getitem__)
        out: list[str] = []
        for region in ordered:
            out += self._in_one_region(region, aspects_, surface, meridians_, instances)
        return out if len(ordered) < 2 else _unique(out)

    def _in_one_region(self, region: str, aspects: frozenset[str] | None, surface: str | None,
                       meridians: frozenset[str] | None, instances: bool) -> tuple[str, ...]:  # fmt: skip
        """:meth:`in_region` for one region, remembered (the engine asks the same often)."""
        key = (region, aspects, surface, meridians, instances)
        hit = self._region_memo.get(key)
        if hit is not None:
            return hit
        out: list[str] = []
        for node in self._by_region.get(region, []):
            data = self._node[node]
            if data["kind"] == "instance":
                if not instances:
                    continue
                data = self._node[data["point"]]
            if aspects is not None and data["aspect"] not in aspects:
                continue
            if surface is not None and data["surface"] != surface:
                continue
            if meridians is not None and data["meridian"] not in meridians:
                continue
            out.append(node)
        found = tuple(_unique(out))
        remember(self._region_memo, key, found, _MEMO_LIMIT)
        return found

    def at_levels(
        self,
        levels: Iterable[str],
        above: int = 0,
        below: int = 0,
        meridians: Iterable[str] | None = None,
        groups: Iterable[str] | None = None,
    ) -> list[str]:
        """Points at spinal levels, widened by ``above`` and ``below`` segments.

        ``meridians`` keeps points of those channels; ``groups`` keeps the instances of
        those group points (``["EX-B2"]`` for Jiaji at the level). With neither, all.
        """
        meridians_ = frozenset(_listed(meridians)) if meridians is not None else None
        groups_ = frozenset(_listed(groups)) if groups is not None else None
        out: list[str] = []
        for seg in segment_range(levels, above, below):  # in the order of LEVELS
            out += self._at_level(seg, meridians_, groups_)
        return _unique(out)

    def _at_level(
        self, seg: str, meridians: frozenset[str] | None, groups: frozenset[str] | None
    ) -> tuple[str, ...]:
        """The nodes at one segment that :meth:`at_levels` keeps, remembered (segments and
        filters are few, and cases ask for the same segments again and again)."""
        key = (seg, meridians, groups)
        hit = self._level_memo.get(key)
        if hit is None:
            hit = tuple(
                [node for node in self._by_level.get(seg, []) if self._keeps(node, meridians, groups)]
            )
            remember(self._level_memo, key, hit, _MEMO_LIMIT)
        return hit

    def _keeps(self, node: str, meridians: frozenset[str] | None, groups: frozenset[str] | None) -> bool:
        """Whether a node at a level passes the channel and group filters of :meth:`at_levels`."""
        data = self._node[node]
        if meridians is None and groups is None:
            return True
        if data["kind"] == "instance":
            return groups is not None and data["point"] in groups
        return meridians is not None and data["meridian"] in meridians

    def at_exits(
        self,
        roots: Iterable[str],
        above: int = 0,
        below: int = 0,
        meridians: Iterable[str] | None = None,
        groups: Iterable[str] | None = None,
    ) -> list[str]:
        """Points at the exits of nerve roots (the segmental points of each root), widened
        by ``above`` and ``below`` roots; ``meridians`` and ``groups`` keep as in :meth:`at_levels`.

        A root's exit follows :func:`.roots.exit_of`: C6 leaves between C5 and C6, C8
        between C7 and T1. A point is at the exit when its levels are the upper segment of
        the exit alone (beside the lower border of that spinous process) or the whole exit
        (a midline point in that interspace), as :meth:`.roots.Root.at_exit` says.

        >>> from acupoints import Catalog
        >>> g = Catalog.default().graph
        >>> g.at_exits(["C8"]), g.at_exits(["L5"], meridians=["GV", "BL"])
        (['SI15', 'GV14', 'EX-B1', 'EX-B2@C7'], ['BL26'])
        """
        meridians_ = frozenset(_listed(meridians)) if meridians is not None else None
        groups_ = frozenset(_listed(groups)) if groups is not None else None
        out: list[str] = []
        for root in segment_range(roots, above, below):
            key = ("exit", root, meridians_, groups_)
            hit = self._level_memo.get(key)
            if hit is None:
                hit = tuple([n for n in self._by_exit[root] if self._keeps(n, meridians_, groups_)])
                remember(self._level_memo, key, hit, _MEMO_LIMIT)
            out += hit
        return _unique(out)

    def roots_at(self, levels: Iterable[str]) -> tuple[str, ...]:
        """The roots at whose exit a point with these catalogue levels lies (GV14 ``[C7, T1]``:
        C8; BL10 ``[C1, C2]``: C2; a Jiaji place ``[C7]``: C8)."""
        return self._roots_at.get(tuple(levels), ())

    def exit_of(self, root: str) -> tuple[str, ...]:
        """The segments bounding the opening a root leaves the spine by (its ``exit`` edges)."""
        return tuple(
            sorted((t for _, t, k in self.out_edges(root, keys=True) if k == "exit"), key=level_index)
        )

    @property
    def roots(self) -> tuple[str, ...]:
        """The roots of the nerve root table on this graph, from the top down."""
        return tuple(self._dermatome)

    def dermatome(self, root: str) -> dict[str, tuple[str, ...]]:
        """A root's skin: each region it supplies with the aspects of it (() for all); {}
        for a root the table does not cover."""
        return dict(self._dermatome.get(root, {}))

    def roots_reaching(self, roots: Iterable[str], regions: Iterable[str]) -> frozenset[str]:
        """Those of ``roots`` whose dermatome reaches one of ``regions``: the roots that
        :meth:`territory` takes channels from there (roots the table does not cover reach
        nothing).

        >>> from acupoints import Catalog
        >>> sorted(Catalog.default().graph.roots_reaching(["C6", "L5"], ["forearm"]))
        ['C6']
        """
        key = (frozenset(_listed(roots)), frozenset(_listed(regions)))
        hit = self._reaching_memo.get(key)
        if hit is None:
            dermatome = self._dermatome
            hit = frozenset([r for r in key[0] if r in dermatome and not key[1].isdisjoint(dermatome[r])])
            remember(self._reaching_memo, key, hit, _MEMO_LIMIT)
        return hit

    def territory(
        self, roots: Iterable[str], regions: Iterable[str] | None = None, main: bool = False
    ) -> list[str]:
        """The channels through the skin of these roots, in flow order; with ``regions``,
        only roots whose dermatome reaches one of them; ``main`` leaves out the channels
        that only touch that skin. Roots the table does not cover add nothing.

        >>> from acupoints import Catalog
        >>> g = Catalog.default().graph
        >>> g.territory(["C8"]), g.territory(["S1"], ["leg"], main=True), g.territory(["C8"], ["shoulder"])
        (['HT', 'SI'], ['BL'], [])
        """
        key = (frozenset(_listed(roots)), None if regions is None else frozenset(_listed(regions)), main)
        hit = self._territory_memo.get(key)
        if hit is None:
            found: set[str] = set()
            for root in key[0]:
                skin = self._dermatome.get(root)
                if skin is None or (key[1] is not None and key[1].isdisjoint(skin)):
                    continue
                found.update(code for code, is_main in self._territory[root] if is_main or not main)
            hit = tuple(m for m in self._channels if m in found)
            remember(self._territory_memo, key, hit, _MEMO_LIMIT)
        return list(hit)

    def channels_through(self, regions: Iterable[str], aspects: Iterable[str] | None = None) -> list[str]:
        """Meridians with at least one point in the regions, in flow order; with
        ``aspects``, those with a point on those aspects or whose course crosses them (the
        ``crosses`` edges: skin with no point of the channel filed on it)."""
        aspects_ = frozenset(_listed(aspects)) if aspects else None
        key = (frozenset(_listed(regions)), aspects_)
        hit = self._through_memo.get(key)
        if hit is None:
            found: set[str] = set()
            for r in key[0]:
                at = self._channels_at.get(r, {})
                for a in (None,) if aspects_ is None else aspects_:
                    found |= at.get(a, frozenset())
            hit = tuple(m for m in self._channels if m in found)
            remember(self._through_memo, key, hit, _MEMO_LIMIT)
        return list(hit)

    def channels_of_digits(self, digits: Iterable[int], limb: str) -> list[str]:
        """Channels that reach the given fingers (``limb="hand"``) or toes (``"foot"``)."""
        key = (frozenset(digits), limb)
        hit = self._digits_memo.get(key)
        if hit is None:
            field = "fingers" if limb == "hand" else "toes"
            hit = tuple(m for m in self._channels if key[0] & set(self._node[m].get(field, ())))
            remember(self._digits_memo, key, hit, _MEMO_LIMIT)
        return list(hit)

    def partner(self, meridian: str) -> str | None:
        """The interior-exterior partner of a regular channel."""
        return self._partners.get(meridian)

    def flow_next(self, meridian: str) -> str | None:
        """The channel the flow passes to next (LR -> LU closes the cycle)."""
        for _, target, key in self.out_edges(meridian, keys=True):
            if key == "flow":
                return str(target)
        return None


def _shipped_roots(catalog: Catalog) -> tuple[Root, ...]:
    """The shipped nerve root table, checked against ``catalog``; none when the catalogue
    lacks its channels (a cut-down catalogue of one's own): the exits still hold."""
    try:
        return read_roots(None, catalog, trusted=True)
    except LoadError:
        return ()


def _rebuild(cls: type[MeridianGraph], data: dict[str, Any]) -> MeridianGraph:
    g = cls(nx.node_link_graph(data, directed=True, multigraph=True, edges="links"))
    g._index()
    return g


def _listed(items: Iterable[Any] | str) -> list[Any]:
    """A list from an iterable; a lone string counts as one item, not as its letters."""
    return [items] if isinstance(items, str) else list(items)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def segment_range(levels: Iterable[str], above: int = 0, below: int = 0) -> list[str]:
    """Spinal segments from ``above`` over the highest to ``below`` under the lowest.

    >>> segment_range(["C6"], 1, 1)
    ['C5', 'C6', 'C7']
    """
    out: set[int] = set()
    for lv in _listed(levels):
        i = level_index(lv)
        out.update(range(max(0, i - above), min(len(LEVELS), i + below + 1)))
    return [LEVELS[i] for i in sorted(out)]
