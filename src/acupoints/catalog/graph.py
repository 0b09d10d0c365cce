"""The meridian graph: points, channels, regions and spinal segments in one networkx graph.

Node kinds (attribute ``kind``): ``point`` (keyed by WHO code), ``instance`` (``EX-B2@C5``),
``meridian`` (``LU`` ... ``CV``), ``region`` (``forearm``), ``segment`` (``C1`` ... ``S5``).
Edge kinds (the multigraph key): ``on`` point -> meridian; ``next`` point -> the next point
of its channel; ``flow`` meridian -> the next regular channel; ``pair`` between the
interior-exterior partners (both ways); ``in`` point -> region, with the ``aspect``;
``level`` point or instance -> segment; ``of`` instance -> its group point; ``below``
segment -> the segment under it. The point categories add ``category`` nodes with
``member``, ``couple`` and ``same_name`` edges (see :mod:`.graph_categories`).

Queries are methods here so the rules can use them with precomputed indexes, and plain
networkx algorithms work on the same object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..base.memo import remember
from ..base.vocab import FLOW, LEVELS, REGIONS, level_index
from .graph_categories import CategoryIndex, add_categories

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


class MeridianGraph(nx.MultiDiGraph):  # type: ignore[misc]
    """The catalogue as a graph, with the queries rules need.

    >>> from acupoints import Catalog
    >>> g = Catalog.default().graph
    >>> g.channel("LU")[:3]
    ['LU1', 'LU2', 'LU3']
    >>> g.at_levels(["L4"], meridians=["GV"])
    ['GV3']
    """

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> MeridianGraph:
        g = cls()
        for region in REGIONS:
            g.add_node(region, kind="region")
        for i, seg in enumerate(LEVELS):
            g.add_node(seg, kind="segment", index=i)
            if i:
                g.add_edge(LEVELS[i - 1], seg, key="below")
        for m in catalog.meridians.values():
            g.add_node(m.code, kind="meridian", **{a: getattr(m, a) for a in MERIDIAN_ATTRIBUTES})
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
        g._index()
        return g

    def _index(self) -> None:
        # Indexes for the queries the engine runs per case; built once.
        self._by_region: dict[str, list[str]] = {}
        self._by_level: dict[str, list[str]] = {}
        self._channels: dict[str, list[str]] = {}
        self._region_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._through_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._level_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
        for node, data in self.nodes(data=True):
            kind = data["kind"]
            if kind == "meridian":
                self._channels[node] = []
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
        for lst in (*self._by_region.values(), *self._by_level.values(), *self._channels.values()):
            lst.sort(key=self._order)
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
        """Points (and, if asked, group instances) in the regions, optionally filtered."""
        aspects_ = frozenset(_listed(aspects)) if aspects else None
        meridians_ = frozenset(_listed(meridians)) if meridians else None
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
            kept = []
            for node in self._by_level.get(seg, []):
                data = self._node[node]
                if data["kind"] == "instance":
                    keep = (groups is None and meridians is None) or (
                        groups is not None and data["point"] in groups
                    )
                else:
                    keep = (meridians is None and groups is None) or (
                        meridians is not None and data["meridian"] in meridians
                    )
                if keep:
                    kept.append(node)
            hit = tuple(kept)
            remember(self._level_memo, key, hit, _MEMO_LIMIT)
        return hit

    def channels_through(self, regions: Iterable[str], aspects: Iterable[str] | None = None) -> list[str]:
        """Meridians with at least one point in the regions (on those aspects), in flow order."""
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
        field = "fingers" if limb == "hand" else "toes"
        wanted = set(digits)
        return [m for m in self._channels if wanted & set(self._node[m].get(field, ()))]

    def partner(self, meridian: str) -> str | None:
        """The interior-exterior partner of a regular channel."""
        return self._partners.get(meridian)

    # -- the point categories (see .graph_categories) -------------------------------------
    def categories_of(self, code: str) -> tuple[str, ...]:
        """The ids of the categories a point belongs to, in the data file's order.

        >>> from acupoints import Catalog
        >>> Catalog.default().graph.categories_of("LI4")
        ('yuan_source',)
        """
        return self._categories.of(code)

    def in_category(self, categories: Iterable[str] | str, channels: Iterable[str] | None = None) -> list[str]:  # fmt: skip
        """The points of these categories, in catalogue order; with ``channels``, those
        serving one of them (a back-shu point serves its organ's channel), channel by
        channel in flow order.

        >>> from acupoints import Catalog
        >>> Catalog.default().graph.in_category("shu_stream", ["LI", "ST", "LU"])
        ['LU9', 'LI3', 'ST43']
        """
        key = (tuple(_listed(categories)), None if channels is None else frozenset(channels))
        hit = self._category_memo.get(key)
        if hit is None:
            hit = tuple(self._categories.members(key[0], key[1], self._channel_order))
            remember(self._category_memo, key, hit, _MEMO_LIMIT)
        return list(hit)

    def couple(self, code: str) -> str | None:
        """The confluent point classically paired with ``code`` (SI3 -> BL62), or None."""
        return self._categories.couple(code)

    def same_name(self, meridian: str) -> str | None:
        """The channel of the same six-channel name on the other limb (LI -> ST), or None."""
        return self._categories.same_name(meridian)

    def distances(self, meridian: str, regions: frozenset[str]) -> dict[str, int]:
        """Each point of a channel with its distance, in steps along the channel, from the
        nearest of its points in ``regions`` (0 inside them); {} when none lies there."""
        key = (meridian, regions)
        hit = self._distance_memo.get(key)
        if hit is None:
            chan = self._channels.get(meridian, [])
            node = self._node
            inside = [node[c]["region"] in regions for c in chan]
            hit = {}
            if any(inside):
                # Two sweeps, down the channel then up: each point's steps to the nearest
                # point inside, in time linear in the channel's length.
                far = len(chan)
                steps = [far] * far
                last = -far
                for i, is_in in enumerate(inside):
                    if is_in:
                        last = i
                    steps[i] = i - last
                last = 2 * far
                for i in range(far - 1, -1, -1):
                    if inside[i]:
                        last = i
                    steps[i] = min(steps[i], last - i)
                hit = dict(zip(chan, steps, strict=True))
            remember(self._distance_memo, key, hit, _MEMO_LIMIT)
        return hit

    def near(self, meridians: Iterable[str], regions: frozenset[str], steps: int) -> tuple[str, ...]:
        """The points of these channels at most ``steps`` along the channel from ``regions``
        (of a channel with no point in them, all its points), channel by channel in flow
        order, each in WHO order. Remembered."""
        key = (frozenset(meridians), regions, steps)
        hit = self._near_memo.get(key)
        if hit is None:
            chans = sorted(key[0], key=lambda m: self._channel_order.get(m, len(self._channel_order)))
            out: list[str] = []
            for m in chans:
                d = self.distances(m, regions)
                out += [c for c in self._channels.get(m, ()) if not d or d[c] <= steps]
            hit = tuple(out)
            remember(self._near_memo, key, hit, _MEMO_LIMIT)
        return hit

    def presence(self, meridian: str, regions: frozenset[str]) -> int:
        """How many points of a channel lie in ``regions``."""
        key = (meridian, regions)
        hit = self._presence_memo.get(key)
        if hit is None:
            hit = self._presence_memo[key] = sum(
                1 for d in self.distances(meridian, regions).values() if d == 0
            )
        return hit

    def by_importance(
        self, nodes: tuple[str, ...], along: frozenset[str], wanted: frozenset[str] | None
    ) -> tuple[str, ...]:
        """``nodes`` (points or group instances) most important first: by the number of
        categories each point belongs to (of ``wanted`` when given), then by how many
        points its channel has in ``along``, then by its distance along the channel from
        ``along`` (nearest first), then in the given order. Remembered: the engine asks the
        same again and again."""
        key = (nodes, along, wanted)
        hit = self._importance_memo.get(key)
        if hit is None:
            hit = tuple(sorted(nodes, key=self._importance_key(nodes, along, wanted)))
            remember(self._importance_memo, key, hit, _MEMO_LIMIT)
        return hit

    def _importance_key(
        self, nodes: tuple[str, ...], along: frozenset[str], wanted: frozenset[str] | None
    ) -> Callable[[str], tuple[int, int, int, int]]:
        order = {n: i for i, n in enumerate(nodes)}

        def key(node: str) -> tuple[int, int, int, int]:
            data = self._node[node]
            point = data["point"] if data["kind"] == "instance" else node
            cats = self._categories.of(point)
            count = len(cats) if wanted is None else len(wanted.intersection(cats))
            meridian = self._node[point].get("meridian")
            if not meridian or not along:
                return (-count, 0, 0, order[node])
            steps = self.distances(meridian, along)
            return (-count, -self.presence(meridian, along), steps.get(point, 0), order[node])

        return key

    def flow_next(self, meridian: str) -> str | None:
        """The channel the flow passes to next (LR -> LU closes the cycle)."""
        for _, target, key in self.out_edges(meridian, keys=True):
            if key == "flow":
                return str(target)
        return None


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
