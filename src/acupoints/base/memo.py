"""Bounded memo tables: the engine, the rule index and the graph remember answers in them."""

from __future__ import annotations

from typing import Any

__all__ = ["remember"]


def remember(cache: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    """Store ``value``; when ``cache`` holds ``limit`` entries, its older half goes first.

    Dicts keep insertion order, so the older half is the first half. ``list(cache)`` copies
    the keys in one step, so another thread adding meanwhile is safe.

    >>> cache = {}
    >>> for i in range(5):
    ...     remember(cache, i, i, limit=4)
    >>> list(cache)
    [2, 3, 4]
    """
    if len(cache) >= limit:
        for old in list(cache)[: len(cache) // 2]:
            cache.pop(old, None)
    cache[key] = value
