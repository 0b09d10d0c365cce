"""The page of a drawing: the views side by side, enlarged insets where marks crowd, the
title, the legend and a note. Labels are placed here, once each panel's size is known."""

from __future__ import annotations

import zlib

from .clip import in_box
from .labels import Mark, place_labels
from .schema import ChartFile
from .style import FONT, INK
from .svg import Legend, Panel, esc, figure_svg, legend_svg, marks_svg, num

__all__ = ["compose"]

_MARGIN = 36.0  # room for labels on each side of a view
_INSET_HEIGHT = 200.0
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _make_insets(chart: ChartFile, panels: list[Panel], threshold: int) -> list[Panel]:
    """Enlarged copies of the boxes of each view that hold at least ``threshold`` marks.

    Their marks lose their labels on the view itself, which shows the box instead.
    """
    insets: list[Panel] = []
    for panel in panels:
        view = chart.views[panel.name]
        for inset in view.insets:
            boxes = [(inset.box, "")]
            if inset.mirror and view.bilateral:
                x0, y0, x1, y1 = inset.box
                boxes.append(((view.width - x1, y0, view.width - x0, y1), " (left)"))
            for box, which in boxes:
                inner = [m for m in panel.marks if in_box(m.xy, box)]
                if len(inner) < max(threshold, inset.min_marks) or len(insets) >= len(_LETTERS):
                    continue
                tag = _LETTERS[len(insets)]
                scale = inset.scale or min(_INSET_HEIGHT / (box[3] - box[1]), 3.2)
                copies = [
                    Mark(m.code, m.label, m.xy, m.side, m.colour, m.kind, m.role, m.title) for m in inner
                ]
                for m in inner:
                    m.labelled = False
                insets.append(
                    Panel(
                        panel.name,
                        copies,
                        panel.zones,
                        panel.channels,
                        box,
                        scale,
                        f"{tag} · {view.title}: {inset.name}{which}",
                    )
                )
                panel.frames.append((box, tag))
    return insets


def compose(
    chart: ChartFile, panels: list[Panel], title: str, subtitle: str, legend: Legend,
    r: float, size: float, note: str = "", line_width: float = 1.3, inset_threshold: int = 5,
    header: bool = True,
) -> str:  # fmt: skip
    """Lay out the views in a row, their insets in rows below, the legend last."""
    insets = _make_insets(chart, panels, inset_threshold)
    widths = [chart.views[p.name].width + 2 * _MARGIN for p in panels]
    width = max(sum(widths), 460.0)
    top = 66.0 if header else 22.0
    body: list[str] = []
    x = (width - sum(widths)) / 2
    row_h = max(chart.views[p.name].height for p in panels) + 6 if panels else 0.0
    for panel, w in zip(panels, widths, strict=True):
        view = chart.views[panel.name]
        bounds = (-_MARGIN + 1, -12.0, view.width + _MARGIN - 1, view.height + 2)
        place_labels([m for m in panel.marks if m.labelled], size, bounds, r, panel.marks)
        body.append(
            f'<g class="view" data-view="{panel.name}" transform="translate({num(x + _MARGIN)},{num(top)})">'
        )
        body.append(
            f'<text x="{num(view.width / 2)}" y="-6" font-size="10" font-weight="bold" text-anchor="middle" '
            f'fill="#555">{esc(view.title)}</text>'
        )
        body += figure_svg(view, panel, 1.0)
        body += marks_svg(panel, r, size, line_width)
        body.append("</g>")
        x += w
    y = top + row_h
    x, line_h = 12.0, 0.0
    for inset in insets:
        assert inset.crop is not None
        x0, y0, x1, y1 = inset.crop
        s, k = inset.scale, 1 / inset.scale
        w, h = (x1 - x0) * s, (y1 - y0) * s
        if x + w > width - 8 and x > 12:
            x, y, line_h = 12.0, y + line_h + 24, 0.0
        ox, oy = x - x0 * s, y + 16 - y0 * s
        place_labels(inset.marks, size * k, (x0 + 0.4 * k, y0 + 0.4 * k, x1 - 0.4 * k, y1 - 0.4 * k), r * k)
        body.append(
            f'<text x="{num(x)}" y="{num(y + 10)}" font-size="8.5" font-weight="bold" fill="#555">{esc(inset.title)}</text>'
            f'<rect x="{num(x)}" y="{num(y + 16)}" width="{num(w)}" height="{num(h)}" fill="#ffffff" stroke="#8c8c8c" '
            'stroke-width="0.6"/>'
        )
        body.append(
            f'<g class="view inset" data-view="{inset.name}" transform="translate({num(ox)},{num(oy)}) scale({num(s)})">'
        )
        body += figure_svg(chart.views[inset.name], inset, k)
        body += marks_svg(inset, r * k, size * k, 1.3 * k)
        body.append("</g>")
        x += w + 18
        line_h = max(line_h, h + 16)
    y += line_h + (10 if insets else 0)
    leg, leg_h = legend_svg(legend, width, y)
    height = y + leg_h + (16 if note else 6)
    uid = f"acupoints-{zlib.crc32((title + subtitle).encode()) & 0xFFFFFF:06x}"
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="acupoints-chart" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" role="img" aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{esc(title)}</title>',
        f'<desc id="{uid}-desc">{esc(subtitle)}</desc>',
        f'<g font-family="{FONT}">',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    if header:
        head.append(f'<text x="12" y="22" font-size="15" font-weight="bold" fill="{INK}">{esc(title)}</text>')
        head.append(f'<text x="12" y="38" font-size="9" fill="#555">{esc(subtitle)}</text>')
    tail = leg
    if note:
        tail.append(f'<text x="12" y="{num(height - 6)}" font-size="7.5" fill="#666">{esc(note)}</text>')
    return "\n".join([*head, *body, *tail, "</g>", "</svg>"]) + "\n"
