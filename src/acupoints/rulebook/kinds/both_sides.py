"""``both_sides: {limb: leg, sensation: [weakness]}``: such complaints reach both sides.

The same picture may be written as one complaint with ``side: both`` or as a left and a
right complaint; this test holds for either, so that a rule about symptoms on both
sides (weakness of both legs, numb hands on both sides) does not depend on how the
complaints were split. The constraints are those of ``complaint`` without ``side``.
It reads the complaints but matches none of them: the rule's actions do not act on
"the affected" complaints through it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ...base.words import Aspect, Region, Sensation
from ...io.scalars import NOT_BOOL
from ..view import NONE, CaseView, Feature, Matched, Test
from .base import PER_COMPLAINT, ConditionKind, ConditionModel, Emitted, NeverTrue, Source
from .complaint import (
    ComplaintTest,
    _complaint_expr,
    compile_complaint_test,
    fields_text,
    limb_mismatch,
    place_options,
)

__all__ = ["BothSides", "SidelessTest"]

#: The sides a complaint's side reaches, as bits: both sides are 0b11.
_SIDE_BITS = {"left": 1, "right": 2, "both": 3}


class SidelessTest(BaseModel):
    """The constraints of a complaint test, without its side."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    region: tuple[Region, ...] = ()
    aspect: tuple[Aspect, ...] = ()
    sensation: tuple[Sensation, ...] = ()
    digits: tuple[Annotated[int, Field(ge=1, le=5), NOT_BOOL], ...] = ()
    limb: Literal["arm", "leg"] | None = None
    min_severity: Annotated[int, Field(ge=0, le=10), NOT_BOOL] | None = None

    def as_complaint_test(self) -> ComplaintTest:
        return ComplaintTest(**self.model_dump())


class BothSides(ConditionKind[SidelessTest]):
    """Complaints of this kind on the left and on the right (or one on both sides)."""

    key = "both_sides"
    schema = SidelessTest
    cost = PER_COMPLAINT

    def interpret(self, value: SidelessTest) -> Test:
        test = compile_complaint_test(value.as_complaint_test())

        def both_sides(v: CaseView) -> tuple[bool, Matched]:
            reached = 0
            for c in v.facts:
                if test(c):
                    reached |= _SIDE_BITS[c.side]
            return reached == 3, NONE

        return both_sides

    def emit(self, value: SidelessTest, src: Source, indent: int) -> Emitted:
        reached, bits = src.var(), src.const(_SIDE_BITS)
        src.emit(indent, f"{reached} = 0")
        src.emit(indent, "for c in F:")
        src.emit(indent + 1, f"if {_complaint_expr(value.as_complaint_test(), src)}:")
        src.emit(indent + 2, f"{reached} |= {bits}[c[5]]")
        return f"({reached} == 3)", None

    def describe(self, value: SidelessTest) -> str:
        return f"on both sides({fields_text(value)})"

    def options(self, value: SidelessTest) -> list[frozenset[Feature]]:
        return place_options(value)

    def never_true(self, value: SidelessTest, cond: ConditionModel) -> list[NeverTrue]:
        return limb_mismatch(value)
