"""The three drawings: a suggestion, one channel, one point. Each gathers the marks, zones
and channel lines of every view, then hands them to :func:`.layout.compose`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ...base.vocab import ROLES
from ...case.model import Case
from .labels import Mark
from .layout import compose
from .load import default_chart
from .places import channel_lines, places, sides_of
from .schema import VIEWS, ChartFile, ViewName, Zone
from .style import CHANNEL_COLOURS, EXCLUDED_COLOUR, ROLE_COLOURS
from .svg import Legend, Panel

if TYPE_CHECKING:
    from ...catalog.catalog import Catalog
    from ...catalog.records import Point
    from ...engine.result import Suggestion

__all__ = ["render_meridian_svg", "render_point_svg", "render_suggestion_svg"]


def _instance_codes(point: Point, keys: Sequence[str]) -> list[str]:
    if keys:
        return [f"{point.code}@{k}" for k in keys]
    if point.instances:
        return [i.code for i in point.instances]
    return [point.code]


def _affected_zones(chart: ChartFile, case: Case, view: ViewName) -> list[tuple[Zone, bool]]:
    """The zones to shade on a view for the case's complaints, each with whether it is mirrored."""
    v = chart.views[view]
    out: list[tuple[Zone, bool]] = []
    for c in case.complaints:
        zones = [
            z
            for z in v.zones
            if z.region == c.region and (not c.digits or z.digit is None or z.digit in c.digits)
        ]
        if not zones or view not in _aspect_views(chart, c.region, c.aspect, c.side):
            continue
        for z in zones:
            if c.side in ("right", "both"):
                out.append((z, False))
            if c.side in ("left", "both") and v.bilateral:
                out.append((z, True))
    unique: list[tuple[Zone, bool]] = []
    for item in out:
        if item not in unique:
            unique.append(item)
    return unique


def _aspect_views(chart: ChartFile, region: str, aspect: str | None, side: str) -> set[str]:
    """The views that show a region's aspect; all views holding the region when none fits."""
    having: set[str] = {name for name, v in chart.views.items() if any(z.region == region for z in v.zones)}
    if side == "left":
        having = {n for n, v in chart.views.items() if n in having and v.bilateral}
    wanted: set[str]
    if aspect in ("anterior", "palmar"):
        wanted = {"front"}
    elif aspect == "posterior":
        wanted = {"back"}
    elif aspect == "dorsal":
        wanted = {"front"} if region in ("foot", "toes", "ankle") else {"back"}
    elif aspect in ("lateral", "radial"):
        wanted = {"side"}
    elif aspect in ("medial", "ulnar"):
        wanted = {"front", "back"}
    elif aspect == "plantar":
        wanted = {"side", "back"}
    else:
        wanted = {str(v) for v in VIEWS}
    return (wanted & having) or having


def _as_case(case: Case | Mapping[str, Any] | None) -> Case | None:
    if case is None or isinstance(case, Case):
        return case
    return Case.from_dict(case)


# -- public drawings ------------------------------------------------------------------
def render_suggestion_svg(
    suggestion: Suggestion, catalog: Catalog, case: Case | Mapping[str, Any] | None = None,
    chart: ChartFile | None = None, header: bool = True,
) -> str:  # fmt: skip
    """The chart of a suggestion: the figure, the channels of the suggested points, each point
    marked and labelled by role, the excluded points struck out and, given the ``case``, its
    affected regions shaded."""
    chart = chart or default_chart()
    the_case = _as_case(case)
    panels = {v: Panel(v) for v in VIEWS}
    meridians: dict[str, set[str]] = {}
    missing: list[str] = []
    for sp in suggestion.points:
        point = catalog.get(sp.code)
        if point is None:
            missing.append(sp.code)
            continue
        sides = sides_of(sp.side)
        if point.meridian:
            meridians.setdefault(point.meridian, set()).update(s for s in sides if s != "midline")
        drawn = False
        for code in _instance_codes(point, sp.instances):
            label = code
            for view in VIEWS:
                for xy, side in places(chart, code, view, sides):
                    drawn = True
                    title = f"{code} {point.pinyin} — {sp.role}, score {sp.score:g}; {sp.why}"
                    panels[view].marks.append(
                        Mark(
                            code,
                            label,
                            xy,
                            side,
                            ROLE_COLOURS.get(sp.role, "#555555"),
                            "point",
                            sp.role,
                            title,
                        )
                    )
        if not drawn:
            missing.append(sp.code)
    for ex in suggestion.excluded:
        base = catalog.get(ex.code)
        if base is None:
            continue
        codes = [ex.code] if "@" in ex.code or not base.instances else _instance_codes(base, ())
        for code in codes:
            for view in VIEWS:
                for xy, side in places(chart, code, view, sides_of(ex.side)):
                    title = f"{code} excluded: {ex.reason}"
                    panels[view].marks.append(
                        Mark(code, code, xy, side, EXCLUDED_COLOUR, "excluded", None, title)
                    )
    if the_case is not None:
        for view in VIEWS:
            panels[view].zones = _affected_zones(chart, the_case, view)
    for meridian, used in sorted(meridians.items(), key=lambda kv: list(catalog.meridians).index(kv[0])):
        for view in VIEWS:
            for line in channel_lines(chart, meridian, view, tuple(sorted(used)) or ("right", "left")):
                panels[view].channels.append((meridian, line))
    legend = Legend(
        roles=list(ROLES),
        excluded=bool(suggestion.excluded),
        region=any(p.zones for p in panels.values()),
        channels=[(m, catalog.meridians[m].name) for m in catalog.meridians if m in meridians],
    )
    case_id = suggestion.case or (the_case.id if the_case and the_case.id else None)
    title = f"Suggested points — case {case_id}" if case_id else "Suggested points"
    n = len(suggestion.points)
    subtitle = f"status: {suggestion.status} · {n} point{'s' if n != 1 else ''}"
    if suggestion.excluded:
        subtitle += f" · {len(suggestion.excluded)} excluded"
    subtitle += " · colours show each point's role; lines show the channels of the suggested points"
    note = f"not on the chart: {', '.join(missing)}" if missing else ""
    return compose(chart, [panels[v] for v in VIEWS], title, subtitle, legend, 3.4, 7.0, note, 0.9, 4, header)


def render_meridian_svg(catalog: Catalog, meridian_code: str, chart: ChartFile | None = None) -> str:
    """One channel on the views that show it: its course, and each point marked with its code."""
    chart = chart or default_chart()
    meridian = catalog.meridian(meridian_code)
    colour = CHANNEL_COLOURS.get(meridian.code, "#555555")
    panels: list[Panel] = []
    for view in VIEWS:
        panel = Panel(view)
        for code in meridian.points:
            point = catalog[code]
            for xy, side in places(chart, code, view, ("right",)):
                title = f"{code} {point.pinyin} {point.chinese}: {point.location}"
                panel.marks.append(Mark(code, code, xy, side, colour, "plain", None, title))
        if panel.marks:
            panel.channels = [
                (meridian.code, line) for line in channel_lines(chart, meridian.code, view, ("right",))
            ]
            panels.append(panel)
    title = f"{meridian.code} — {meridian.name} channel"
    subtitle = (
        f"{meridian.pinyin} {meridian.chinese} · {len(meridian.points)} points, "
        "drawn on the figure's right side; each view shows the points it can see"
    )
    legend = Legend(channels=[(meridian.code, meridian.name)])
    size = 5.6 if len(meridian.points) > 30 else 6.2
    return compose(chart, panels, title, subtitle, legend, 2.4, size, inset_threshold=5)


def render_point_svg(catalog: Catalog, code: str, chart: ChartFile | None = None) -> str:
    """One point (or one instance, ``EX-B2@C5``, or a whole group) on the views that show it."""
    chart = chart or default_chart()
    point, instance = catalog.resolve_instance(code)
    codes = [instance.code] if instance else _instance_codes(point, ())
    highlight = "#c0392b"
    panels: list[Panel] = []
    for view in VIEWS:
        panel = Panel(view)
        for c in codes:
            for xy, side in places(chart, c, view, ("right",)):
                panel.marks.append(Mark(c, c, xy, side, highlight, "plain", None, f"{c} {point.pinyin}"))
        if panel.marks:
            if point.meridian:
                lines = channel_lines(chart, point.meridian, view, ("right",))
                panel.channels = [(point.meridian, line) for line in lines]
            panels.append(panel)
    name = f"{point.pinyin} {point.chinese}" + (f" ({point.english})" if point.english else "")
    title = f"{instance.code if instance else point.code} — {name}"
    where = f"{point.region.replace('_', ' ')}, {point.aspect}"
    subtitle = f"{where} · {'channel ' + point.meridian if point.meridian else 'extra point'}"
    legend = Legend(
        swatches=[(highlight, "the point")],
        channels=[(point.meridian, catalog.meridians[point.meridian].name)] if point.meridian else [],
    )
    return compose(chart, panels, title, subtitle, legend, 3.0, 6.6, inset_threshold=1)
