"""Why and why not: the rules behind a point, or the conditions that kept it out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..case.model import Case
from ..rulebook.conditions import CaseView, trace
from .binding import Binding

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
                {"rule": c.rule, "fired": c.fired, "found_by": c.found_by, "condition": list(c.trace)}
                for c in self.candidates
            ],
        }

    def __str__(self) -> str:
        lines = [f"{self.code} {self.name}: {self.status}. {self.detail}"]
        for rule, role, how, score in self.chosen_by:
            lines.append(f"  chosen by {rule} as {role} (+{score:g}): {how}")
        for rule, reason in self.excluded_by:
            lines.append(f"  excluded by {rule}: {reason}")
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
    wide_view = replace(view, levels=frozenset(point.levels) | view.levels)
    candidates = []
    for rule in engine.rulebook:
        for i, sel in enumerate(rule.rule.select):
            if sel.tender_points:
                tender = {engine.catalog.resolve(t) for t in case.tender_points}
                hit: tuple[str, ...] = (point.code,) if point.code in tender else ()
                how = "the case's tender points"
            else:
                hit, how = engine.resolve(rule, sel, everything, wide_view, key=("explain", i))
            if any(n.partition("@")[0] == point.code for n in hit):
                candidates.append(
                    Candidate(rule.id, rule.id in fired, how, tuple(trace(rule.rule.when, view)))
                )
                break
    if suggestion.status == "refer":
        status, detail = "refer", "The case is referred: no points are suggested."
    elif chosen is not None:
        status, detail = (
            "chosen",
            f"Ranked {suggestion.codes.index(point.code) + 1} with score {chosen.score:g}.",
        )
    elif excluded:
        status, detail = "excluded", "A safety rule left it out; exclusions always win."
    elif point.code in suggestion.dropped:
        status, detail = "dropped", "Supported, but below the cut of the plan's maximum number of points."
    else:
        status, detail = "not-chosen", "No rule that fired selects it."
    chosen_by = tuple((s.rule, s.role, s.found_by, s.score) for s in chosen.supports) if chosen else ()
    return Explanation(point.code, point.pinyin, status, detail, chosen_by, excluded, tuple(candidates))
