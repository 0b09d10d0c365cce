"""Conditions compiled to plain functions over a prepared case, with a readable trace.

A compiled condition takes a :class:`CaseView` and returns ``(holds, matched)``, where
``matched`` is the set of complaint indices that made complaint tests true (the
"affected" complaints the actions use).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..base.memo import remember
from ..base.vocab import (
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
from ..case.model import Case, Complaint
from .schema import ComplaintTest, Condition

Matched = frozenset[int]
Test = Callable[["CaseView"], tuple[bool, Matched]]
NONE: Matched = frozenset()


def limb_of(region: str) -> str | None:
    """``arm``, ``leg`` or None for a region."""
    return _LIMB.get(region)


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
        # This runs per case, so the models' fields are read from their __dict__: a pydantic
        # model's class has a __getattr__ hook, which makes each attribute read slower.
        fields = case.__dict__
        features: list[Feature] = []
        facts = []
        for c in fields["complaints"]:
            d = c.__dict__
            region, aspect, digits, written = d["region"], d["aspect"], d["digits"], d["sensations"]
            features.append(("region", region))
            if aspect:
                features.append(("aspect", aspect))
            sensations = _SENSATIONS.get(written)
            if sensations is None:
                sensations = frozenset(written)
                remember(_SENSATIONS, written, sensations, 1_000)
            facts.append(
                _new_facts(Facts, (region, aspect, sensations, frozenset(digits) if digits else NO_DIGITS,
                                   _LIMB.get(region), d["side"], d["severity"]))
            )  # fmt: skip
        flag_items, red = fields["flags"], fields["red_flags"]
        flags = frozenset([f.flag for f in flag_items]) if flag_items else NO_WORDS
        red_flags = frozenset(red) if red else NO_WORDS
        for f in flags:
            features.append(("flag", f))
        for f in red_flags:
            features.append(("red_flag", f))
        cause = fields["cause"]
        if cause is not None:
            d = cause.__dict__
            kind, nerve, levels = d["kind"], d["nerve"], frozenset(d["levels"])
            features.append(("cause", kind))
            for lv in levels:
                features.append(("level", lv))
            if nerve:
                features.append(("nerve", nerve))
        else:
            kind, nerve, levels = None, None, NO_WORDS
        # Without the per-field checks of a frozen dataclass's __init__: this runs per case.
        view = object.__new__(cls)
        view.__dict__.update(case=case, complaints=fields["complaints"], cause=kind, nerve=nerve, levels=levels,
                             flags=flags, red_flags=red_flags, tender=bool(fields["tender_points"]),
                             features=frozenset(features), facts=tuple(facts))  # fmt: skip
        return view


_new_facts = tuple.__new__
NO_DIGITS: frozenset[int] = frozenset()
NO_WORDS: frozenset[str] = frozenset()
#: The region's limb, for the regions of a limb.
_LIMB = {**{r: "arm" for r in UPPER_LIMB}, **{r: "leg" for r in LOWER_LIMB}}
#: A complaint's sensations as a set, once per way of writing them (there are few).
_SENSATIONS: dict[tuple[str, ...], frozenset[str]] = {}


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


def _parts(cond: Condition) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """The keys of one condition mapping, split into cheap case-wide tests and costly ones."""
    cheap: list[tuple[str, Any]] = []
    costly: list[tuple[str, Any]] = []
    for name in ("always", "cause", "nerve", "levels", "level_between", "tenderness", "has_tender_points",
                 "flag", "red_flag", "min_complaints", "regions_count"):  # fmt: skip
        value = getattr(cond, name)
        if value is not None:
            cheap.append((name, value))
    if cond.complaint is not None:
        costly.append(("complaint", cond.complaint))
    if cond.not_ is not None:
        costly.append(("not", cond.not_))
    if cond.all is not None:
        costly.append(("all", cond.all))
    if cond.any is not None:
        costly.append(("any", cond.any))
    return cheap, costly


def interpret_condition(cond: Condition) -> Test:
    """The reference meaning of a condition, as nested closures (slow, plainly correct).

    The engine runs :func:`compile_condition`, which must agree with this on every case
    (a property test checks it); "why not" traces and very deep conditions use this one.
    The cheap tests of the case as a whole (cause, flags, levels) run first, so that most
    rules are settled before any complaint is looked at.
    """
    cheap, costly = _parts(cond)
    tests: list[Test] = []
    for name, value in cheap + costly:
        tests.append(_interpret_part(name, value))
    return tests[0] if len(tests) == 1 else _union(tests, need_all=True)


def _interpret_part(name: str, value: Any) -> Test:
    if name == "always":
        return lambda v: (True, NONE)
    if name in ("cause", "nerve"):
        words = frozenset(value)
        return (
            (lambda v: (v.cause in words, NONE)) if name == "cause" else (lambda v: (v.nerve in words, NONE))
        )
    if name == "levels":
        levels = frozenset(value)
        return lambda v: (not levels.isdisjoint(v.levels), NONE)
    if name == "level_between":
        lo, hi = (level_index(x) for x in value)
        return lambda v: (any(lo <= level_index(x) <= hi for x in v.levels), NONE)
    if name == "tenderness":
        tenderness = frozenset(value)
        return lambda v: (v.case.tenderness in tenderness, NONE)
    if name == "has_tender_points":
        return lambda v: (v.tender == value, NONE)
    if name == "flag":
        flags = frozenset(value)
        return lambda v: (not flags.isdisjoint(v.flags), NONE)
    if name == "red_flag":
        reds = frozenset(value)
        return lambda v: (not reds.isdisjoint(v.red_flags), NONE)
    if name == "min_complaints":
        return lambda v: (len(v.complaints) >= value, NONE)
    if name == "regions_count":
        return lambda v: (len({c.region for c in v.complaints}) >= value, NONE)
    if name == "complaint":
        test = compile_complaint_test(value)

        def complaint(v: CaseView) -> tuple[bool, Matched]:
            m = [i for i, c in enumerate(v.facts) if test(c)]
            return (True, frozenset(m)) if m else (False, NONE)

        return complaint
    if name == "not":
        inner = interpret_condition(value)
        return lambda v: (not inner(v)[0], NONE)
    return _union([interpret_condition(c) for c in value], need_all=name == "all")


# -- the compiled form: one flat generated function per condition ------------------------
_SETS: dict[int, Matched] = {0: NONE}


def as_matched(mask: int) -> Matched:
    """The complaint indices of a bit mask (bit i set: complaint i matched), shared."""
    hit = _SETS.get(mask)
    if hit is None:
        hit = frozenset(i for i in range(mask.bit_length()) if mask >> i & 1)
        if len(_SETS) < 4096:
            _SETS[mask] = hit
    return hit


#: Above this nesting depth a condition is interpreted rather than generated (Python
#: limits how deeply generated blocks may be indented).
_MAX_GENERATED_DEPTH = 20


class _Source:
    """Generated lines, with the constants they refer to by name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self.count = 0

    def const(self, value: Any) -> str:
        name = f"_k{len(self.consts)}"
        self.consts[name] = value
        return name

    def var(self) -> str:
        self.count += 1
        return f"_v{self.count}"

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)


def _complaint_expr(t: ComplaintTest, src: _Source) -> str:
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


def _emit_part(name: str, value: Any, src: _Source, ind: int) -> tuple[str, str | None]:
    """Emit one key of a condition; return the expression that says it held, and its mask."""
    if name == "always":
        return "True", None
    if name == "cause":
        return f"(v.cause in {src.const(frozenset(value))})", None
    if name == "nerve":
        return f"(v.nerve in {src.const(frozenset(value))})", None
    if name in ("levels", "level_between"):
        if name == "level_between":
            lo, hi = (level_index(x) for x in value)
            value = LEVELS[lo : hi + 1]
        return f"(not {src.const(frozenset(value))}.isdisjoint(v.levels))", None
    if name == "tenderness":
        return f"(v.case.tenderness in {src.const(frozenset(value))})", None
    if name == "has_tender_points":
        return f"(v.tender is {bool(value)})", None
    if name == "flag":
        return f"(not {src.const(frozenset(value))}.isdisjoint(v.flags))", None
    if name == "red_flag":
        return f"(not {src.const(frozenset(value))}.isdisjoint(v.red_flags))", None
    if name == "min_complaints":
        return f"(len(F) >= {int(value)})", None
    if name == "regions_count":
        return f"(len(set(c[0] for c in F)) >= {int(value)})", None
    if name == "complaint":
        m = src.var()
        src.emit(ind, f"{m} = 0")
        src.emit(ind, "for i, c in enumerate(F):")
        src.emit(ind + 1, f"if {_complaint_expr(value, src)}:")
        src.emit(ind + 2, f"{m} |= 1 << i")
        return m, m
    if name == "not":
        ok, _ = _emit_condition(value, src, ind)
        return f"(not {ok})", None
    if name == "all":
        return _emit_all([("cond", c) for c in value], src, ind)
    # Every branch of "any" is evaluated: its mask merges the complaints of each true branch.
    subs = [_emit_condition(c, src, ind) for c in value]
    ok, m = src.var(), src.var()
    src.emit(ind, f"{ok} = " + " or ".join(f"bool({sub_ok})" for sub_ok, _ in subs))
    masks = [f"({sub_m} if {sub_ok} else 0)" for sub_ok, sub_m in subs if sub_m is not None]
    src.emit(ind, f"{m} = " + (" | ".join(masks) or "0"))
    return ok, m


def _emit_condition(cond: Condition, src: _Source, ind: int) -> tuple[str, str | None]:
    cheap, costly = _parts(cond)
    parts = cheap + costly
    if len(parts) == 1:
        return _emit_part(parts[0][0], parts[0][1], src, ind)
    return _emit_all(parts, src, ind)


def _emit_all(parts: list[tuple[str, Any]], src: _Source, ind: int) -> tuple[str, str | None]:
    """AND of parts, nested so that a false part skips the rest; the mask is their union."""
    ok, m = src.var(), src.var()
    src.emit(ind, f"{ok} = False")
    src.emit(ind, f"{m} = 0")
    masks: list[str] = []
    depth = ind
    for name, value in parts:
        part_ok, part_m = (
            _emit_condition(value, src, depth) if name == "cond" else _emit_part(name, value, src, depth)
        )
        if part_m is not None:
            masks.append(part_m)
        src.emit(depth, f"if {part_ok}:")
        depth += 1
    src.emit(depth, f"{ok} = True")
    src.emit(depth, f"{m} = " + (" | ".join(masks) or "0"))
    return ok, m


def _depth(cond: Condition) -> int:
    subs = [*(cond.all or ()), *(cond.any or ()), *((cond.not_,) if cond.not_ is not None else ())]
    return 1 + max((_depth(c) for c in subs), default=0)


def compile_condition(cond: Condition) -> Test:
    """Turn a condition into one generated function; the keys of one mapping are joined by AND.

    The cheap tests of the case as a whole (cause, flags, levels) come first and end the
    test as soon as one fails, so most rules are settled before any complaint is looked at.
    Complaint tests loop over the complaints once and keep the matched ones as a bit mask.
    The result is the same as :func:`interpret_condition`'s, without a call per test.
    """
    if _depth(cond) > _MAX_GENERATED_DEPTH:
        return interpret_condition(cond)
    src = _Source()
    cheap, costly = _parts(cond)
    masks: list[str] = []
    for name, value in cheap + costly:
        ok, m = _emit_part(name, value, src, 1)
        src.emit(1, f"if not {ok}:")
        src.emit(2, "return _FAIL")
        if m is not None:
            masks.append(m)
    if masks:
        src.emit(1, f"m = {' | '.join(masks)}")
        src.emit(1, "return (True, as_matched(m)) if m else _HOLDS")
    else:
        src.emit(1, "return _HOLDS")
    body = "\n".join(src.lines)
    code = f"def test(v):\n    F = v.facts\n{body}\n"
    namespace: dict[str, Any] = {
        **src.consts,
        "_FAIL": (False, NONE),
        "_HOLDS": (True, NONE),
        "as_matched": as_matched,
    }
    exec(compile(code, "<condition>", "exec"), namespace)
    test: Test = namespace["test"]
    return test


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


#: Condition keys whose test is exactly "the case has one of these features".
_FEATURE_KEYS = ("cause", "nerve", "levels", "level_between", "flag", "red_flag")


def index_decides(cond: Condition) -> bool:
    """True when the rule index alone settles ``cond``: it holds on exactly the cases whose
    features meet every need of :func:`trigger_options`, and it matches no complaint.

    So are ``always``, the tests of the cause, nerve, levels and flags, and ``all`` and
    ``any`` of such conditions (each branch of an ``any`` one need, so that their union is
    the ``any``'s need). Complaint tests match complaints, and ``not``, tenderness and
    counts are not features: rules with them are tested on every case the index lets through.
    """
    for name in type(cond).model_fields:  # every key, so that a new kind of test is never taken as decided
        value = getattr(cond, name)
        if value is None or name == "always" or name in _FEATURE_KEYS:
            continue
        if name == "all" and all(index_decides(c) for c in value):
            continue
        if name == "any" and value and all(index_decides(c) and len(trigger_options(c)) == 1 for c in value):
            continue
        return False
    return True


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
    ok = interpret_condition(cond)(view)[0]
    lines = [f"{pad}{'TRUE ' if ok else 'FALSE'} {describe(cond)}"]
    for group in (cond.all, cond.any):
        for sub in group or ():
            lines += trace(sub, view, indent + 1)
    if cond.not_ is not None:
        lines += trace(cond.not_, view, indent + 1)
    return lines
