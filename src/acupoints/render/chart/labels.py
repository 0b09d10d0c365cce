"""Label placement: every mark's label goes where it hides no other label and no marker.

:func:`place_labels` only decides the boxes; the SVG module draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .schema import XY

__all__ = ["Mark", "place_labels", "text_width"]


@dataclass
class Mark:
    """One marker on a view, and where its label went."""

    code: str
    label: str
    xy: XY
    side: str
    colour: str
    kind: str = "point"  # point | excluded | plain
    role: str | None = None
    title: str = ""
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # x, y, w, h of the label
    labelled: bool = True  # False when an enlarged inset labels the mark instead


def text_width(text: str, size: float) -> float:
    """A label's width at font ``size``, estimated from its characters (narrow ones count less)."""
    narrow = sum(1 for ch in text if ch in "1Iil.-@ ")
    return size * (0.62 * (len(text) - narrow) + 0.36 * narrow)


def _overlap(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float], pad: float = 0.6
) -> bool:
    return (
        a[0] < b[0] + b[2] + pad
        and b[0] < a[0] + a[2] + pad
        and a[1] < b[1] + b[3] + pad
        and b[1] < a[1] + a[3] + pad
    )


def _circle_hits(box: tuple[float, float, float, float], c: XY, r: float) -> bool:
    nx = min(max(c[0], box[0]), box[0] + box[2])
    ny = min(max(c[1], box[1]), box[1] + box[3])
    return (nx - c[0]) ** 2 + (ny - c[1]) ** 2 < r * r


def place_labels(
    marks: list[Mark], size: float, bounds: tuple[float, float, float, float], r: float,
    others: Sequence[Mark] | None = None,
) -> None:  # fmt: skip
    """Give every mark a label box that overlaps no other label and no marker but its own.

    ``others`` are all the marks of the view (labelled or not), which labels must not hide.

    Labels are placed in turn, from the top, at the cheapest free spot on rings around
    their marker, preferring the side away from the midline. Whatever finds no spot near
    its marker goes to a free slot in the margin column on its side, with a leader line.
    """
    x0, y0, x1, y1 = bounds
    centre = (x0 + x1) / 2
    placed: list[tuple[float, float, float, float]] = []
    h = size * 1.25
    order = sorted(range(len(marks)), key=lambda i: (marks[i].xy[1], marks[i].xy[0]))
    everyone = [o.xy for o in (others if others is not None else marks)]
    directions = [(1, 0), (-1, 0), (1, -0.8), (1, 0.8), (-1, -0.8), (-1, 0.8), (0, -1), (0, 1)]
    for i in order:
        m = marks[i]
        w = text_width(m.label, size) + 2.4
        obstacles = [xy for xy in everyone if xy != m.xy]
        # Away from close neighbours on the same level (two parallel lines label outwards),
        # else away from the midline.
        near = [
            o[0] - m.xy[0]
            for o in obstacles
            if abs(o[1] - m.xy[1]) < h * 1.6 and 0.5 < abs(o[0] - m.xy[0]) < 14 * r
        ]
        lean = sum(1 if dx > 0 else -1 for dx in near)
        out_dir = (-1 if lean > 0 else 1) if lean else (-1 if m.xy[0] < centre - 0.5 else 1)
        best: tuple[float, tuple[float, float, float, float]] | None = None
        for ring, dist in enumerate((r + 1.2, r + 4.5, r + 9, r + 15, r + 22, r + 31, r + 42)):
            for dx, dy in directions:
                cx = m.xy[0] + dx * (dist + w / 2) if dx else m.xy[0]
                cy = m.xy[1] + dy * (dist + h / 2) if dy else m.xy[1]
                box = (cx - w / 2, cy - h / 2, w, h)
                if box[0] < x0 or box[0] + w > x1 or box[1] < y0 or box[1] + h > y1:
                    continue
                if any(_overlap(box, b) for b in placed) or any(
                    _circle_hits(box, o, r + 0.6) for o in obstacles
                ):
                    continue
                cost = dist + (0 if dx == out_dir else 2.5 if dx == 0 else 5.0) + abs(dy) * 1.5
                if best is None or cost < best[0]:
                    best = (cost, box)
            if best is not None and best[0] < (r + 4.5) * 1.8 + ring * 3:
                break
        if best is None:
            best = (0.0, _margin_slot(m, w, h, placed, bounds, out_dir, obstacles, r))
        m.box = best[1]
        placed.append(best[1])


def _margin_slot(
    m: Mark, w: float, h: float, placed: list[tuple[float, float, float, float]],
    bounds: tuple[float, float, float, float], out_dir: int, obstacles: Sequence[XY], r: float,
) -> tuple[float, float, float, float]:  # fmt: skip
    x0, y0, x1, y1 = bounds
    for direction in (out_dir, -out_dir):
        x = x0 + 0.5 if direction < 0 else x1 - w - 0.5
        for k in range(int((y1 - y0) / h) * 2 + 2):
            off = (k + 1) // 2 * (h + 0.8) * (1 if k % 2 else -1)
            y = min(max(m.xy[1] - h / 2 + off, y0), y1 - h)
            box = (x, y, w, h)
            if not any(_overlap(box, b) for b in placed) and not any(
                _circle_hits(box, o, r + 0.6) for o in obstacles
            ):
                return box
    # Past every free slot (hundreds of labels on one view): stack below the view.
    return (x0, y1 + len(placed) * (h + 0.8), w, h)
