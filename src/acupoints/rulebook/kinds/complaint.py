"""``complaint: {...}``: some complaint matches every constraint given.

The only kind that matches complaints: the actions of a rule act on the complaints its
condition matched (the "affected" ones). It loops over the complaints, so it runs after
the tests of the case as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from ...base.vocab import LOWER_LIMB, UPPER_LIMB
from ...base.words import Aspect, Region, Sensation, Side
from ...io.scalars import NOT_BOOL
from ..view import NONE, CaseView, Facts, Feature, Matched, Test
from .base import LEADING, PER_COMPLAINT, ConditionKind, ConditionModel, Emitted, NeverTrue, Source

__all__ = [
    "Complaint",
    "ComplaintTest",
    "compile_complaint_test",
    "fields_text",
    "limb_mismatch",
    "place_options",
]


class ComplaintTest(BaseModel):
    """True when some complaint matches every constraint given."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    region: tuple[Region, ...] = ()
    aspect: tuple[Aspect, ...] = ()
    sensation: tuple[Sensation, ...] = ()
    digits: tuple[Annotated[int, Field(ge=1, le=5), NOT_BOOL], ...] = ()
    limb: Literal["arm", "leg"] | None = None
    side: Side | None = None
    min_severity: Annotated[int, Field(ge=0, le=10), NOT_BOOL] | None = None


def compile_complaint_test(t: ComplaintTest) -> Callable[[Facts], bool]:
    """A complaint test as one function over a complaint's facts; empty fields match anything."""
    regions = frozenset(t.region) or None
    aspects = frozenset(t.aspect) or None
    sensations = frozenset(t.sensation) or None
    digits = frozenset(t.digits) or None
    limb, side, severity = t.limb, t.side, t.min_severity

    def matches(c: Facts) -> bool:
        return (
            (regions is None or c.region in regions)
            and (aspects is None or c.aspect in aspects)
            and (sensations is None or not sensations.isdisjoint(c.sensations))
            and (digits is None or not digits.isdisjoint(c.digits))
            and (limb is None or c.limb == limb)
            # "left" also matches a complaint on both sides; "both" asks for both sides.
            and (side is None or c.side == side or (c.side == "both" and side != "both"))
            and (severity is None or (c.severity is not None and c.severity >= severity))
        )

    return matches


def _complaint_expr(t: ComplaintTest, src: Source) -> str:
    """A Python expression over ``c``, one complaint's :class:`Facts` as a tuple."""
    parts: list[str] = []
    if t.region:
        parts.append(
            f"c[0] == {t.region[0]!r}" if len(t.region) == 1 else f"c[0] in {src.const(frozenset(t.region))}"
        )
    if t.aspect:
        parts.append(f"c[1] in {src.const(frozenset(t.aspect))}")
    if t.sensation:
        parts.append(f"not {src.const(frozenset(t.sensation))}.isdisjoint(c[2])")
    if t.digits:
        parts.append(f"not {src.const(frozenset(t.digits))}.isdisjoint(c[3])")
    if t.limb is not None:
        parts.append(f"c[4] == {t.limb!r}")
    if t.side is not None:
        # "left" also matches a complaint on both sides; "both" asks for both sides.
        parts.append("c[5] == 'both'" if t.side == "both" else f"(c[5] == {t.side!r} or c[5] == 'both')")
    if t.min_severity is not None:
        parts.append(f"(c[6] is not None and c[6] >= {t.min_severity})")
    return " and ".join(parts) or "True"


class _Places(Protocol):
    """What the shared helpers read of a complaint test (``both_sides`` has no side)."""

    @property
    def region(self) -> tuple[str, ...]: ...
    @property
    def aspect(self) -> tuple[str, ...]: ...
    @property
    def limb(self) -> str | None: ...
    def model_dump(self, *, exclude_defaults: bool = ...) -> dict[str, object]: ...


def fields_text(value: _Places) -> str:
    """The constraints a test sets, as ``region in [neck], limb=arm`` (for descriptions)."""
    fields = value.model_dump(exclude_defaults=True)
    return ", ".join(f"{k} in [{', '.join(map(str, v))}]" if isinstance(v, tuple) else f"{k}={v}"
                     for k, v in fields.items())  # fmt: skip


def place_options(value: _Places) -> list[frozenset[Feature]]:
    """The index features a complaint must have for the test to hold: one of its regions,
    one of its aspects, its limb."""
    options = []
    if value.region:
        options.append(frozenset(("region", r) for r in value.region))
    if value.aspect:
        options.append(frozenset(("aspect", a) for a in value.aspect))
    if value.limb:
        options.append(frozenset({("limb", value.limb)}))
    return options


def limb_mismatch(value: _Places) -> list[NeverTrue]:
    """The lint finding of a test whose regions all lie off its limb, if they do."""
    if value.limb and value.region:
        limb_regions = UPPER_LIMB if value.limb == "arm" else LOWER_LIMB
        if not set(value.region) & limb_regions:
            return [((), f"no region in [{', '.join(value.region)}] is on the {value.limb}: "
                         "this condition can never be true")]  # fmt: skip
    return []


class Complaint(ConditionKind[ComplaintTest]):
    """The complaints that match; to the index, the regions and aspects it asks for."""

    key = "complaint"
    schema = ComplaintTest
    cost = PER_COMPLAINT
    phrase = LEADING

    def interpret(self, value: ComplaintTest) -> Test:
        test = compile_complaint_test(value)

        def complaint(v: CaseView) -> tuple[bool, Matched]:
            m = [i for i, c in enumerate(v.facts) if test(c)]
            return (True, frozenset(m)) if m else (False, NONE)

        return complaint

    def emit(self, value: ComplaintTest, src: Source, indent: int) -> Emitted:
        m = src.var()
        src.emit(indent, f"{m} = 0")
        src.emit(indent, "for i, c in enumerate(F):")
        src.emit(indent + 1, f"if {_complaint_expr(value, src)}:")
        src.emit(indent + 2, f"{m} |= 1 << i")
        return m, m

    def describe(self, value: ComplaintTest) -> str:
        return f"complaint({fields_text(value)})"

    def options(self, value: ComplaintTest) -> list[frozenset[Feature]]:
        return place_options(value)

    def never_true(self, value: ComplaintTest, cond: ConditionModel) -> list[NeverTrue]:
        found = limb_mismatch(value)
        if value.digits and value.region and not set(value.region) & {"fingers", "toes", "hand", "foot"}:
            found.append(((), "digits are given only for hands, fingers, feet and toes"))
        return found
