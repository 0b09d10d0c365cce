"""Views of a suggestion: a text table for the terminal, and Markdown. Views decide nothing.

Everything that came from the input or from a rule file is escaped for its output
(:mod:`.escape`); plan fields are written as labelled values (:mod:`.plan`); the source
keys and principle ids a view shows are explained at its end (:mod:`.legend`). The table
wraps by words to a width in terminal cells and lines up wide characters (:mod:`.layout`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .ansi import Style
from .escape import markdown, terminal
from .layout import cells, columns, hang, pad
from .legend import legend
from .plan import plan_values

if TYPE_CHECKING:
    from ..catalog.graph import MeridianGraph
    from ..catalog.records import Point
    from ..engine.result import ExcludedPoint, Suggestion

__all__ = ["as_markdown", "as_table", "point_card", "points_table"]

#: The narrowest the "why" column may get before each point becomes a block of lines.
_MIN_WHY = 24
#: The narrowest a labelled value may get before it moves under its label.
_MIN_VALUE = 16


def _points_block(s: Suggestion, width: int | None, style: Style) -> list[str]:
    """The ranked points as columns, the last one ("why") wrapped into what is left; in a
    terminal too narrow for that, one block per point."""
    head = ["#", "code", "name", "side", "role", "score"]
    rows = [
        [str(i), terminal(p.code), terminal(p.name), terminal(p.side), terminal(p.role), f"{p.score:g}"]
        for i, p in enumerate(s.points, 1)
    ]
    align = "><<<<>"
    widths = [max(cells(r[k]) for r in [head, *rows]) for k in range(len(head))]
    lead = sum(widths) + len(widths) + 1  # the cells, a space after each, one more
    if width is not None and width - lead < _MIN_WHY:
        return _stacked(s, rows, width, style)

    def line(row: list[str]) -> str:
        return " ".join(pad(c, widths[k], align[k]) for k, c in enumerate(row))

    indent = " " * lead
    out = [style.bold(line(head) + "  why")]
    for p, row in zip(s.points, rows, strict=True):
        out += hang(terminal(p.why), width, indent, line(row) + "  ")
        if p.instances:
            out += hang(", ".join(terminal(i) for i in p.instances), width, indent + "    ", indent + "at: ")
    return out


def _stacked(s: Suggestion, rows: list[list[str]], width: int, style: Style) -> list[str]:
    """One block a point, for a narrow terminal: number, code and name; then side, role
    and score; then why; each wrapped."""
    out = [style.bold("points, best first:")]
    for p, (n, code, name, side, role, score) in zip(s.points, rows, strict=True):
        out += hang(f"{style.bold(code)} {name}", width, "    ", f"{n:>2}  ")
        out += hang(f"{side}, {role}, score {score}", width, "    ", "    ")
        out += hang(terminal(p.why), width, "    ", "    ")
        if p.instances:
            out += hang(", ".join(terminal(i) for i in p.instances), width, "    ", "    at: ")
    return out


def _labelled(pairs: Iterable[tuple[str, str]], width: int | None) -> list[str]:
    """``label: value`` lines, the values lined up after the longest label (up to a limit)."""
    pairs = list(pairs)
    room = min(28, max((cells(label) for label, _ in pairs), default=0) + 1)
    out: list[str] = []
    for label, value in pairs:
        first = f"  {pad(label + ':', room)} "
        if width is not None and width - cells(first) < _MIN_VALUE:
            # Too narrow to line the values up: each under its label.
            out += [f"  {label}:", *hang(value, width, "      ", "      ")]
        else:
            out += hang(value, width, " " * cells(first), first)
    return out


def as_table(
    s: Suggestion,
    line: int | None = None,
    *,
    width: int | None = None,
    colour: bool = False,
    titles: Mapping[str, str] | None = None,
) -> str:
    """A plain-text report, for a terminal.

    ``line``: the input line of a batch run's case. ``width``: wrap to this many terminal
    cells (None: no wrapping). ``colour``: ANSI styles (only for a terminal).
    ``titles``: the citations of source keys, for the legend (see :mod:`.legend`).
    """
    style = Style(colour)
    head = f"case: {terminal(s.case or '(no id)')}   status: {style.status(terminal(s.status))}"
    first = head if line is None else f"line {line}   {head}"
    out = [first] if width is None or cells(first) <= width else hang(first, width, "  ")
    if s.referral:
        r = s.referral
        out += hang(terminal(r.reason), width, "  ", style.alarm(f"REFER ({terminal(r.urgency)}):") + " ")
        out += hang(", ".join(terminal(x) for x in r.rules), width, "    ", "  rules: ")
        out += [f"  source: {terminal(src)}" for src in r.sources]
    if s.points:
        out += ["", *_points_block(s, width, style)]
    if s.excluded:
        out += ["", style.bold("excluded:")]
        for e in s.excluded:
            first = f"  {pad(terminal(_where(e)), 10)} {pad(terminal(e.side), 6)} "
            out += hang(f"{terminal(e.reason)} [{terminal(e.rule)}]", width, " " * 4, first)
    if s.plan:
        out += ["", style.bold("plan:")]
        out += _labelled(((terminal(k), terminal(v)) for k, v in plan_values(s.plan)), width)
    if s.advice:
        out += ["", style.bold("advice:")]
        for a in s.advice:
            clash = (
                f"  (conflicts with {', '.join(terminal(c) for c in a.conflicts_with)})"
                if a.conflicts_with
                else ""
            )
            ids = ", ".join(terminal(x) for x in a.principles) or terminal(a.rule)
            out += hang(f"{terminal(a.text)} ({terminal(a.source)}){clash}", width, "    ", f"  [{ids}] ")
    if s.conflicts:
        out += ["", style.bold("conflicts:")]
        for c in s.conflicts:
            out += hang(f"{terminal(c.about)}: {terminal(c.detail)}", width, "    ", "  ")
    if s.warnings:
        out += ["", style.bold("warnings:")]
        for w in s.warnings:
            out += [style.warn(x) for x in hang(terminal(w), width, "    ", "  - ")]
    keys = [(terminal(k), terminal(v)) for k, v in legend(s, titles, brief=True)]
    if keys:
        out += ["", style.bold("legend (sources and principle ids):")]
        out += _labelled(keys, width)
    return "\n".join(out)


def _where(e: ExcludedPoint) -> str:
    """``EX-B2@L5`` for one place of a group point, else the code."""
    return f"{e.code}@{e.instance}" if e.instance else e.code


def as_markdown(s: Suggestion, line: int | None = None, *, titles: Mapping[str, str] | None = None) -> str:
    """A Markdown report, for notes and notebooks; ``line``: the input line of a batch run's
    case; ``titles``: the citations of source keys, for the Sources section."""
    md = markdown
    title = f"## Suggestion for {md(s.case) if s.case else 'the case'}" + (
        "" if line is None else f" (line {line})"
    )
    out = [title, "", f"**Status:** {md(s.status)}", ""]
    if s.referral:
        out += [f"**Refer ({md(s.referral.urgency)}):** {md(s.referral.reason)}", ""]
    if s.points:
        out += ["| # | code | name | side | role | score | why |", "|---|---|---|---|---|---|---|"]
        for i, p in enumerate(s.points, 1):
            out.append(
                f"| {i} | {md(p.code)} | {md(p.name)} | {md(p.side)} | {md(p.role)} | {p.score:g} | {md(p.why)} |"
            )
        out.append("")
    if s.excluded:
        out += (
            ["### Excluded", ""]
            + [
                f"- **{md(_where(e))}** ({md(e.side)}): {md(e.reason)} — rule {md(e.rule)}"
                for e in s.excluded
            ]
            + [""]
        )
    if s.plan or s.plan_items:
        out += ["### Plan", ""]
        out += [f"- **{md(label)}:** {md(value)}" for label, value in plan_values(s.plan)]
        out += ["", "What the rules say:", ""] if s.plan and s.plan_items else []
        out += [f"- {md(i['text'])} ({md(', '.join(i['principles']) or i['rule'])})" for i in s.plan_items]
        out.append("")
    if s.advice:
        out += ["### Advice", ""]
        for a in s.advice:
            clash = f" *(conflicts with {md(', '.join(a.conflicts_with))})*" if a.conflicts_with else ""
            out.append(f"- {md(a.text)} ({md(', '.join(a.principles) or a.rule)}, {md(a.source)}){clash}")
        out.append("")
    if s.conflicts:
        out += ["### Conflicts", ""] + [f"- {md(c.about)}: {md(c.detail)}" for c in s.conflicts] + [""]
    if s.warnings:
        out += ["### Warnings", ""] + [f"- {md(w)}" for w in s.warnings] + [""]
    keys = list(legend(s, titles))
    if keys:
        out += ["### Sources", ""] + [f"- **{md(k)}**: {md(v)}" for k, v in keys] + [""]
    return "\n".join(out)


def points_table(points: Iterable[Point]) -> str:
    """Points one a line: code, pinyin, characters, region, aspect, spinal levels; the
    columns line up in a terminal whatever the characters' widths."""
    rows = [[p.code, p.pinyin, p.chinese, p.region, p.aspect, ",".join(p.levels)] for p in points]
    return columns(rows, "<<<<<<")


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
