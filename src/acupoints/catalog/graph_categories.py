"""The point categories on the meridian graph: category nodes, their edges, their index.

The textbook categories of :mod:`.categories` (transport, yuan-source, luo, xi-cleft,
back-shu, front-mu, lower he-sea, hui-meeting and confluent points) become part of the
graph, so rules can ask for "the shu-stream point of each channel through the affected
region" and plain networkx code can walk from a point to its categories:

- a ``category`` node per category (keyed by its id, ``shu_stream``), with its ``name``,
  ``chinese``, ``pinyin`` and ``group``;
- a ``member`` edge point -> category, with what the point ``serves`` there and the
  ``channel`` that stands for (an organ's own channel; None for a tissue);
- a ``couple`` edge both ways between the two points of a classical confluent pair
  (SI3 and BL62, PC6 and SP4, TE5 and GB41, LU7 and KI6);
- a ``same_name`` edge both ways between the hand and foot channels that share one of the
  six channel names (taiyin LU-SP, yangming LI-ST, shaoyin HT-KI, taiyang SI-BL, jueyin
  PC-LR, shaoyang TE-GB).

:class:`CategoryIndex` is built from the graph's own edges (so a pickled graph rebuilds
it) and answers the questions quickly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..base.vocab import REGIONS
from ..io.resources import data_root
from .category_data import CategoryFile, Member
from .tables import parse

if TYPE_CHECKING:
    import networkx as nx

    from .catalog import Catalog

__all__ = ["SAME_NAME", "CategoryIndex", "add_categories"]

#: The hand and foot channels of each of the six channel names (Cheng 1987, the chapter
#: on the channels; Deadman 1998, the introduction to the channels).
SAME_NAME: tuple[tuple[str, str], ...] = (
    ("LU", "SP"),  # taiyin
    ("LI", "ST"),  # yangming
    ("HT", "KI"),  # shaoyin
    ("SI", "BL"),  # taiyang
    ("PC", "LR"),  # jueyin
    ("TE", "GB"),  # shaoyang
)


def add_categories(g: nx.MultiDiGraph, catalog: Catalog) -> None:
    """Add the shipped categories to ``g``: nodes, ``member`` and ``couple`` edges (only
    for points this catalogue has), and the ``same_name`` edges between channels."""
    for a, b in SAME_NAME:
        if a in g and b in g:
            g.add_edge(a, b, key="same_name")
            g.add_edge(b, a, key="same_name")
    have = set(catalog.codes)
    # The shipped file, read as trusted (its checks against the catalogue are the reader's
    # in .categories, which the knowledge tables and the tests run): the graph is built by
    # the catalogue, so it cannot ask the catalogue-bound reader without a loop.
    parsed, _ = parse(data_root() / "categories.yaml", CategoryFile, trusted=True)
    for cat in parsed.categories:
        # Category ids are lower-case words like the regions; they must never be one.
        assert cat.id not in REGIONS, cat.id
        g.add_node(cat.id, kind="category", name=cat.name, chinese=cat.chinese, pinyin=cat.pinyin,
                   group=cat.group)  # fmt: skip
        for data in cat.points:
            m = Member(cat.id, data.code, data.serves, data.pair)
            if m.code not in have:
                continue
            g.add_edge(m.code, cat.id, key="member", serves=m.serves, channel=m.channel)
            if m.pair and m.pair in have:
                g.add_edge(m.code, m.pair, key="couple")


class CategoryIndex:
    """The categories of one graph, indexed: built from its ``member``, ``couple`` and
    ``same_name`` edges. A category's points are in catalogue order; a point's categories
    in the data file's order."""

    __slots__ = ("_by_channel", "_couple", "_members", "_of", "_same_name")

    def __init__(self, g: nx.MultiDiGraph) -> None:
        #: Per category: its members as (code, channel), in catalogue order.
        self._members: dict[str, list[tuple[str, str | None]]] = {}
        self._of: dict[str, list[str]] = {}
        self._couple: dict[str, str] = {}
        self._same_name: dict[str, str] = {}
        for node, kind in g.nodes(data="kind"):
            if kind == "category":
                self._members[node] = []
        for u, v, key, data in g.edges(keys=True, data=True):
            if key == "member":
                self._members[v].append((u, data["channel"]))
                self._of.setdefault(u, []).append(v)
            elif key == "couple":
                self._couple[u] = v
            elif key == "same_name":
                self._same_name[u] = v
        #: Per (category, channel): the points of the category serving that channel.
        self._by_channel: dict[tuple[str, str | None], tuple[str, ...]] = {}
        for cid, members in self._members.items():
            for code, channel in members:
                self._by_channel[(cid, channel)] = (*self._by_channel.get((cid, channel), ()), code)

    @property
    def ids(self) -> tuple[str, ...]:
        """The category ids, in the data file's order."""
        return tuple(self._members)

    def of(self, code: str) -> tuple[str, ...]:
        """The ids of the categories a point belongs to (() for none), in file order."""
        return tuple(self._of.get(code, ()))

    def members(self, categories: Iterable[str], channels: Iterable[str] | None, order: dict[str, int]) -> list[str]:  # fmt: skip
        """The points of these categories, each once: with ``channels``, only those serving
        one of them, channel by channel in ``order``; without, in the categories' order."""
        if channels is None:
            wanted = [self._members[c] for c in categories if c in self._members]
            return list(dict.fromkeys(code for ms in wanted for code, _ in ms))
        by_channel = self._by_channel
        out: list[str] = []
        for ch in sorted(set(channels), key=lambda m: order.get(m, len(order))):
            for c in categories:
                out += by_channel.get((c, ch), ())
        return list(dict.fromkeys(out))

    def couple(self, code: str) -> str | None:
        """The confluent point paired with ``code`` (SI3 -> BL62), or None."""
        return self._couple.get(code)

    def same_name(self, meridian: str) -> str | None:
        """The channel of the same six-channel name on the other limb (LI -> ST), or None."""
        return self._same_name.get(meridian)

    def __repr__(self) -> str:
        return f"CategoryIndex({len(self._members)} categories, {len(self._of)} points)"
