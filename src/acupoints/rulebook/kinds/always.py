"""``always: true``: the condition of a rule that applies to every case."""

from __future__ import annotations

from typing import Literal

from ..view import NONE, Test
from .base import LEADING, ConditionKind, Emitted, Source

__all__ = ["Always"]


class Always(ConditionKind[bool]):
    """Holds for every case; the index settles it (it needs nothing)."""

    key = "always"
    schema = Literal[True]
    phrase = LEADING

    def interpret(self, value: bool) -> Test:
        return lambda v: (True, NONE)

    def emit(self, value: bool, src: Source, indent: int) -> Emitted:
        return "True", None

    def describe(self, value: bool) -> str:
        return "always"

    def decided(self, value: bool) -> bool:
        return True
