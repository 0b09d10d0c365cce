"""SVG text of one view: the figure, its shaded zones, the channels, the marks and their
labels, and the legend. Pure string building; :mod:`.layout` puts the views together."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .. import escape
from .clip import clip_line, clip_polygon
from .geometry import figure_polygons, oriented
from .labels import Mark, text_width
from .schema import XY, Box, View, ViewName, Zone
from .style import CHANNEL_COLOURS, DETAIL, EXCLUDED_COLOUR, INK, OUTLINE, REGION_COLOUR, ROLE_COLOURS, SKIN

__all__ = ["Legend", "Panel", "esc", "figure_svg", "legend_svg", "marks_svg", "num"]


def esc(text: object) -> str:
    """Text escaped for an SVG attribute or element (control characters, which XML
    forbids, made visible)."""
    return escape.html(text)


def num(v: float) -> str:
    """A coordinate as short text: two decimals at most, no trailing zeros."""
    r = round(v, 2)
    return str(int(r)) if r == int(r) else f"{r:g}"


def _path(points: Iterable[XY], closed: bool) -> str:
    d = "M" + " L".join(f"{num(x)} {num(y)}" for x, y in points)
    return d + ("Z" if closed else "")


def _smooth(points: Sequence[XY]) -> str:
    """A smooth open path through the points (Catmull-Rom as cubic Beziers)."""
    pts = list(points)
    if len(pts) < 3:
        return _path(pts, False)
    d = [f"M{num(pts[0][0])} {num(pts[0][1])}"]
    for i in range(len(pts) - 1):
        p0, p1, p2, p3 = pts[max(i - 1, 0)], pts[i], pts[i + 1], pts[min(i + 2, len(pts) - 1)]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        d.append(f"C{num(c1[0])} {num(c1[1])} {num(c2[0])} {num(c2[1])} {num(p2[0])} {num(p2[1])}")
    return " ".join(d)


@dataclass
class Panel:
    """What one view (or one enlarged inset of a view) will show."""

    name: ViewName
    marks: list[Mark] = field(default_factory=list)
    zones: list[tuple[Zone, bool]] = field(default_factory=list)  # zone, mirrored
    channels: list[tuple[str, list[XY]]] = field(default_factory=list)  # meridian, polyline
    crop: Box | None = None
    scale: float = 1.0
    title: str = ""
    frames: list[tuple[Box, str]] = field(default_factory=list)  # inset boxes drawn on a view


def figure_svg(view: View, panel: Panel, k: float) -> list[str]:
    """The silhouette, the shaded zones and the detail lines; ``k`` converts pixels to units."""
    crop = panel.crop

    def shape(poly: Sequence[XY]) -> str:
        pts = clip_polygon(poly, crop) if crop else list(poly)
        return _path(pts, True) if len(pts) > 2 else ""

    def lines(poly: Sequence[XY], closed: bool) -> str:
        pts = list(poly) + ([poly[0]] if closed and crop else [])
        if not crop:
            return _path(pts, closed)
        return " ".join(_path(run, False) for run in clip_line(pts, crop))

    out: list[str] = []
    for layer in sorted({p.layer for p in view.parts}):
        d = " ".join(filter(None, (shape(p) for p in figure_polygons(view, layer))))
        if d:
            out.append(
                f'<path d="{d}" fill="{SKIN}" stroke="{OUTLINE}" stroke-width="{num(1.5 * k)}" '
                'stroke-linejoin="round"/>'
            )
            out.append(
                f'<path d="{d}" fill="{SKIN}" stroke="{SKIN}" stroke-width="{num(0.7 * k)}" stroke-linejoin="round"/>'
            )
        zd = " ".join(
            filter(None, (shape(oriented([view.mirror(q) for q in z.points] if m else z.points))
                          for z, m in panel.zones if z.layer == layer))
        )  # fmt: skip
        if zd:
            out.append(
                f'<path class="zone" d="{zd}" fill="{REGION_COLOUR}" fill-opacity="0.38" '
                f'stroke="{REGION_COLOUR}" stroke-opacity="0.38" stroke-width="{num(0.5 * k)}" stroke-linejoin="round"/>'
            )
        for det in view.details:
            if det.layer != layer:
                continue
            copies = [det.points]
            if view.bilateral and det.mirror:
                copies.append(tuple(view.mirror(q) for q in det.points))
            dd = " ".join(filter(None, (lines(c, det.closed) for c in copies)))
            if dd:
                dash = f' stroke-dasharray="{num(2 * k)} {num(1.6 * k)}"' if det.dash else ""
                out.append(
                    f'<path d="{dd}" fill="none" stroke="{DETAIL}" stroke-width="{num(det.width * k)}"{dash}/>'
                )
    return out


def marks_svg(panel: Panel, r: float, size: float, line_width: float) -> list[str]:
    """The channels, the inset frames, the leader lines, the markers and the labels, in that order."""
    out: list[str] = []
    for meridian, line in panel.channels:
        colour = CHANNEL_COLOURS.get(meridian, "#888888")
        for run in clip_line(line, panel.crop) if panel.crop else [line]:
            out.append(
                f'<path class="channel" data-meridian="{esc(meridian)}" d="{_smooth(run)}" fill="none" '
                f'stroke="{colour}" stroke-width="{num(line_width)}" stroke-opacity="0.8" stroke-linecap="round"/>'
            )
    for box, tag in panel.frames:
        x0, y0, x1, y1 = box
        out.append(
            f'<rect class="frame" x="{num(x0)}" y="{num(y0)}" width="{num(x1 - x0)}" height="{num(y1 - y0)}" rx="2" '
            'fill="none" stroke="#8c8c8c" stroke-width="0.6" stroke-dasharray="2.5 1.5"/>'
            f'<text x="{num(x0 + 1.5)}" y="{num(y0 + 6.5)}" font-size="6.5" font-weight="bold" fill="#6b6b6b">{esc(tag)}</text>'
        )
    labelled = [m for m in panel.marks if m.box[2] > 0]
    for m in labelled:  # leader lines under everything else
        bx, by, bw, bh = m.box
        nx, ny = min(max(m.xy[0], bx), bx + bw), min(max(m.xy[1], by), by + bh)
        if math.hypot(nx - m.xy[0], ny - m.xy[1]) > r * 1.4:
            out.append(
                f'<line x1="{num(m.xy[0])}" y1="{num(m.xy[1])}" x2="{num(nx)}" y2="{num(ny)}" '
                f'stroke="{m.colour}" stroke-width="{num(r * 0.2)}" stroke-opacity="0.9"/>'
            )
    for m in panel.marks:
        attrs = f'data-code="{esc(m.code)}" data-view="{panel.name}" data-side="{m.side}"'
        attrs += f' data-role="{esc(m.role)}"' if m.role else ""
        x, y = num(m.xy[0]), num(m.xy[1])
        tip = f"<title>{esc(m.title)}</title>" if m.title else ""
        if m.kind == "excluded":
            c = r * 0.62
            out.append(
                f'<g class="excluded" {attrs}>{tip}<circle cx="{x}" cy="{y}" r="{num(r)}" fill="#ffffff" '
                f'stroke="{EXCLUDED_COLOUR}" stroke-width="{num(r * 0.3)}"/><path d="M{num(m.xy[0] - c)} '
                f"{num(m.xy[1] - c)} L{num(m.xy[0] + c)} {num(m.xy[1] + c)} M{num(m.xy[0] - c)} {num(m.xy[1] + c)} "
                f'L{num(m.xy[0] + c)} {num(m.xy[1] - c)}" stroke="{EXCLUDED_COLOUR}" stroke-width="{num(r * 0.34)}"/></g>'
            )
        else:
            out.append(
                f'<circle class="point" {attrs} cx="{x}" cy="{y}" r="{num(r)}" fill="{m.colour}" '
                f'stroke="#ffffff" stroke-width="{num(r * 0.28)}">{tip}</circle>'
            )
    for m in labelled:
        bx, by, bw, bh = m.box
        tx, ty = bx + bw / 2, by + bh / 2 + size * 0.36
        excluded = m.kind == "excluded"
        ink, border = (EXCLUDED_COLOUR, EXCLUDED_COLOUR) if excluded else (INK, m.colour)
        dash = f' stroke-dasharray="{num(size * 0.22)} {num(size * 0.15)}"' if excluded else ""
        strike = ""
        if excluded:
            sw = text_width(m.label, size)
            strike = (
                f'<line x1="{num(tx - sw / 2)}" y1="{num(by + bh / 2)}" x2="{num(tx + sw / 2)}" '
                f'y2="{num(by + bh / 2)}" stroke="{EXCLUDED_COLOUR}" stroke-width="{num(size * 0.1)}"/>'
            )
        out.append(
            f'<g class="label" data-code="{esc(m.code)}" data-view="{panel.name}" data-side="{m.side}">'
            f'<rect x="{num(bx)}" y="{num(by)}" width="{num(bw)}" height="{num(bh)}" rx="{num(size * 0.25)}" '
            f'fill="#ffffff" fill-opacity="0.92" stroke="{border}" stroke-width="{num(size * 0.075)}"{dash}/>'
            f'<text x="{num(tx)}" y="{num(ty)}" font-size="{num(size)}" text-anchor="middle" fill="{ink}">'
            f"{esc(m.label)}</text>{strike}</g>"
        )
    return out


@dataclass
class Legend:
    """What the legend under a drawing lists."""

    roles: list[str] = field(default_factory=list)
    excluded: bool = False
    region: bool = False
    channels: list[tuple[str, str]] = field(default_factory=list)  # code, name
    swatches: list[tuple[str, str]] = field(default_factory=list)  # colour, text


def legend_svg(legend: Legend, width: float, y: float) -> tuple[list[str], float]:
    """The legend's items in rows from ``y`` down, and the height they take."""
    dot = '<circle cx="4" cy="0" r="3.4" fill="{}" stroke="#fff" stroke-width="0.9"/>'
    items = [(dot.format(ROLE_COLOURS[role]), role) for role in legend.roles]
    items += [(dot.format(colour), text) for colour, text in legend.swatches]
    if legend.excluded:
        cross = (
            f'<path d="M1.6 -2.4 L6.4 2.4 M1.6 2.4 L6.4 -2.4" stroke="{EXCLUDED_COLOUR}" stroke-width="1.1"/>'
        )
        ring = f'<circle cx="4" cy="0" r="3.4" fill="#fff" stroke="{EXCLUDED_COLOUR}" stroke-width="0.9"/>'
        items.append((ring + cross, "excluded for safety"))
    if legend.region:
        swatch = (
            f'<rect x="0" y="-3.5" width="9" height="7" rx="1.5" fill="{REGION_COLOUR}" fill-opacity="0.5"/>'
        )
        items.append((swatch, "affected region"))
    for code, name in legend.channels:
        colour = CHANNEL_COLOURS.get(code, "#888888")
        items.append(
            (
                f'<path d="M0 0 L10 0" stroke="{colour}" stroke-width="2" stroke-linecap="round"/>',
                f"{code} {name}",
            )
        )
    out: list[str] = []
    x, row_y, size = 12.0, y + 10, 8.5
    for swatch, text in items:
        w = 16 + text_width(text, size) + 14
        if x + w > width - 8 and x > 12:
            x, row_y = 12.0, row_y + 15
        out.append(
            f'<g class="legend-item" transform="translate({num(x)},{num(row_y)})">{swatch}'
            f'<text x="15" y="{num(size * 0.36)}" font-size="{num(size)}" fill="#333">{esc(text)}</text></g>'
        )
        x += w
    return out, (row_y - y + 12 if items else 0.0)
