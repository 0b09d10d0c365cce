"""``level_between: [C5, T1]``: the case names a spinal level in this range, ends included."""

from __future__ import annotations

from ...base.vocab import LEVELS, level_index
from ...base.words import Level
from ..view import NONE, Feature, Test
from .base import ConditionKind, ConditionModel, Emitted, NeverTrue, Source

__all__ = ["LevelBetween"]


class LevelBetween(ConditionKind[tuple[str, str]]):
    """A range of levels; to the index it is the levels of the range, which settle it."""

    key = "level_between"
    schema = tuple[Level, Level]

    def interpret(self, value: tuple[str, str]) -> Test:
        lo, hi = (level_index(x) for x in value)
        return lambda v: (any(lo <= level_index(x) <= hi for x in v.levels), NONE)

    def emit(self, value: tuple[str, str], src: Source, indent: int) -> Emitted:
        return f"(not {src.const(frozenset(_range(value)))}.isdisjoint(v.levels))", None

    def describe(self, value: tuple[str, str]) -> str:
        return f"level between {value[0]} and {value[1]}"

    def options(self, value: tuple[str, str]) -> list[frozenset[Feature]]:
        return [frozenset(("level", lv) for lv in _range(value))]

    def decided(self, value: tuple[str, str]) -> bool:
        return True

    def never_true(self, value: tuple[str, str], cond: ConditionModel) -> list[NeverTrue]:
        lo, hi = value
        if level_index(lo) > level_index(hi):
            return [((), f"{lo} lies below {hi}: the range is empty")]
        return []


def _range(value: tuple[str, str]) -> tuple[str, ...]:
    lo, hi = (level_index(x) for x in value)
    return LEVELS[lo : hi + 1]
