"""Workload 1: the same 40 rules in this library and in the engines people would pick instead.

Every variant gets the same cases as plain dicts in the case format and returns, for each
case, the set of points that the matching rules name. A rule matches when the case's
cause is its cause and some complaint is in its region with at least one of its
sensations. The run checks that every variant gives the same sets for every case.

Turning the dict into what an engine works on (validated ``Case`` objects, CLIPS facts,
durable_rules facts, rule-engine records) is inside the timed part for every variant;
this library is also timed from cases it has already validated.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acupoints import Case, Engine, Suggestion

from .synthetic import PeerRule, peer_rule_file, write_rule_file

Result = list[frozenset[str]]
Runner = Callable[[], Result]


@dataclass
class Variant:
    """One way of running the rules: ``run`` is timed, ``skipped`` says why it could not run."""

    name: str
    kind: str
    run: Runner | None = None
    skipped: str | None = None
    close: Callable[[], None] | None = None


def _cause(case: dict[str, Any]) -> str | None:
    cause = case.get("cause")
    return cause["kind"] if cause else None


# -- this library -----------------------------------------------------------------------
def acupoints_variants(rules: list[PeerRule], cases: list[dict[str, Any]], folder: Path) -> list[Variant]:
    """This library, from dicts (validation included) and from validated cases.

    Every engine holds the shipped safety pack, which refers about a fifth of these
    made-up cases (chemotherapy as the cause is a history of cancer, numb hands on both
    sides with a compressed root may be myelopathy, ...) and leaves out some points. The
    peers know nothing of that, so what is compared is what the 40 rules found: the
    points of the synthetic rules that fired. The safety rules are still tried on every
    case, inside the timed work.
    """
    write_rule_file(folder, "synthetic.yaml", peer_rule_file(rules))
    engine = Engine.from_paths(folder)
    validated = [Case.from_dict(c) for c in cases]
    points_of = {r.id: r.points for r in rules}

    def found(suggestion: Suggestion) -> frozenset[str]:
        return frozenset(code for rule in suggestion.rules_fired for code in points_of.get(rule, ()))

    def from_dicts() -> Result:
        return [found(engine.suggest(c)) for c in cases]

    def from_cases() -> Result:
        return [found(engine.suggest(c)) for c in validated]

    return [
        Variant("acupoints (dict in, validated)", "this library", from_dicts),
        Variant("acupoints (Case in)", "this library", from_cases),
    ]


# -- plain Python -------------------------------------------------------------------------
def loop_variant(rules: list[PeerRule], cases: list[dict[str, Any]]) -> Variant:
    """Every rule tried on every case, as a for loop."""
    prepared = [(r.region, frozenset(r.sensations), r.cause, r.points) for r in rules]

    def run() -> Result:
        out: Result = []
        for case in cases:
            cause = _cause(case)
            points: set[str] = set()
            for region, sensations, rule_cause, codes in prepared:
                if rule_cause != cause:
                    continue
                for c in case["complaints"]:
                    if c["region"] == region and not sensations.isdisjoint(c["sensations"]):
                        points.update(codes)
                        break
            out.append(frozenset(points))
        return out

    return Variant("plain Python loop", "hand-written", run)


def index_variant(rules: list[PeerRule], cases: list[dict[str, Any]]) -> Variant:
    """The rules in a dict keyed by (region, cause): one lookup per complaint."""
    index: dict[tuple[str, str], list[tuple[frozenset[str], tuple[str, ...]]]] = {}
    for r in rules:
        index.setdefault((r.region, r.cause), []).append((frozenset(r.sensations), r.points))

    def run() -> Result:
        out: Result = []
        for case in cases:
            cause = _cause(case)
            points: set[str] = set()
            for c in case["complaints"]:
                for sensations, codes in index.get((c["region"], cause), ()):  # type: ignore[arg-type]
                    if not sensations.isdisjoint(c["sensations"]):
                        points.update(codes)
            out.append(frozenset(points))
        return out

    return Variant("dict index", "hand-written", run)


# -- CLIPS (clipspy) --------------------------------------------------------------------
def clips_variant(rules: list[PeerRule], cases: list[dict[str, Any]]) -> Variant:
    """CLIPS through clipspy: one defrule per rule; per case reset, assert, run.

    The rules hand their points to a Python function, and the facts are asserted with one
    ``eval``. Asserting through clipspy's templates is faster on the first 10,000 cases,
    but every ``Fact`` object handed back to Python leaves something behind in CLIPS, and
    each later run is slower than the last (5,000 cases/s, then 1,900, 1,100, 600 with
    clipspy 1.0), so the steady way is the fair one.
    """
    try:
        import clips
    except ImportError as exc:
        return Variant("CLIPS (clipspy)", "general engine", skipped=f"clipspy is not installed ({exc})")
    env = clips.Environment()
    found: set[str] = set()

    def hit(*codes: Any) -> None:
        found.update(str(c) for c in codes)

    env.define_function(hit, "bench-hit")
    env.build("(deftemplate complaint (slot region) (multislot sensations))")
    env.build("(deftemplate cause (slot kind))")
    for r in rules:
        env.build(
            f"(defrule {r.id} (cause (kind {r.cause}))"
            f" (complaint (region {r.region}) (sensations $? {'|'.join(r.sensations)} $?))"
            f" => (bench-hit {' '.join(r.points)}))"
        )

    def run() -> Result:
        out: Result = []
        for case in cases:
            env.reset()
            found.clear()
            cause = _cause(case)
            facts = [f"(cause (kind {cause}))"] if cause is not None else []
            facts += [
                f"(complaint (region {c['region']}) (sensations {' '.join(c['sensations'])}))"
                for c in case["complaints"]
            ]
            env.eval(f"(progn (assert {' '.join(facts)}) nil)")
            env.run()
            out.append(frozenset(found))
        return out

    def close() -> None:
        # Free the environment before exit, or CLIPS complains about memory still in use.
        env.clear()

    return Variant("CLIPS (clipspy)", "general engine", run, close=close)


# -- durable_rules ----------------------------------------------------------------------
def durable_variant(rules: list[PeerRule], cases: list[dict[str, Any]]) -> Variant:
    """durable_rules: one rule per rule over complaint facts; per case assert, then retract."""
    try:
        import durable.engine
        from durable.lang import assert_fact, item, m, retract_fact, ruleset, when_all
    except ImportError as exc:
        return Variant(
            "durable_rules",
            "general engine",
            skipped=f"durable_rules is not installed or did not build ({exc})",
        )
    hits: dict[int, set[str]] = {}

    def action(codes: tuple[str, ...]) -> Callable[[Any], None]:
        def fire(c: Any) -> None:
            hits.setdefault(c.m.case, set()).update(codes)

        return fire

    with ruleset("acupoints_bench"):
        for r in rules:
            sensation = item == r.sensations[0]
            for s in r.sensations[1:]:
                sensation = sensation | (item == s)
            condition = (m.region == r.region) & (m.cause == r.cause) & m.sensations.anyItem(sensation)
            when_all(condition)(action(r.points))
    unhandled = durable.engine.MessageNotHandledException

    def run() -> Result:
        hits.clear()
        for i, case in enumerate(cases):
            cause = _cause(case) or "none"
            facts = [
                {
                    "case": i,
                    "n": j,
                    "region": c["region"],
                    "cause": cause,
                    "sensations": list(c["sensations"]),
                }
                for j, c in enumerate(case["complaints"])
            ]
            for f in facts:
                with contextlib.suppress(unhandled):  # raised when no rule matches the fact
                    assert_fact("acupoints_bench", f)
            for f in facts:
                with contextlib.suppress(unhandled):
                    retract_fact("acupoints_bench", f)
        return [frozenset(hits.get(i, ())) for i in range(len(cases))]

    return Variant("durable_rules", "general engine", run)


# -- rule-engine ------------------------------------------------------------------------
def rule_engine_variant(rules: list[PeerRule], cases: list[dict[str, Any]]) -> Variant:
    """rule-engine: one expression per rule, matched against one record per complaint."""
    try:
        import rule_engine
    except ImportError as exc:
        return Variant("rule-engine", "general engine", skipped=f"rule-engine is not installed ({exc})")
    compiled = []
    for r in rules:
        wanted = ", ".join(f'"{s}"' for s in r.sensations)
        text = f'cause == "{r.cause}" and region == "{r.region}" and sensations & {{{wanted}}}'
        compiled.append((rule_engine.Rule(text), r.points))

    def run() -> Result:
        out: Result = []
        for case in cases:
            cause = _cause(case)
            points: set[str] = set()
            for c in case["complaints"]:
                record = {"cause": cause, "region": c["region"], "sensations": set(c["sensations"])}
                for rule, codes in compiled:
                    if rule.matches(record):
                        points.update(codes)
            out.append(frozenset(points))
        return out

    return Variant("rule-engine", "general engine", run)


def all_variants(rules: list[PeerRule], cases: list[dict[str, Any]], folder: Path) -> list[Variant]:
    """Every variant, in the order of the table."""
    return [
        *acupoints_variants(rules, cases, folder),
        loop_variant(rules, cases),
        index_variant(rules, cases),
        clips_variant(rules, cases),
        durable_variant(rules, cases),
        rule_engine_variant(rules, cases),
    ]


def mismatches(reference: Result, other: Result) -> list[int]:
    """Indices of the cases on which two results differ."""
    if len(reference) != len(other):
        return list(range(max(len(reference), len(other))))
    return [i for i, (a, b) in enumerate(zip(reference, other, strict=True)) if a != b]


def temp_folder() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for the rule files."""
    return tempfile.TemporaryDirectory(prefix="acupoints-bench-")


def describe_rules(rules: Iterable[PeerRule]) -> str:
    """A one-line summary, for the report."""
    rules = list(rules)
    regions = len({r.region for r in rules})
    causes = len({r.cause for r in rules})
    sensations = len({s for r in rules for s in r.sensations})
    return f"{len(rules)} rules over {regions} regions, {sensations} sensations, {causes} causes"
