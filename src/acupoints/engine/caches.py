"""The one bound on the engine's caches, so that a long run keeps its memory in check.

Every part of the engine that remembers answers by the case (selections, sets of fired
rules, chosen points, joined words...) stores them through :func:`remember`. Tests lower
:data:`CACHE_LIMIT` to empty the caches again and again while threads use them.
"""

from __future__ import annotations

from typing import Any

from ..base.memo import remember as _bounded

__all__ = ["CACHE_LIMIT", "remember"]

#: Entries each of the engine's caches keeps (bounds the memory of long runs).
CACHE_LIMIT = 20_000


def remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """Store in one of the engine's caches (see :func:`acupoints.base.memo.remember`);
    the limit is read at each call, so a changed :data:`CACHE_LIMIT` holds at once."""
    _bounded(cache, key, value, CACHE_LIMIT)
