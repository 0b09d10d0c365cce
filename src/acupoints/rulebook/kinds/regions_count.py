"""``regions_count: 2``: the case's complaints lie in at least this many regions.

The worked example of ``docs/add-a-condition-kind.md``: a kind needs its key, its schema
and three methods; the index's parts and the checks keep their defaults here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ...io.scalars import NOT_BOOL
from ..view import NONE, Test
from .base import ConditionKind, Emitted, Source

__all__ = ["RegionsCount"]


class RegionsCount(ConditionKind[int]):
    """A count of distinct regions; the index cannot help (regions counted are no feature)."""

    key = "regions_count"
    schema = Annotated[int, Field(ge=1), NOT_BOOL]

    def interpret(self, value: int) -> Test:
        return lambda v: (len({c.region for c in v.complaints}) >= value, NONE)

    def emit(self, value: int, src: Source, indent: int) -> Emitted:
        # ``F`` is the complaints' facts, tuples whose first item is the region.
        return f"(len(set(c[0] for c in F)) >= {int(value)})", None

    def describe(self, value: int) -> str:
        return f"at least {value} regions"
