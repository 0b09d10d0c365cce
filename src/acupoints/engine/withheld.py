"""Forbidden treatments: the plan and advice lines a fired rule's ``forbid`` takes out.

A line that offers a forbidden treatment (see :mod:`acupoints.rulebook.techniques`) is
given in its text ``without`` that treatment when its rule supplies one that names no
forbidden treatment; otherwise it is withheld. Either way its plan setting goes (what it
set is what the treatment offered), and a :class:`Conflict` about the treatment names
the rule that forbade it and the line. A safety rule's own lines (its prohibitions and
precautions) are never taken out. This runs once per set of fired rules, in
:class:`~acupoints.engine.outputs.Assembler`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from ..base.memo import remember
from ..rulebook.techniques import named_in
from .result import Advice, Conflict

if TYPE_CHECKING:
    from ..rulebook.book import CompiledRule

__all__ = ["AdviceLine", "PlanLine", "Rewrites", "obey"]

#: The texts of a line without a treatment, by treatment, as its rule gives them.
Rewrites = tuple[tuple[str, str], ...]


class PlanLine(NamedTuple):
    """A plan line of one rule: the item as shown, its setting, what it offers."""

    shown: Mapping[str, Any]
    setting: tuple[str, Any, CompiledRule] | None
    offers: frozenset[str]
    rewrites: Rewrites
    rule: CompiledRule


class AdviceLine(NamedTuple):
    """An advice line of one rule, and what it offers."""

    advice: Advice
    offers: frozenset[str]
    rewrites: Rewrites
    rule: CompiledRule


def obey(
    plan: list[PlanLine], advice: list[AdviceLine], forbidden: Mapping[str, CompiledRule]
) -> tuple[list[PlanLine], list[AdviceLine], list[Conflict]]:
    """The plan and advice lines left when ``forbidden`` treatments (each with the first
    rule that forbids it) are taken out, and a conflict for each line taken out."""
    conflicts: list[Conflict] = []
    kept_plan: list[PlanLine] = []
    for line in plan:
        what = _what("plan line", line.shown["principles"])
        text = _obeyed(line.offers, line.rewrites, line.rule, line.shown["text"], what, forbidden, conflicts)
        if text is line.shown["text"]:
            kept_plan.append(line)
        elif text is not None:
            shown = MappingProxyType({**line.shown, "text": text})
            kept_plan.append(line._replace(shown=shown, setting=None))
    kept_advice: list[AdviceLine] = []
    for a in advice:
        what = _what("advice", a.advice.principles)
        text = _obeyed(a.offers, a.rewrites, a.rule, a.advice.text, what, forbidden, conflicts)
        if text is a.advice.text:
            kept_advice.append(a)
        elif text is not None:
            kept_advice.append(a._replace(advice=replace(a.advice, text=text)))
    return kept_plan, kept_advice, conflicts


def _obeyed(offers: frozenset[str], rewrites: Rewrites, rule: CompiledRule, text: str, what: str,
            forbidden: Mapping[str, CompiledRule], out: list[Conflict]) -> str | None:  # fmt: skip
    """The line's text as it may be shown (``text`` itself when nothing is forbidden), or
    None when it is withheld; each treatment it loses is reported in ``out`` (by the
    line's rule and principles: the report does not repeat what it takes out)."""
    hits = [t for t in forbidden if t in offers]
    if not hits or rule.safety:
        return text
    own = set(rule.rule.forbid)
    # A text without one of the forbidden treatments first, then any other text.
    ordered = sorted(rewrites, key=lambda r: r[0] not in hits)
    instead = next((t for _, t in ordered if not (_named(t) - own) & forbidden.keys()), None)
    for technique in hits:
        by = forbidden[technique]
        done = f"is given without {_words(technique)}" if instead is not None else "is withheld"
        out.append(Conflict(
            about=technique, between=(by.id, rule.id),
            detail=f"{by.id} forbids {_words(technique)}: the {what} of {rule.id} {done}",
        ))  # fmt: skip
    return instead


#: The treatments each rewritten text names: the texts come from the rules, so they are
#: few, and each new set of fired rules asks again.
_NAMED: dict[str, frozenset[str]] = {}


def _named(text: str) -> frozenset[str]:
    """:func:`named_in`, remembered per text."""
    hit = _NAMED.get(text)
    if hit is None:
        hit = named_in(text)
        remember(_NAMED, text, hit, 4_096)
    return hit


def _what(kind: str, principles: tuple[str, ...]) -> str:
    return f"{kind} ({', '.join(principles)})" if principles else kind


def _words(technique: str) -> str:
    return technique.replace("_", " ")
