"""Views of a suggestion: a text table, Markdown and JSON. Views decide nothing.

Every text in them that came from outside the library (the case id, the words of a rule
file) goes through :mod:`.escape`: control characters never reach the terminal raw, and
Markdown never carries live markup from a case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .escape import markdown, plain

if TYPE_CHECKING:
    from ..catalog.records import Point
    from ..engine.result import ExcludedPoint, Suggestion

__all__ = ["as_markdown", "as_table", "point_card"]


def _plan_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(plain(str(v)) for v in value)
    return plain(str(value))


def as_table(s: Suggestion, line: int | None = None) -> str:
    """A plain-text report, for a terminal; ``line``: the input line of a batch run's case."""
    head = f"case: {plain(s.case) if s.case else '(no id)'}   status: {s.status}"
    out = [head if line is None else f"line {line}   {head}"]
    if s.referral:
        out += [
            f"REFER ({s.referral.urgency}): {plain(s.referral.reason)}",
            f"  rules: {plain(', '.join(s.referral.rules))}",
        ]
        out += [f"  source: {plain(src)}" for src in s.referral.sources]
    if s.points:
        out.append("")
        out.append(f"{'#':>2}  {'code':<7} {'name':<14} {'side':<8} {'role':<10} {'score':>5}  why")
        for i, p in enumerate(s.points, 1):
            out.append(
                f"{i:>2}  {p.code:<7} {p.name:<14} {p.side:<8} {p.role:<10} {p.score:>5g}  {plain(p.why)}"
            )
            if p.instances:
                out.append(f"{'':>36}at: {', '.join(p.instances)}")
    if s.excluded:
        out.append("")
        out.append("excluded:")
        out += [f"  {_where(e):<10} {e.side:<6} {plain(e.reason)} [{plain(e.rule)}]" for e in s.excluded]
    if s.plan:
        out.append("")
        out.append("plan:")
        out += [f"  {plain(k)}: {_plan_value(v)}" for k, v in s.plan.items()]
    if s.advice:
        out.append("")
        out.append("advice:")
        for a in s.advice:
            clash = f"  (conflicts with {', '.join(a.conflicts_with)})" if a.conflicts_with else ""
            out.append(plain(f"  [{', '.join(a.principles) or a.rule}] {a.text}{clash}"))
    if s.conflicts:
        out.append("")
        out.append("conflicts:")
        out += [plain(f"  {c.about}: {c.detail}") for c in s.conflicts]
    if s.warnings:
        out.append("")
        out.append("warnings:")
        out += [f"  - {plain(w)}" for w in s.warnings]
    return "\n".join(out)


def _where(e: ExcludedPoint) -> str:
    """``EX-B2@L5`` for one place of a group point, else the code."""
    return f"{e.code}@{e.instance}" if e.instance else e.code


def _md(text: str) -> str:
    return markdown(text)


def as_markdown(s: Suggestion, line: int | None = None) -> str:
    """A Markdown report, for notes and notebooks; ``line``: the input line of a batch run's case."""
    title = f"## Suggestion for {_md(s.case) if s.case else 'the case'}" + (
        "" if line is None else f" (line {line})"
    )
    out = [title, "", f"**Status:** {s.status}", ""]
    if s.referral:
        out += [f"**Refer ({s.referral.urgency}):** {_md(s.referral.reason)}", ""]
    if s.points:
        out += ["| # | code | name | side | role | score | why |", "|---|---|---|---|---|---|---|"]
        for i, p in enumerate(s.points, 1):
            out.append(
                f"| {i} | {p.code} | {_md(p.name)} | {p.side} | {p.role} | {p.score:g} | {_md(p.why)} |"
            )
        out.append("")
    if s.excluded:
        out += (
            ["### Excluded", ""]
            + [f"- **{_where(e)}** ({e.side}): {_md(e.reason)} — `{e.rule}`" for e in s.excluded]
            + [""]
        )
    if s.plan_items:
        out += (
            ["### Plan", ""]
            + [f"- {_md(i['text'])} ({_md(', '.join(i['principles']) or i['rule'])})" for i in s.plan_items]
            + [""]
        )
    if s.advice:
        out += ["### Advice", ""]
        for a in s.advice:
            clash = f" *(conflicts with {_md(', '.join(a.conflicts_with))})*" if a.conflicts_with else ""
            out.append(f"- {_md(a.text)} ({_md(', '.join(a.principles) or a.rule)}, {_md(a.source)}){clash}")
        out.append("")
    if s.conflicts:
        out += ["### Conflicts", ""] + [f"- {_md(c.about)}: {_md(c.detail)}" for c in s.conflicts] + [""]
    if s.warnings:
        out += ["### Warnings", ""] + [f"- {_md(w)}" for w in s.warnings] + [""]
    return "\n".join(out)


def point_card(p: Point, cautions: Mapping[str, Any] | None = None) -> str:
    """A point's card, for ``acupoints point``."""
    lines = [f"{p.code}  {p.pinyin}  {p.chinese}" + (f"  ({p.english})" if p.english else "")]
    lines.append(
        f"  meridian: {p.meridian or 'extra point'}   region: {p.region} ({p.aspect})   surface: {p.surface}"
    )
    if p.levels:
        lines.append(f"  spinal level: {', '.join(p.levels)}")
    lines.append(f"  location: {p.location}")
    for c in p.cautions:
        title = cautions[c].title if cautions and c in cautions else c
        lines.append(f"  caution: {title}")
    if p.instances:
        lines.append(f"  instances: {', '.join(i.key for i in p.instances)}")
    if p.note:
        lines.append(f"  note: {p.note}")
    return "\n".join(lines)
