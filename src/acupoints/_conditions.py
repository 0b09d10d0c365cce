"""Conditions compiled to plain functions over a prepared case, with a readable trace.

A compiled condition takes a :class:`CaseView` and returns ``(holds, matched)``, where
``matched`` is the set of complaint indices that made complaint tests true (the
"affected" complaints the actions use).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ._case import Case, Complaint
from ._rules_schema import ComplaintTest, Condition
from ._vocab import LOWER_LIMB, UPPER_LIMB, level_index

Matched = frozenset[int]
Test = Callable[["CaseView"], tuple[bool, Matched]]
NONE: Matched = frozenset()


def limb_of(region: str) -> str | None:
    """``arm``, ``leg`` or None for a region."""
    if region in UPPER_LIMB:
        return "arm"
    if region in LOWER_LIMB:
        return "leg"
    return None


class Facts(NamedTuple):
    """One complaint, as the complaint tests read it."""

    region: str
    aspect: str | None
    sensations: frozenset[str]
    digits: frozenset[int]
    limb: str | None
    side: str
    severity: int | None


@dataclass(frozen=True)
class CaseView:
    """What conditions ask of a case, computed once per case."""

    case: Case
    complaints: tuple[Complaint, ...]
    cause: str | None
    nerve: str | None
    levels: frozenset[str]
    flags: frozenset[str]
    red_flags: frozenset[str]
    tender: bool
    features: frozenset[tuple[str, str]]
    facts: tuple[Facts, ...] = ()

    @classmethod
    def of(cls, case: Case) -> CaseView:
        cause = case.cause.kind if case.cause else None
        features = {("region", c.region) for c in case.complaints}
        features |= {("flag", f) for f in case.flag_names} | {("red_flag", f) for f in case.red_flags}
        if cause:
            features.add(("cause", cause))
        return cls(
            case=case,
            complaints=case.complaints,
            cause=cause,
            nerve=case.cause.nerve if case.cause else None,
            levels=frozenset(case.cause.levels) if case.cause else frozenset(),
            flags=case.flag_names,
            red_flags=frozenset(case.red_flags),
            tender=bool(case.tender_points),
            features=frozenset(features),
            facts=tuple(
                Facts(
                    c.region,
                    c.aspect,
                    frozenset(c.sensations),
                    frozenset(c.digits),
                    limb_of(c.region),
                    c.side,
                    c.severity,
                )
                for c in case.complaints
            ),
        )


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


def compile_condition(cond: Condition) -> Test:
    """Turn a condition into a function; the keys of one mapping are joined by AND."""
    parts: list[Test] = []
    if cond.all is not None:
        subs = [compile_condition(c) for c in cond.all]

        def all_(v: CaseView) -> tuple[bool, Matched]:
            matched: set[int] = set()
            for s in subs:
                ok, m = s(v)
                if not ok:
                    return False, NONE
                matched |= m
            return True, frozenset(matched)

        parts.append(all_)
    if cond.any is not None:
        anys = [compile_condition(c) for c in cond.any]

        def any_(v: CaseView) -> tuple[bool, Matched]:
            matched: set[int] = set()
            hit = False
            for s in anys:
                ok, m = s(v)
                if ok:
                    hit = True
                    matched |= m
            return hit, frozenset(matched)

        parts.append(any_)
    if cond.not_ is not None:
        inner = compile_condition(cond.not_)
        parts.append(lambda v: (not inner(v)[0], NONE))
    if cond.always:
        parts.append(lambda v: (True, NONE))
    if cond.complaint is not None:
        test = compile_complaint_test(cond.complaint)

        def complaint(v: CaseView) -> tuple[bool, Matched]:
            m = frozenset(i for i, c in enumerate(v.facts) if test(c))
            return bool(m), m

        parts.append(complaint)
    if cond.cause is not None:
        kinds = frozenset(cond.cause)
        parts.append(lambda v: (v.cause in kinds, NONE))
    if cond.nerve is not None:
        nerves = frozenset(cond.nerve)
        parts.append(lambda v: (v.nerve in nerves, NONE))
    if cond.levels is not None:
        levels = frozenset(cond.levels)
        parts.append(lambda v: (bool(v.levels & levels), NONE))
    if cond.level_between is not None:
        lo, hi = (level_index(x) for x in cond.level_between)
        parts.append(lambda v: (any(lo <= level_index(x) <= hi for x in v.levels), NONE))
    if cond.tenderness is not None:
        tenderness = frozenset(cond.tenderness)
        parts.append(lambda v: (v.case.tenderness in tenderness, NONE))
    if cond.has_tender_points is not None:
        want = cond.has_tender_points
        parts.append(lambda v: (v.tender == want, NONE))
    if cond.flag is not None:
        flags = frozenset(cond.flag)
        parts.append(lambda v: (bool(v.flags & flags), NONE))
    if cond.red_flag is not None:
        reds = frozenset(cond.red_flag)
        parts.append(lambda v: (bool(v.red_flags & reds), NONE))
    if cond.min_complaints is not None:
        n = cond.min_complaints
        parts.append(lambda v: (len(v.complaints) >= n, NONE))
    if cond.regions_count is not None:
        k = cond.regions_count
        parts.append(lambda v: (len({c.region for c in v.complaints}) >= k, NONE))
    if len(parts) == 1:
        return parts[0]

    def joined(v: CaseView) -> tuple[bool, Matched]:
        matched: set[int] = set()
        for p in parts:
            ok, m = p(v)
            if not ok:
                return False, NONE
            matched |= m
        return True, frozenset(matched)

    return joined


def triggers(cond: Condition) -> frozenset[tuple[str, str]] | None:
    """Case features of which at least one must be present for ``cond`` to hold.

    None means "cannot tell": the rule is tried on every case. The engine uses this to
    index rules, so a larger rulebook costs little more per case.
    """
    options: list[frozenset[tuple[str, str]]] = []
    if cond.complaint is not None and cond.complaint.region:
        options.append(frozenset(("region", r) for r in cond.complaint.region))
    if cond.cause is not None:
        options.append(frozenset(("cause", k) for k in cond.cause))
    if cond.flag is not None:
        options.append(frozenset(("flag", f) for f in cond.flag))
    if cond.red_flag is not None:
        options.append(frozenset(("red_flag", f) for f in cond.red_flag))
    if cond.all is not None:
        options += [t for t in (triggers(c) for c in cond.all) if t is not None]
    if cond.any is not None:
        subs = [triggers(c) for c in cond.any]
        if subs and all(s is not None for s in subs):
            options.append(frozenset().union(*[s for s in subs if s is not None]))
    if not options:
        return None
    return min(options, key=len)


def describe(cond: Condition) -> str:
    """The condition in one line, e.g. ``complaint(region in [forearm]) and cause in [diabetes]``."""
    parts: list[str] = []
    if cond.all is not None:
        parts.append("all(" + "; ".join(describe(c) for c in cond.all) + ")")
    if cond.any is not None:
        parts.append("any(" + "; ".join(describe(c) for c in cond.any) + ")")
    if cond.not_ is not None:
        parts.append(f"not({describe(cond.not_)})")
    if cond.always:
        parts.append("always")
    if cond.complaint is not None:
        fields = cond.complaint.model_dump(exclude_defaults=True)
        inner = ", ".join(f"{k} in [{', '.join(map(str, v))}]" if isinstance(v, tuple) else f"{k}={v}"
                          for k, v in fields.items())  # fmt: skip
        parts.append(f"complaint({inner})")
    for name in ("cause", "nerve", "levels", "tenderness", "flag", "red_flag"):
        value = getattr(cond, name)
        if value is not None:
            parts.append(f"{name} in [{', '.join(value)}]")
    if cond.level_between is not None:
        parts.append(f"level between {cond.level_between[0]} and {cond.level_between[1]}")
    if cond.has_tender_points is not None:
        parts.append(f"has tender points is {cond.has_tender_points}")
    if cond.min_complaints is not None:
        parts.append(f"at least {cond.min_complaints} complaints")
    if cond.regions_count is not None:
        parts.append(f"at least {cond.regions_count} regions")
    return " and ".join(parts)


def trace(cond: Condition, view: CaseView, indent: int = 0) -> list[str]:
    """Every part of the condition with whether it held for this case (for "why not")."""
    pad = "  " * indent
    ok = compile_condition(cond)(view)[0]
    lines = [f"{pad}{'TRUE ' if ok else 'FALSE'} {describe(cond)}"]
    for group in (cond.all, cond.any):
        for sub in group or ():
            lines += trace(sub, view, indent + 1)
    if cond.not_ is not None:
        lines += trace(cond.not_, view, indent + 1)
    return lines
