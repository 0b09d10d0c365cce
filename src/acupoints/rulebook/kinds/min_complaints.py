"""``min_complaints: 2``: the case has at least this many complaints."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ...io.scalars import NOT_BOOL
from ..view import NONE, Test
from .base import ConditionKind, Emitted, Source

__all__ = ["MinComplaints"]


class MinComplaints(ConditionKind[int]):
    """A count of the complaints; it matches none of them, and the index cannot help."""

    key = "min_complaints"
    schema = Annotated[int, Field(ge=1), NOT_BOOL]

    def interpret(self, value: int) -> Test:
        return lambda v: (len(v.complaints) >= value, NONE)

    def emit(self, value: int, src: Source, indent: int) -> Emitted:
        return f"(len(F) >= {int(value)})", None

    def describe(self, value: int) -> str:
        return f"at least {value} complaints"
