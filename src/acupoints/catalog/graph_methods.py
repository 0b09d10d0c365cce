"""The graph queries of the selection methods: point categories, steps along a channel, importance.

:class:`MethodQueries` is a part of :class:`.graph.MeridianGraph` (a mixin, so the graph
class stays short): the categories of a point and the points of a category (see
:mod:`.graph_categories`), how far each point of a channel lies from some regions, the
points near them, and the order of importance the method rules rank by. Each answer is
remembered: the engine asks the same questions again and again. The indexes it reads are
built by ``MeridianGraph._index``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..base.memo import remember

if TYPE_CHECKING:
    from .graph_categories import CategoryIndex

__all__ = ["MethodQueries"]

#: Entries each memo keeps (as the graph's other query memos).
_MEMO_LIMIT = 50_000


def _listed(items: Iterable[Any] | str) -> list[Any]:
    """A list from an iterable; a lone string counts as one item, not as its letters."""
    return [items] if isinstance(items, str) else list(items)


class MethodQueries:
    """The selection methods' queries of the meridian graph (mixed into it)."""

    # Set by MeridianGraph._index (and networkx for _node).
    _node: Any
    _channels: dict[str, list[str]]
    _categories: CategoryIndex
    _channel_order: dict[str, int]
    _distance_memo: dict[tuple[str, frozenset[str]], dict[str, int]]
    _presence_memo: dict[tuple[str, frozenset[str]], int]
    _near_memo: dict[tuple[Any, ...], tuple[str, ...]]
    _category_memo: dict[tuple[Any, ...], tuple[str, ...]]
    _importance_memo: dict[tuple[Any, ...], tuple[str, ...]]

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
