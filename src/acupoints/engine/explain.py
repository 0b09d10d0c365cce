"""Why and why not: the rules behind a point, or the conditions that kept it out.

For a rule that could choose the point and fired, the explanation also says what its
selection looked for on this case and what it found (the places of a group point, the
tender points it took), so that "the Jiaji rule fired but found no Jiaji at that level"
reads as such instead of "no rule selects it".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..case.model import Case
from ..rulebook.conditions import NONE, CaseView, trace
from ..rulebook.schema import TenderWhere
from .binding import Binding
from .selection import tender_takes

if TYPE_CHECKING:
    from .engine import Engine

__all__ = ["Candidate", "Explanation", "explain"]


@dataclass(frozen=True)
class Candidate:
    """A rule that could have chosen the point, and the trace of its condition."""

    rule: str
    fired: bool
    found_by: str
    trace: tuple[str, ...]
    #: For a rule that fired and a point not chosen: how its selection looked on this case,
    #: and what it found instead.
    looked_for: str = ""
    found: tuple[str, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """The whole story of one point for one case."""

    code: str
    name: str
    status: str  # chosen | excluded | dropped | not-chosen | refer
    detail: str
    chosen_by: tuple[tuple[str, str, str, float], ...]  # (rule, role, found_by, score)
    excluded_by: tuple[tuple[str, str], ...]  # (rule, reason)
    candidates: tuple[Candidate, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "status": self.status,
            "detail": self.detail,
            "chosen_by": [
                {"rule": r, "role": ro, "found_by": f, "score": s} for r, ro, f, s in self.chosen_by
            ],
            "excluded_by": [{"rule": r, "reason": why} for r, why in self.excluded_by],
            "candidates": [
                {
                    "rule": c.rule,
                    "fired": c.fired,
                    "found_by": c.found_by,
                    "condition": list(c.trace),
                    "looked_for": c.looked_for,
                    "found": list(c.found),
                }
                for c in self.candidates
            ],
        }

    def __str__(self) -> str:
        lines = [f"{self.code} {self.name}: {self.status}. {self.detail}"]
        for rule, role, how, score in self.chosen_by:
            lines.append(f"  chosen by {rule} as {role} (+{score:g}): {how}")
        for rule, reason in self.excluded_by:
            lines.append(f"  excluded by {rule}: {reason}")
        if self.status != "chosen":
            for c in self.candidates:
                if c.fired:
                    found = ", ".join(c.found) or "nothing"
                    lines.append(f"  {c.rule} fired: it looked for {c.looked_for} and found {found}")
        others = [c for c in self.candidates if not c.fired]
        if others:
            lines.append("  rules that could have chosen it, and the condition that failed:")
            for c in others:
                lines.append(f"    {c.rule} ({c.found_by})")
                lines += [f"      {t}" for t in c.trace]
        return "\n".join(lines)


def explain(engine: Engine, case: Case | Mapping[str, Any], query: str) -> Explanation:
    """Explain why ``query`` (a code or name) was or was not suggested for ``case``.

    A case that is not a mapping, or a query that is not text, is a
    :class:`~acupoints.CaseError` or :class:`~acupoints.UnknownPointError`, never a
    ``TypeError``.
    """
    if not isinstance(case, Case):
        case = Case.from_dict(case)  # any Mapping; anything else is refused with a CaseError
    point = engine.catalog[query]
    suggestion = engine.suggest(case)
    view = CaseView.of(case)
    fired = set(suggestion.rules_fired)  # the suggestion already knows which rules fired
    chosen = suggestion.point(point.code)
    excluded = tuple((e.rule, e.reason) for e in suggestion.excluded if e.code == point.code)
    # A rule "could have chosen" the point if one of its selections finds it when every
    # complaint region, digit and level counts as affected.
    everything = Binding(
        regions=frozenset({point.region, *(i.region for i in point.instances if i.region)}),
        aspects=frozenset(), fingers=frozenset(range(1, 6)), toes=frozenset(range(1, 6)),
        side=frozenset({"left", "right"}),
    )  # fmt: skip
    # A root whose exit is at the point's levels, so that "levels: compressed" can reach it.
    roots = frozenset(r for r in engine.catalog.graph.roots_at(point.levels)) if point.levels else frozenset()
    for inst in point.instances:
        roots |= frozenset(engine.catalog.graph.roots_at(inst.levels))
    wide_view = replace(view, levels=frozenset(point.levels) | roots | view.levels)
    # What each fired rule matched, read only when a point that was not chosen needs it.
    matched_by: dict[str, Any] | None = None
    tender = {engine.catalog.resolve(t) for t in case.tender_points}
    candidates = []
    for rule in engine.rulebook:
        for i, sel in enumerate(rule.rule.select):
            where = sel.tender_points
            if where:
                takes = point.code in tender and (
                    not isinstance(where, TenderWhere)
                    or tender_takes(where, everything.regions)(point.region, point.aspect)
                )
                hit: tuple[str, ...] = (point.code,) if takes else ()
                how = "the case's tender points"
            elif sel.one_of:
                hit = tuple(engine.catalog.resolve(c) or c for c in sel.one_of)
                how = f"one of {', '.join(sel.one_of)}"
            else:
                hit, how = engine.resolve(rule, sel, everything, wide_view, key=("explain", i))
            if any(n.partition("@")[0] == point.code for n in hit):
                looked = ""
                found: tuple[str, ...] = ()
                if chosen is None and rule.id in fired:
                    if matched_by is None:
                        matched_by = {r.id: m for r, m in engine.fired(view)}
                    nodes, looked = engine.find_all(rule, sel, view, matched_by.get(rule.id, NONE))
                    found = tuple(n for n in nodes if n.partition("@")[0] == point.code) or nodes
                candidates.append(
                    Candidate(
                        rule.id, rule.id in fired, how, tuple(trace(rule.rule.when, view)), looked, found
                    )
                )
                break
    if suggestion.status == "refer":
        status, detail = "refer", "The case is referred: no points are suggested."
    elif chosen is not None:
        status, detail = (
            "chosen",
            f"Ranked {suggestion.codes.index(point.code) + 1} with score {chosen.score:g}.",
        )
        if chosen.instances:
            # A group point: say which of its places the selections found.
            places = ", ".join(f"{point.code}@{i}" for i in chosen.instances)
            detail += f" Its places found on this case: {places}."
    elif excluded:
        status, detail = "excluded", "A safety rule left it out; exclusions always win."
    elif point.code in suggestion.dropped:
        status, detail = "dropped", "Supported, but below the cut of the plan's maximum number of points."
    elif any(c.fired for c in candidates):
        status = "not-chosen"
        detail = (
            "Rules that fired could select it, but on this case their selections found other points (below)."
        )
    else:
        status, detail = "not-chosen", "No rule that fired selects it."
    chosen_by = tuple((s.rule, s.role, s.found_by, s.score) for s in chosen.supports) if chosen else ()
    return Explanation(point.code, point.pinyin, status, detail, chosen_by, excluded, tuple(candidates))
