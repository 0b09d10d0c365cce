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
from ._vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    LOWER_LIMB,
    NERVES,
    RED_FLAGS,
    REGIONS,
    UPPER_LIMB,
    level_index,
)

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
        features |= {("aspect", c.aspect) for c in case.complaints if c.aspect}
        features |= {("flag", f) for f in case.flag_names} | {("red_flag", f) for f in case.red_flags}
        if case.cause:
            features.add(("cause", case.cause.kind))
            features |= {("level", lv) for lv in case.cause.levels}
            if case.cause.nerve:
                features.add(("nerve", case.cause.nerve))
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


def _union(tests: list[Test], need_all: bool) -> Test:
    """AND (``need_all``) or OR of tests, merging the complaints they matched."""

    def run(v: CaseView) -> tuple[bool, Matched]:
        matched = NONE
        hit = need_all
        for t in tests:
            ok, m = t(v)
            if ok:
                hit = True
                if m:
                    matched = matched | m if matched else m
            elif need_all:
                return False, NONE
        return hit, matched

    return run


def compile_condition(cond: Condition) -> Test:
    """Turn a condition into a function; the keys of one mapping are joined by AND.

    The cheap tests of the case as a whole (cause, flags, levels) run first, so that most
    rules are settled before any complaint is looked at.
    """
    cheap: list[Test] = []
    costly: list[Test] = []
    if cond.always:
        cheap.append(lambda v: (True, NONE))
    if cond.cause is not None:
        kinds = frozenset(cond.cause)
        cheap.append(lambda v: (v.cause in kinds, NONE))
    if cond.nerve is not None:
        nerves = frozenset(cond.nerve)
        cheap.append(lambda v: (v.nerve in nerves, NONE))
    if cond.levels is not None:
        levels = frozenset(cond.levels)
        cheap.append(lambda v: (not levels.isdisjoint(v.levels), NONE))
    if cond.level_between is not None:
        lo, hi = (level_index(x) for x in cond.level_between)
        cheap.append(lambda v: (any(lo <= level_index(x) <= hi for x in v.levels), NONE))
    if cond.tenderness is not None:
        tenderness = frozenset(cond.tenderness)
        cheap.append(lambda v: (v.case.tenderness in tenderness, NONE))
    if cond.has_tender_points is not None:
        want = cond.has_tender_points
        cheap.append(lambda v: (v.tender == want, NONE))
    if cond.flag is not None:
        flags = frozenset(cond.flag)
        cheap.append(lambda v: (not flags.isdisjoint(v.flags), NONE))
    if cond.red_flag is not None:
        reds = frozenset(cond.red_flag)
        cheap.append(lambda v: (not reds.isdisjoint(v.red_flags), NONE))
    if cond.min_complaints is not None:
        n = cond.min_complaints
        cheap.append(lambda v: (len(v.complaints) >= n, NONE))
    if cond.regions_count is not None:
        k = cond.regions_count
        cheap.append(lambda v: (len({c.region for c in v.complaints}) >= k, NONE))
    if cond.complaint is not None:
        test = compile_complaint_test(cond.complaint)

        def complaint(v: CaseView) -> tuple[bool, Matched]:
            m = [i for i, c in enumerate(v.facts) if test(c)]
            return (True, frozenset(m)) if m else (False, NONE)

        costly.append(complaint)
    if cond.not_ is not None:
        inner = compile_condition(cond.not_)
        costly.append(lambda v: (not inner(v)[0], NONE))
    if cond.all is not None:
        costly.append(_union([compile_condition(c) for c in cond.all], need_all=True))
    if cond.any is not None:
        costly.append(_union([compile_condition(c) for c in cond.any], need_all=False))
    parts = cheap + costly
    return parts[0] if len(parts) == 1 else _union(parts, need_all=True)


Feature = tuple[str, str]
#: How many words each kind of feature has: an option of k words of a kind of n passes
#: roughly k/n of the cases, so smaller is more selective.
_KIND_SIZE = {
    "region": len(REGIONS),
    "aspect": len(ASPECTS),
    "cause": len(CAUSE_KINDS),
    "nerve": len(NERVES),
    "level": len(LEVELS),
    "flag": len(FLAGS),
    "red_flag": len(RED_FLAGS),
}


def selectivity(option: frozenset[Feature]) -> float:
    """The rough share of cases with at least one of the option's features."""
    return sum(1 / _KIND_SIZE[kind] for kind, _ in option)


def trigger_options(cond: Condition) -> list[frozenset[Feature]]:
    """What ``cond`` needs of a case: a list of feature sets, each needing one of its features.

    Every set must be met (they come from conditions joined by AND), most selective first;
    an empty list means "cannot tell", and the rule is tried on every case. The rule book
    indexes rules by these, so that a larger rulebook costs little more per case.
    """
    options: list[frozenset[Feature]] = []
    if cond.complaint is not None and cond.complaint.region:
        options.append(frozenset(("region", r) for r in cond.complaint.region))
    if cond.complaint is not None and cond.complaint.aspect:
        options.append(frozenset(("aspect", a) for a in cond.complaint.aspect))
    if cond.nerve is not None:
        options.append(frozenset(("nerve", n) for n in cond.nerve))
    if cond.levels is not None:
        options.append(frozenset(("level", lv) for lv in cond.levels))
    if cond.level_between is not None:
        lo, hi = (level_index(x) for x in cond.level_between)
        options.append(frozenset(("level", LEVELS[i]) for i in range(lo, hi + 1)))
    if cond.cause is not None:
        options.append(frozenset(("cause", k) for k in cond.cause))
    if cond.flag is not None:
        options.append(frozenset(("flag", f) for f in cond.flag))
    if cond.red_flag is not None:
        options.append(frozenset(("red_flag", f) for f in cond.red_flag))
    if cond.all is not None:
        for c in cond.all:
            options += trigger_options(c)
    if cond.any is not None:
        subs = [trigger_options(c) for c in cond.any]
        if subs and all(subs):
            options.append(frozenset().union(*[s[0] for s in subs]))
    return sorted(set(options), key=lambda o: (selectivity(o), sorted(o)))


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
