"""``has_tender_points: true``: the case lists tender points (or, with false, lists none)."""

from __future__ import annotations

from ..view import GIVEN, NONE, NOT_GIVEN, Feature, Test
from .base import ConditionKind, Emitted, Source

__all__ = ["HasTenderPoints"]


class HasTenderPoints(ConditionKind[bool]):
    """Whether the case names tender points: a feature every case has one word of, so the
    index settles it."""

    key = "has_tender_points"
    schema = bool

    def interpret(self, value: bool) -> Test:
        return lambda v: (v.tender == value, NONE)

    def emit(self, value: bool, src: Source, indent: int) -> Emitted:
        return f"(v.tender is {bool(value)})", None

    def describe(self, value: bool) -> str:
        return f"has tender points is {value}"

    def options(self, value: bool) -> list[frozenset[Feature]]:
        return [frozenset({("tender_points", GIVEN if value else NOT_GIVEN)})]

    def decided(self, value: bool) -> bool:
        return True
