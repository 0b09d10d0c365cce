"""Views of a suggestion: a text table, Markdown and JSON. Views decide nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..catalog.graph import MeridianGraph
    from ..catalog.records import Point
    from ..engine.result import ExcludedPoint, Suggestion


def _plan_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def as_table(s: Suggestion) -> str:
    """A plain-text report, for a terminal."""
    out = [f"case: {s.case or '(no id)'}   status: {s.status}"]
    if s.referral:
        out += [
            f"REFER ({s.referral.urgency}): {s.referral.reason}",
            f"  rules: {', '.join(s.referral.rules)}",
        ]
        out += [f"  source: {src}" for src in s.referral.sources]
    if s.points:
        out.append("")
        out.append(f"{'#':>2}  {'code':<7} {'name':<14} {'side':<8} {'role':<10} {'score':>5}  why")
        for i, p in enumerate(s.points, 1):
            out.append(f"{i:>2}  {p.code:<7} {p.name:<14} {p.side:<8} {p.role:<10} {p.score:>5g}  {p.why}")
            if p.instances:
                out.append(f"{'':>36}at: {', '.join(p.instances)}")
    if s.excluded:
        out.append("")
        out.append("excluded:")
        out += [f"  {_where(e):<10} {e.side:<6} {e.reason} [{e.rule}]" for e in s.excluded]
    if s.plan:
        out.append("")
        out.append("plan:")
        out += [f"  {k}: {_plan_value(v)}" for k, v in s.plan.items()]
    if s.advice:
        out.append("")
        out.append("advice:")
        for a in s.advice:
            clash = f"  (conflicts with {', '.join(a.conflicts_with)})" if a.conflicts_with else ""
            out.append(f"  [{', '.join(a.principles) or a.rule}] {a.text}{clash}")
    if s.conflicts:
        out.append("")
        out.append("conflicts:")
        out += [f"  {c.about}: {c.detail}" for c in s.conflicts]
    if s.warnings:
        out.append("")
        out.append("warnings:")
        out += [f"  - {w}" for w in s.warnings]
    return "\n".join(out)


def _where(e: ExcludedPoint) -> str:
    """``EX-B2@L5`` for one place of a group point, else the code."""
    return f"{e.code}@{e.instance}" if e.instance else e.code


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def as_markdown(s: Suggestion) -> str:
    """A Markdown report, for notes and notebooks."""
    out = [f"## Suggestion for {s.case or 'the case'}", "", f"**Status:** {s.status}", ""]
    if s.referral:
        out += [f"**Refer ({s.referral.urgency}):** {s.referral.reason}", ""]
    if s.points:
        out += ["| # | code | name | side | role | score | why |", "|---|---|---|---|---|---|---|"]
        for i, p in enumerate(s.points, 1):
            out.append(f"| {i} | {p.code} | {p.name} | {p.side} | {p.role} | {p.score:g} | {_md(p.why)} |")
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
            + [f"- {i['text']} ({', '.join(i['principles']) or i['rule']})" for i in s.plan_items]
            + [""]
        )
    if s.advice:
        out += ["### Advice", ""]
        for a in s.advice:
            clash = f" *(conflicts with {', '.join(a.conflicts_with)})*" if a.conflicts_with else ""
            out.append(f"- {a.text} ({', '.join(a.principles) or a.rule}, {a.source}){clash}")
        out.append("")
    if s.conflicts:
        out += ["### Conflicts", ""] + [f"- {c.about}: {c.detail}" for c in s.conflicts] + [""]
    if s.warnings:
        out += ["### Warnings", ""] + [f"- {_md(w)}" for w in s.warnings] + [""]
    return "\n".join(out)


def point_categories(graph: MeridianGraph, code: str) -> list[str]:
    """The categories of a point as a card names them (``"yuan-source point"``), with what
    it serves when that is not its own channel (``"back-shu point (kidney)"``).

    >>> from acupoints import Catalog
    >>> g = Catalog.default().graph
    >>> point_categories(g, "LI4"), point_categories(g, "BL23")
    (['yuan-source point'], ['back-shu point (kidney)'])
    """
    out = []
    for cid in graph.categories_of(code):
        name = str(graph.nodes[cid]["name"]).lower().replace(" points", " point", 1)
        serves = graph.get_edge_data(code, cid, key="member")["serves"]
        own = serves == graph.attrs(code).get("meridian")
        out.append(name if own else f"{name} ({serves.replace('_', ' ')})")
    return out


def point_card(p: Point, cautions: Mapping[str, Any] | None = None, categories: Sequence[str] = ()) -> str:
    """A point's card, for ``acupoints point``; ``categories`` as :func:`point_categories` gives them."""
    lines = [f"{p.code}  {p.pinyin}  {p.chinese}" + (f"  ({p.english})" if p.english else "")]
    lines.append(
        f"  meridian: {p.meridian or 'extra point'}   region: {p.region} ({p.aspect})   surface: {p.surface}"
    )
    if categories:
        lines.append(f"  categories: {'; '.join(categories)}")
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
