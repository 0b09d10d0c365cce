"""Bounded memo tables (the engine, the rule index and the graph remember answers in
them), and the JSON text of a frozen record, worked out once."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["json_once", "remember"]

_dumps = json.JSONEncoder(ensure_ascii=False).encode


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


def json_once(record: Any) -> str:
    """``record.to_dict()`` as JSON text, worked out on the first call and kept on the
    record (a frozen dataclass: its dict never changes, so neither does the text)."""
    got: str | None = record.__dict__.get("_json_text")
    if got is None:
        got = _dumps(record.to_dict())
        object.__setattr__(record, "_json_text", got)
    return got
