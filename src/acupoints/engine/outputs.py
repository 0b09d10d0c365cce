"""Plan, advice and referral: what the fired rules say besides their points.

- **Forbidden treatments.** A fired rule may forbid treatments (``forbid: [heat]``): every
  plan or advice line that offers one (see :mod:`acupoints.rulebook.techniques`) is
  withheld, with its plan setting, from every view of the result, and a :class:`Conflict`
  about the treatment says which rule withheld which line.
- **Plan.** Every other plan item of the fired rules, in rule order; items with a ``key``
  also set a plan field. When two rules set a field differently, the lower number of
  points wins (``max_points``, ``max_points_cap``); otherwise a safety rule's setting
  wins over any other, whatever the priorities; otherwise the rule of higher priority,
  then the first. Each disagreement is a :class:`Conflict`.
- **Advice.** Every other advice item, and a :class:`Conflict` for each pair of principles
  whose advice disagrees; both sides are shown with their sources.
- **Referral.** When a fired rule refers, the result has no points: the reasons joined,
  the most urgent urgency, the rules and their sources.

Plan, advice and warnings depend only on which rules fired, and of those only on the
ones that say something: :class:`Assembler` works them out once per such set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from ..rulebook.schema import POINT_COUNT_KEYS
from ..rulebook.techniques import offers
from .caches import remember
from .contract import Urgency
from .provenance import Provenance
from .result import Advice, Conflict, Referral, SharedJson, Suggestion, build
from .withheld import AdviceLine, PlanLine, obey

if TYPE_CHECKING:
    from ..case.model import Case
    from ..rulebook.book import CompiledRule, RuleBook

__all__ = [
    "NO_OUTPUTS",
    "Assembler",
    "Outputs",
    "Referring",
    "Said",
    "advice_conflicts",
    "merge_plan",
    "referral",
    "referring_of",
    "says",
]

_URGENCY = {"emergency": 0, "urgent": 1, "soon": 2}


class Said(NamedTuple):
    """What one rule says whenever it fires."""

    plan: tuple[PlanLine, ...]
    advice: tuple[AdviceLine, ...]
    warnings: tuple[str, ...]
    #: The treatments it forbids.
    forbids: tuple[str, ...]


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
            lines: list[PlanLine] = []
            advice_lines: list[AdviceLine] = []
            warns: list[str] = []
            forbidden: dict[str, CompiledRule] = {}
            for rule in self.rulebook.fired_rules(key):
                said = self._said.get(rule.order)
                if said is None:
                    said = self._said[rule.order] = says(rule)
                lines += said.plan
                advice_lines += said.advice
                warns += said.warnings
                for technique in said.forbids:
                    forbidden.setdefault(technique, rule)
            withheld: list[Conflict] = []
            if forbidden:
                lines, advice_lines, withheld = obey(lines, advice_lines, forbidden)
            items = [line.shown for line in lines]
            settings = [line.setting for line in lines if line.setting is not None]
            advice = [line.advice for line in advice_lines]
            plan, conflicts = merge_plan(settings)
            conflicts += withheld
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
    every result) with their settings, its advice, each with the treatments it offers and
    its texts without them, its warnings and the treatments it forbids."""
    forbids = rule.rule.forbid
    plan = tuple(
        PlanLine(
            MappingProxyType(
                {
                    "text": i.text,
                    "principles": tuple(i.principles),
                    "rule": rule.id,
                    "source": rule.source_key,
                }
            ),
            (i.key, i.value, rule) if i.key is not None else None,
            offers(i, forbids),
            tuple(i.without.items()),
            rule,
        )
        for i in rule.rule.plan
    )
    advice = tuple(AdviceLine(Advice(a.text, a.principles, a.conflicts_with, rule.id, rule.source_key, a.about),
                              offers(a, forbids), tuple(a.without.items()), rule)
                   for a in rule.rule.advice)  # fmt: skip
    return Said(plan, advice, tuple(rule.rule.warn), tuple(forbids))


def merge_plan(settings: list[tuple[str, Any, CompiledRule]]) -> tuple[dict[str, Any], list[Conflict]]:
    """The plan the settings of the fired rules make, in rule order, and where they disagree:
    the lower number of points wins; otherwise a safety rule over any other (no priority
    overrides a safety decision); otherwise the rule of higher priority, then the first."""
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
        by_safety = False
        if key in POINT_COUNT_KEYS:
            keep_new = int(value) < int(plan[key])  # type: ignore[arg-type]
        elif rule.safety != first.safety:
            keep_new, by_safety = rule.safety, True
        else:
            keep_new = rule.rule.priority > first.rule.priority
        winner, loser = (rule, first) if keep_new else (first, rule)
        conflicts.append(Conflict(
            about=key, between=(winner.id, loser.id),
            detail=f"{winner.id} sets {key} to {value if keep_new else plan[key]!r}, over "
                   f"{loser.id}'s {plan[key] if keep_new else value!r}"
                   + (" (a safety setting: no priority overrides it)" if by_safety else ""),
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


class Referring(NamedTuple):
    """What a set of referring rules says, whatever the case (worked out once per set)."""

    reason: str
    urgency: Urgency
    rules: tuple[str, ...]
    sources: tuple[str, ...]
    advice: tuple[Advice, ...]
    warnings: tuple[str, ...]


def referring_of(referring: Sequence[CompiledRule]) -> Referring:
    """The reasons joined, the most urgent urgency, the rules (most urgent first) with
    their sources, advice and warnings, of rules that refer."""
    refer = sorted(
        referring, key=lambda r: (_URGENCY[r.rule.refer.urgency if r.rule.refer else "soon"], r.order)
    )
    top = refer[0].rule.refer
    assert top is not None
    reasons = [r.rule.refer.reason for r in refer if r.rule.refer]
    advice = tuple([Advice(a.text, a.principles, a.conflicts_with, r.id, r.source_key, a.about)
                    for r in refer for a in r.rule.advice])  # fmt: skip
    return Referring(" ".join(dict.fromkeys(reasons)), top.urgency, tuple(r.id for r in refer),
                     tuple(dict.fromkeys(r.source for r in refer)), advice,
                     tuple(w for r in refer for w in r.rule.warn))  # fmt: skip


def referral(case: Case, said: Referring, rules_fired: tuple[str, ...], noted: tuple[str, ...] = (),
             engine: Provenance | None = None) -> Suggestion:  # fmt: skip
    """The result of a referred case: no points, the referral, and the referring rules'
    advice and warnings (after those of the case's diagnosis codes, those of aspects its
    complaints' regions have no side of, and ``noted``: the engine's warnings about
    aspects its catalogue has nothing on (:mod:`.aspects`), then those about the case's
    notes); ``engine`` is the engine that made it."""
    fields = case.__dict__
    found = build(Referral, {"reason": said.reason, "urgency": said.urgency, "findings": tuple(fields["red_flags"]),
                             "rules": said.rules, "sources": said.sources})  # fmt: skip
    # Only a case with diagnosis codes has warnings about them (as in Engine.suggest).
    coded = tuple([p.message for p in case.diagnosis_warnings]) if fields["diagnoses"] else ()
    coded += case.aspect_warnings
    return build(Suggestion, {
        "case": fields["id"], "status": "refer", "points": (), "excluded": (), "plan": {}, "plan_items": (),
        "advice": said.advice, "conflicts": (), "warnings": (*coded, *noted, *said.warnings), "referral": found,
        "rules_fired": rules_fired, "dropped": (), "alternatives": (), "engine": engine,
    })  # fmt: skip
