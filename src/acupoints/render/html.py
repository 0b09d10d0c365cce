"""HTML views: a self-contained report page for a suggestion, and fragments for notebooks.

Everything is inline (CSS and the SVG chart); nothing is fetched. Every piece of text is
escaped. The fragments scope their CSS under one class, so that a notebook's own styles
and theirs do not mix.

>>> from acupoints import Catalog
>>> page = render_point_html(Catalog.default(), "LI4")
>>> "Hegu" in page and "<svg" in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import escape
from .chart import ROLE_COLOURS, render_meridian_svg, render_point_svg, render_suggestion_svg
from .legend import legend
from .plan import plan_values
from .text import point_categories

if TYPE_CHECKING:
    from ..case.model import Case
    from ..catalog.catalog import Catalog
    from ..engine.result import Suggestion

__all__ = [
    "DISCLAIMER",
    "default_meridian_html",
    "default_point_html",
    "render_meridian_html",
    "render_point_html",
    "render_suggestion_fragment",
    "render_suggestion_html",
]

_CSS = """
.acupoints-report{font-family:"DejaVu Sans",Verdana,Arial,Helvetica,sans-serif;color:#222;line-height:1.45;
  font-size:14px;max-width:1180px;margin:0 auto;}
.acupoints-report h1{font-size:24px;margin:0 0 4px;}
.acupoints-report h2{font-size:17px;margin:26px 0 8px;padding-bottom:4px;border-bottom:1px solid #e2dbd3;}
.acupoints-report .sub{color:#555;margin:0 0 12px;}
.acupoints-report .badge{display:inline-block;padding:1px 9px;border-radius:10px;font-size:12px;font-weight:bold;
  background:#eef3f8;color:#1f5fa8;border:1px solid #c9d9ea;vertical-align:middle;}
.acupoints-report .badge.refer{background:#fdecea;color:#a12a1f;border-color:#f1c0ba;}
.acupoints-report .refer-box{background:#fdecea;border:1px solid #f1c0ba;border-radius:6px;padding:10px 14px;margin:12px 0;}
.acupoints-report .chart{border:1px solid #e2dbd3;border-radius:8px;padding:6px;background:#fff;overflow-x:auto;}
.acupoints-report .chart svg{width:100%;max-width:1160px;height:auto;display:block;margin:0 auto;}
.acupoints-report table{border-collapse:collapse;width:100%;font-size:13px;}
.acupoints-report th{text-align:left;background:#f6f1ec;font-weight:bold;padding:6px 8px;border-bottom:2px solid #e2dbd3;}
.acupoints-report td{padding:6px 8px;border-bottom:1px solid #eee7df;vertical-align:top;}
.acupoints-report td.num{text-align:right;white-space:nowrap;}
.acupoints-report .code{font-weight:bold;white-space:nowrap;}
.acupoints-report .dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;
  vertical-align:baseline;border:1px solid #fff;box-shadow:0 0 0 1px #ccc;}
.acupoints-report .role{white-space:nowrap;}
.acupoints-report .why p{margin:0 0 3px;}
.acupoints-report .meta{color:#666;font-size:12px;}
.acupoints-report .caution{display:inline-block;margin:3px 4px 0 0;padding:0 6px;border-radius:4px;font-size:12px;
  background:#fff4e0;color:#8a5200;border:1px solid #f0d6a8;}
.acupoints-report dl.plan{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:0;}
.acupoints-report dl.plan dt{font-weight:bold;color:#444;}
.acupoints-report dl.plan dd{margin:0;}
.acupoints-report ul{margin:4px 0;padding-left:22px;}
.acupoints-report h3.meta{font-size:13px;margin:14px 0 4px;font-weight:bold;}
.acupoints-report li{margin:3px 0;}
.acupoints-report .clash{color:#a12a1f;font-size:12px;}
.acupoints-report .struck{text-decoration:line-through;color:#7b7b7b;}
.acupoints-report details{margin-top:8px;color:#555;}
.acupoints-report footer{margin-top:28px;padding-top:10px;border-top:1px solid #e2dbd3;color:#666;font-size:12px;}
.acupoints-report .point-card dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0;}
.acupoints-report .point-card dt{font-weight:bold;color:#444;}
.acupoints-report .point-card dd{margin:0;}
.acupoints-report .points-list{columns:4 12em;font-size:13px;margin:8px 0;padding:0;list-style:none;}
"""

DISCLAIMER = (
    "Reference material for teaching and software; not medical advice. The chart is a sketch on a standard "
    "figure, not a guide to locating points on a patient. See a licensed practitioner and a doctor."
)


def _e(text: object) -> str:
    return escape.html(text)


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def _points_table(suggestion: Suggestion, catalog: Catalog) -> str:
    rows = []
    cautions = catalog.cautions
    for i, p in enumerate(suggestion.points, 1):
        colour = ROLE_COLOURS.get(p.role, "#555555")
        whys = "".join(f"<p>{_e(part.strip())}</p>" for part in p.why.split(";") if part.strip())
        sources = list(dict.fromkeys(s.source for s in p.supports))
        meta = f"rules: {_e(_join(p.rules))}"
        if sources:
            meta += f" · sources: {_e(_join(sources))}"
        if p.principles:
            meta += f" · principles: {_e(_join(p.principles))}"
        warn = "".join(
            f'<span class="caution" title="{_e(cautions[c].reason if c in cautions else c)}">'
            f"caution: {_e(cautions[c].title if c in cautions else c)}</span>"
            for c in p.cautions
        )
        at = f'<div class="meta">at {_e(_join(p.instances))}</div>' if p.instances else ""
        rows.append(
            f'<tr><td class="num">{i}</td><td class="code">{_e(p.code)}{at}</td><td>{_e(p.name)}</td>'
            f"<td>{_e(p.side)}</td>"
            f'<td class="role"><span class="dot" style="background:{colour}"></span>{_e(p.role)}</td>'
            f'<td class="num">{p.score:g}</td>'
            f'<td class="why">{whys}<div class="meta">{meta}</div>{warn}</td></tr>'
        )
    head = "<tr><th>#</th><th>code</th><th>name</th><th>side</th><th>role</th><th>score</th><th>why</th></tr>"
    return f'<table class="points"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _sections(suggestion: Suggestion, catalog: Catalog, titles: Mapping[str, str] | None) -> list[str]:
    out: list[str] = []
    s = suggestion
    if s.points:
        out.append(f"<section><h2>Points, best first</h2>{_points_table(s, catalog)}</section>")
    if s.excluded:
        items = "".join(
            f'<li><span class="code struck">{_e(e.code)}</span> ({_e(e.side)}): {_e(e.reason)} '
            f'<span class="meta">rule {_e(e.rule)} · source {_e(e.source)}</span></li>'
            for e in s.excluded
        )
        out.append(f"<section><h2>Excluded for safety</h2><ul>{items}</ul></section>")
    if s.plan or s.plan_items:
        body = ""
        if s.plan:
            body += '<dl class="plan">' + "".join(
                f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in plan_values(s.plan)
            )
            body += "</dl>"
        if s.plan_items:
            body += '<h3 class="meta">What the rules say</h3><ul>' + "".join(
                f"<li>{_e(i.get('text', ''))} "
                f'<span class="meta">{_e(_join(i.get("principles", [])) or i.get("rule", ""))}'
                f"{' · ' + _e(i['source']) if i.get('source') else ''}</span></li>"
                for i in s.plan_items
            )
            body += "</ul>"
        out.append(f"<section><h2>Plan</h2>{body}</section>")
    if s.advice:
        items = "".join(
            f'<li>{_e(a.text)} <span class="meta">{_e(_join(a.principles) or a.rule)} · {_e(a.source)}</span>'
            + (
                f' <span class="clash">conflicts with {_e(_join(a.conflicts_with))}</span>'
                if a.conflicts_with
                else ""
            )
            + "</li>"
            for a in s.advice
        )
        out.append(f"<section><h2>Advice</h2><ul>{items}</ul></section>")
    if s.conflicts:
        items = "".join(
            f"<li><strong>{_e(c.about)}</strong>: {_e(c.detail)} "
            f'<span class="meta">between {_e(_join(c.between))}</span></li>'
            for c in s.conflicts
        )
        out.append(f"<section><h2>Conflicts between sources</h2><ul>{items}</ul></section>")
    if s.warnings:
        items = "".join(f"<li>{_e(w)}</li>" for w in s.warnings)
        out.append(f"<section><h2>Warnings</h2><ul>{items}</ul></section>")
    keys = list(legend(s, titles))
    if keys:
        entries = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in keys)
        out.append(f'<section><h2>Sources</h2><dl class="plan">{entries}</dl></section>')
    if s.rules_fired:
        out.append(
            f"<details><summary>{len(s.rules_fired)} rules fired</summary>"
            f'<p class="meta">{_e(_join(s.rules_fired))}</p></details>'
        )
    return out


def render_suggestion_fragment(
    suggestion: Suggestion,
    catalog: Catalog,
    case: Case | Mapping[str, Any] | None = None,
    titles: Mapping[str, str] | None = None,
) -> str:
    """The report as an HTML fragment (for a notebook's ``_repr_html_``): chart, table, plan,
    advice, and what its source keys and principle ids stand for (``titles``: the citations
    of the source keys, see :mod:`.legend`)."""
    s = suggestion
    badge = f'<span class="badge{" refer" if s.status == "refer" else ""}">{_e(s.status)}</span>'
    title = f"Suggested points — case {_e(s.case)}" if s.case else "Suggested points"
    parts = [f'<div class="acupoints-report"><style>{_CSS}</style>', f"<h1>{title} {badge}</h1>"]
    n = len(s.points)
    parts.append(
        f'<p class="sub">{n} point{"s" if n != 1 else ""}'
        + (f", {len(s.excluded)} excluded for safety" if s.excluded else "")
        + (f" · dropped to keep to the plan's limit: {_e(_join(s.dropped))}" if s.dropped else "")
        + "</p>"
    )
    if s.referral:
        r = s.referral
        parts.append(
            f'<div class="refer-box"><strong>Refer ({_e(r.urgency)}):</strong> {_e(r.reason)}'
            + (f'<div class="meta">findings: {_e(_join(r.findings))}</div>' if r.findings else "")
            + f'<div class="meta">rules: {_e(_join(r.rules))} · sources: {_e(_join(r.sources))}</div></div>'
        )
    if s.points or s.excluded:
        parts.append(f'<div class="chart">{render_suggestion_svg(s, catalog, case, header=False)}</div>')
    parts += _sections(s, catalog, titles)
    parts.append(f"<footer>{_e(DISCLAIMER)}</footer></div>")
    return "\n".join(parts)


def render_suggestion_html(
    suggestion: Suggestion,
    catalog: Catalog,
    case: Case | Mapping[str, Any] | None = None,
    titles: Mapping[str, str] | None = None,
) -> str:
    """One self-contained HTML page: the chart, the ranked table with every point's why, the
    plan, the advice, the conflicts, the warnings and the sources. Inline CSS and SVG; no
    external links."""
    title = f"acupoints — case {suggestion.case}" if suggestion.case else "acupoints — suggestion"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        "<style>body{margin:0;padding:24px 28px;background:#fbf9f7;}</style>\n</head>\n<body>\n"
        f"{render_suggestion_fragment(suggestion, catalog, case, titles)}\n</body>\n</html>\n"
    )


def render_point_html(catalog: Catalog, code: str) -> str:
    """A point's card with its chart, as an HTML fragment (``Point._repr_html_``)."""
    point, instance = catalog.resolve_instance(code)
    shown = instance.code if instance else point.code
    names = f"{point.pinyin} {point.chinese}" + (f" ({point.english})" if point.english else "")
    rows = [
        (
            "channel",
            catalog.meridians[point.meridian].name + f" ({point.meridian})"
            if point.meridian
            else "extra point",
        ),
        ("region", f"{point.region.replace('_', ' ')}, {point.aspect}"),
        ("surface", point.surface),
    ]
    for category in point_categories(catalog.graph, point.code):
        rows.append(("category", category))
    if point.levels or (instance and instance.levels):
        rows.append(
            ("spinal level", _join(instance.levels if instance and instance.levels else point.levels))
        )
    rows.append(("location", instance.location if instance else point.location))
    if point.instances and not instance:
        rows.append(("places", _join(i.key for i in point.instances)))
    cautions = catalog.cautions
    for c in point.cautions:
        rows.append(("caution", cautions[c].title if c in cautions else c))
    if point.note:
        rows.append(("note", point.note))
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return (
        f'<div class="acupoints-report point-card"><style>{_CSS}</style>'
        f"<h2>{_e(shown)} — {_e(names)}</h2><dl>{dl}</dl>"
        f'<div class="chart">{render_point_svg(catalog, shown)}</div></div>'
    )


def default_point_html(code: str) -> str:
    """A point's card in the default catalogue (the display method of a point record).

    The catalogue module builds the records, so the default catalogue is reached through
    the package's public face, which imports its layers only on first use; importing the
    catalogue module here would close an import loop back to the records.
    """
    import acupoints

    return render_point_html(acupoints.Catalog.default(), code)


def default_meridian_html(code: str) -> str:
    """A channel's chart in the default catalogue (the display method of a meridian record)."""
    import acupoints

    return render_meridian_html(acupoints.Catalog.default(), code)


def render_meridian_html(catalog: Catalog, code: str) -> str:
    """A channel's chart and its points, as an HTML fragment (for a notebook)."""
    m = catalog.meridian(code)
    items = "".join(
        f'<li><span class="code">{_e(c)}</span> {_e(catalog[c].pinyin)} {_e(catalog[c].chinese)}</li>'
        for c in m.points
    )
    return (
        f'<div class="acupoints-report"><style>{_CSS}</style>'
        f'<h2>{_e(m.code)} — {_e(m.name)} channel <span class="meta">{_e(m.pinyin)} {_e(m.chinese)}</span></h2>'
        f'<div class="chart">{render_meridian_svg(catalog, m.code)}</div>'
        f'<ul class="points-list">{items}</ul></div>'
    )
