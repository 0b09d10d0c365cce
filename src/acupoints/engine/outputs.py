"""Plan, advice and referral: what the fired rules say besides their points.

- **Plan.** Every plan item of the fired rules, in rule order; items with a ``key`` also
  set a plan field. When two rules set a field differently, the lower number of points
  wins (``max_points``, ``max_points_cap``), otherwise the rule of higher priority, then
  the first; each disagreement is a :class:`Conflict`.
- **Advice.** Every advice item, and a :class:`Conflict` for each pair of principles whose
  advice disagrees; both sides are shown with their sources.
- **Referral.** When a fired rule refers, the result has no points: the reasons joined,
  the most urgent urgency, the rules and their sources.

Plan, advice and warnings depend only on which rules fired, and of those only on the
ones that say something: :class:`Assembler` works them out once per such set.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from .caches import remember
from .result import Advice, Conflict, Referral, SharedJson, Suggestion

if TYPE_CHECKING:
    from ..case.model import Case
    from ..rulebook.book import CompiledRule, RuleBook

__all__ = ["NO_OUTPUTS", "Assembler", "Outputs", "advice_conflicts", "merge_plan", "referral", "says"]

_URGENCY = {"emergency": 0, "urgent": 1, "soon": 2}

#: What one rule says whenever it fires: plan items, plan settings, advice, warnings.
Said = tuple[
    tuple[Mapping[str, Any], ...],
    tuple[tuple[str, Any, "CompiledRule"], ...],
    tuple[Advice, ...],
    tuple[str, ...],
]


class Outputs(NamedTuple):
    """Plan, advice, conflicts and warnings of a set of fired rules, shared by its cases."""

    plan: dict[str, Any]
    items: tuple[Mapping[str, Any], ...]
    conflicts: tuple[Conflict, ...]
    advice: tuple[Advice, ...]
    warnings: tuple[str, ...]
    #: Their JSON text, for :meth:`Suggestion.json_members`.
    json: SharedJson
    #: The plan's fields whose values are lists (each result gets its own copy).
    lists: tuple[str, ...] = ()
    #: The plan's number of points (None: the engine's), and the safety cap (None: none).
    max_points: int | None = None
    cap: int | None = None


NO_OUTPUTS = Outputs({}, (), (), (), (), SharedJson({}, (), (), ()))


class Assembler:
    """The outputs of each set of talking rules, worked out once per set."""

    def __init__(self, rulebook: RuleBook) -> None:
        self.rulebook = rulebook
        self._per_set: dict[int, Outputs] = {}
        #: What each rule says whenever it fires (see says()), by rule order.
        self._said: dict[int, Said] = {}

    def outputs(self, key: int) -> Outputs:
        """Plan, advice, conflicts and rule warnings of the rules whose bits (see
        :meth:`RuleBook.fired_rules`) are ``key``: the fired rules that say something."""
        hit = self._per_set.get(key)
        if hit is None:
            items: list[Mapping[str, Any]] = []
            settings: list[tuple[str, Any, CompiledRule]] = []
            advice: list[Advice] = []
            warns: list[str] = []
            for rule in self.rulebook.fired_rules(key):
                said = self._said.get(rule.order)
                if said is None:
                    said = self._said[rule.order] = says(rule)
                items += said[0]
                settings += said[1]
                advice += said[2]
                warns += said[3]
            plan, conflicts = merge_plan(settings)
            conflicts += advice_conflicts(advice)
            frozen_items, all_advice, all_conflicts = tuple(items), tuple(advice), tuple(conflicts)
            hit = Outputs(plan, frozen_items, all_conflicts, all_advice, tuple(warns),
                          SharedJson(plan, frozen_items, all_advice, all_conflicts),
                          tuple(k for k, v in plan.items() if type(v) is list),
                          int(plan["max_points"]) if "max_points" in plan else None,
                          int(plan["max_points_cap"]) if "max_points_cap" in plan else None)  # fmt: skip
            remember(self._per_set, key, hit)
        return hit


def says(rule: CompiledRule) -> Said:
    """What one rule says whenever it fires: its plan items (read-only views, shared by
    every result), the plan settings among them, its advice and its warnings."""
    items = tuple(
        MappingProxyType(
            {
                "text": i.text,
                "principles": tuple(i.principles),
                "rule": rule.id,
                "source": rule.source_key,
            }
        )
        for i in rule.rule.plan
    )
    settings = tuple((i.key, i.value, rule) for i in rule.rule.plan if i.key is not None)
    advice = tuple(Advice(a.text, a.principles, a.conflicts_with, rule.id, rule.source_key, a.about)
                   for a in rule.rule.advice)  # fmt: skip
    return items, settings, advice, tuple(rule.rule.warn)


def merge_plan(settings: list[tuple[str, Any, CompiledRule]]) -> tuple[dict[str, Any], list[Conflict]]:
    """The plan the settings of the fired rules make, in rule order, and where they disagree:
    the lower number of points wins, otherwise the rule of higher priority, then the first."""
    plan: dict[str, Any] = {}
    setter: dict[str, CompiledRule] = {}
    conflicts: list[Conflict] = []
    for key, given, rule in settings:
        value = list(given) if isinstance(given, tuple) else given
        if key not in plan:
            plan[key], setter[key] = value, rule
            continue
        if plan[key] == value:
            continue
        first = setter[key]
        if key in ("max_points", "max_points_cap"):
            keep_new = int(value) < int(plan[key])  # type: ignore[arg-type]
        else:
            keep_new = rule.rule.priority > first.rule.priority
        winner, loser = (rule, first) if keep_new else (first, rule)
        conflicts.append(Conflict(
            about=key, between=(winner.id, loser.id),
            detail=f"{winner.id} sets {key} to {value if keep_new else plan[key]!r}, over "
                   f"{loser.id}'s {plan[key] if keep_new else value!r}",
        ))  # fmt: skip
        if keep_new:
            plan[key], setter[key] = value, rule
    return plan, conflicts


def advice_conflicts(advice: list[Advice]) -> list[Conflict]:
    """Pairs of principles whose advice disagrees, each pair once."""
    present = {pid for a in advice for pid in a.principles}
    conflicts: list[Conflict] = []
    seen: set[frozenset[str]] = set()
    for a in advice:
        for other in a.conflicts_with:
            pair = frozenset((*a.principles, other))
            if other in present and pair not in seen:
                seen.add(pair)
                conflicts.append(Conflict(
                    about=a.about or "advice", between=(*a.principles, other),
                    detail=f"{'/'.join(a.principles)} ({a.source}) and {other} disagree"
                           f"{' about ' + a.about if a.about else ''}; both are shown with their sources",
                ))  # fmt: skip
    return conflicts


def referral(
    case: Case, referring: tuple[CompiledRule, ...], rules_fired: tuple[str, ...], noted: tuple[str, ...] = ()
) -> Suggestion:
    """The result of a referred case: no points, the referral, and the referring rules'
    advice and warnings (after ``noted``, the warnings about the case's notes)."""
    refer = sorted(
        referring, key=lambda r: (_URGENCY[r.rule.refer.urgency if r.rule.refer else "soon"], r.order)
    )
    top = refer[0].rule.refer
    assert top is not None
    reasons = [r.rule.refer.reason for r in refer if r.rule.refer]
    found = Referral(
        reason=" ".join(dict.fromkeys(reasons)), urgency=top.urgency, findings=tuple(case.red_flags),
        rules=tuple(r.id for r in refer), sources=tuple(dict.fromkeys(r.source for r in refer)),
    )  # fmt: skip
    advice = [Advice(a.text, a.principles, a.conflicts_with, r.id, r.source_key, a.about)
              for r in refer for a in r.rule.advice]  # fmt: skip
    return Suggestion(
        case=case.id, status="refer", points=(), excluded=(), plan={}, plan_items=(), advice=tuple(advice),
        conflicts=(), warnings=(*noted, *(w for r in refer for w in r.rule.warn)), referral=found,
        rules_fired=rules_fired,
    )  # fmt: skip
