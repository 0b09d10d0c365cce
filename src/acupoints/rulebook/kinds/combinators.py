"""The kinds that join conditions: ``all: [...]``, ``any: [...]`` and ``not: {...}``.

Each asks the language (:attr:`~.base.ConditionKind.language`) for the parts of the
conditions nested in it, so they work with every kind of the registry.
"""

from __future__ import annotations

from functools import partial

from ..view import NONE, Feature, Test
from .always import Always
from .base import (
    BRANCHES,
    LEADING,
    NESTED,
    ConditionKind,
    ConditionModel,
    Emitted,
    NeverTrue,
    Place,
    Source,
    union,
)
from .words import CaseWord, Cause

__all__ = ["AllOf", "AnyOf", "Not"]

Conditions = tuple[ConditionModel, ...]


class _Branches(ConditionKind[Conditions]):
    """A list of nested conditions."""

    schema = "tuple[Condition, ...]"
    cost = BRANCHES
    phrase = LEADING

    def describe(self, value: Conditions) -> str:
        return f"{self.key}(" + "; ".join(self.language.describe(c) for c in value) + ")"

    def nested(self, value: Conditions) -> tuple[tuple[Place, ConditionModel], ...]:
        return tuple(((i,), c) for i, c in enumerate(value))


class AllOf(_Branches):
    """Every nested condition holds; the complaints matched are those of all of them."""

    key = "all"

    def interpret(self, value: Conditions) -> Test:
        return union([self.language.interpret(c) for c in value], need_all=True)

    def emit(self, value: Conditions, src: Source, indent: int) -> Emitted:
        return self.language.emit_all([partial(self.language.emit, c) for c in value], src, indent)

    def options(self, value: Conditions) -> list[frozenset[Feature]]:
        return [option for c in value for option in self.language.options(c)]

    def decided(self, value: Conditions) -> bool:
        return all(self.language.decides(c) for c in value)

    def never_true(self, value: Conditions, cond: ConditionModel) -> list[NeverTrue]:
        # A case has one cause: causes required side by side must share one.
        causes = [set(c) for c in map(Cause.value_of, value) if c is not None]
        own = Cause.value_of(cond)
        if own is not None:
            causes.append(set(own))
        if len(causes) > 1 and not set.intersection(*causes):
            return [((), "the causes required here cannot all hold at once")]
        return []


class AnyOf(_Branches):
    """Some nested condition holds; the complaints matched are those of every one that holds."""

    key = "any"

    def interpret(self, value: Conditions) -> Test:
        return union([self.language.interpret(c) for c in value], need_all=False)

    def emit(self, value: Conditions, src: Source, indent: int) -> Emitted:
        # Every branch is evaluated: the mask merges the complaints of each true branch.
        subs = [self.language.emit(c, src, indent) for c in value]
        ok, m = src.var(), src.var()
        src.emit(indent, f"{ok} = " + " or ".join(f"bool({sub_ok})" for sub_ok, _ in subs))
        masks = [f"({sub_m} if {sub_ok} else 0)" for sub_ok, sub_m in subs if sub_m is not None]
        src.emit(indent, f"{m} = " + (" | ".join(masks) or "0"))
        return ok, m

    def options(self, value: Conditions) -> list[frozenset[Feature]]:
        # One need: a case meets it with a feature that meets some branch's first need.
        subs = [self.language.options(c) for c in value]
        if subs and all(subs):
            return [frozenset().union(*[s[0] for s in subs])]
        return []

    def decided(self, value: Conditions) -> bool:
        # Settled when every branch is settled by a single need: their union is then
        # exactly the any's need.
        return bool(value) and all(
            self.language.decides(c) and len(self.language.options(c)) == 1 for c in value
        )


class Not(ConditionKind[ConditionModel]):
    """The nested condition does not hold; it matches no complaint."""

    key = "not"
    attribute = "not_"
    schema = "Condition"
    cost = NESTED
    phrase = LEADING

    def interpret(self, value: ConditionModel) -> Test:
        inner = self.language.interpret(value)
        return lambda v: (not inner(v)[0], NONE)

    def emit(self, value: ConditionModel, src: Source, indent: int) -> Emitted:
        ok, _ = self.language.emit(value, src, indent)
        return f"(not {ok})", None

    def describe(self, value: ConditionModel) -> str:
        return f"not({self.language.describe(value)})"

    def nested(self, value: ConditionModel) -> tuple[tuple[Place, ConditionModel], ...]:
        return (((), value),)

    def options(self, value: ConditionModel) -> list[frozenset[Feature]]:
        need = self._complement(value)
        return [need] if need is not None else []

    def decided(self, value: ConditionModel) -> bool:
        return self._complement(value) is not None

    def _complement(self, value: ConditionModel) -> frozenset[Feature] | None:
        """The need of ``not`` of one test of a word every case has one of (its cause,
        onset, tenderness): one of the other words. None for any other condition."""
        parts = list(self.language.parts(value))
        if len(parts) != 1:
            return None
        kind, words = parts[0]
        return kind.complement(words) if isinstance(kind, CaseWord) else None

    def never_true(self, value: ConditionModel, cond: ConditionModel) -> list[NeverTrue]:
        if Always.value_of(value):
            return [((), "'not: {always: true}' can never be true")]
        return []
