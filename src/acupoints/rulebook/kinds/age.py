"""``age: {at_least: 65}``: the case gives an age in this range (``below`` is excluded).

A case that gives no age matches no range, so a rule that must hold whatever the age
says so itself (``any: [{age: {at_least: 65}}, {not: {age: {at_least: 0}}}]``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...io.scalars import NOT_BOOL
from ..view import NONE, CaseView, Matched, Test
from .base import ConditionKind, ConditionModel, Emitted, NeverTrue, Source

__all__ = ["Age", "AgeRange"]

Years = Annotated[int, Field(ge=0, le=130), NOT_BOOL]


class AgeRange(BaseModel):
    """Ages from ``at_least`` (included) to ``below`` (excluded); give one or both."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at_least: Years | None = None
    below: Years | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> AgeRange:
        if self.at_least is None and self.below is None:
            raise ValueError("an age range needs at_least, below or both")
        return self


class Age(ConditionKind[AgeRange]):
    """An age range; not a feature of the index, and true only for a case that gives an age."""

    key = "age"
    schema = AgeRange

    def interpret(self, value: AgeRange) -> Test:
        lo, hi = value.at_least, value.below

        def age(v: CaseView) -> tuple[bool, Matched]:
            years = v.case.age
            ok = years is not None and (lo is None or years >= lo) and (hi is None or years < hi)
            return ok, NONE

        return age

    def emit(self, value: AgeRange, src: Source, indent: int) -> Emitted:
        parts = ["v.case.age is not None"]
        if value.at_least is not None:
            parts.append(f"v.case.age >= {int(value.at_least)}")
        if value.below is not None:
            parts.append(f"v.case.age < {int(value.below)}")
        return f"({' and '.join(parts)})", None

    def describe(self, value: AgeRange) -> str:
        if value.below is None:
            return f"age at least {value.at_least}"
        if value.at_least is None:
            return f"age below {value.below}"
        return f"age from {value.at_least} to below {value.below}"

    def never_true(self, value: AgeRange, cond: ConditionModel) -> list[NeverTrue]:
        if value.at_least is not None and value.below is not None and value.at_least >= value.below:
            return [((), f"no age is at least {value.at_least} and below {value.below}: the range is empty")]
        return []
