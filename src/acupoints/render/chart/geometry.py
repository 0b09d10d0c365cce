"""Plane geometry of the figure: point in polygon, winding, and the silhouette's polygons."""

from __future__ import annotations

from collections.abc import Sequence

from .schema import XY, View

__all__ = ["figure_polygons", "inside", "on_figure", "oriented"]


def inside(poly: Sequence[XY], p: XY) -> bool:
    """Whether ``p`` lies inside the polygon (even-odd rule).

    >>> inside([(0, 0), (10, 0), (10, 10), (0, 10)], (5, 5)), inside([(0, 0), (10, 0), (0, 10)], (9, 9))
    (True, False)
    """
    x, y = p
    hit = False
    n = len(poly)
    for i in range(n):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _area(poly: Sequence[XY]) -> float:
    n = len(poly)
    return sum(poly[i][0] * poly[(i + 1) % n][1] - poly[(i + 1) % n][0] * poly[i][1] for i in range(n)) / 2


def oriented(poly: Sequence[XY]) -> tuple[XY, ...]:
    """The polygon wound one way, so that overlapping pieces of one path never cancel out."""
    return tuple(poly) if _area(poly) >= 0 else tuple(reversed(poly))


def figure_polygons(view: View, layer: int | None = None) -> list[tuple[XY, ...]]:
    """The silhouette's polygons of a view (mirrored ones included), optionally of one layer."""
    out: list[tuple[XY, ...]] = []
    for part in view.parts:
        if layer is not None and part.layer != layer:
            continue
        out.append(oriented(part.points))
        if view.bilateral:
            out.append(oriented([view.mirror(q) for q in part.points]))
    return out


def on_figure(view: View, p: XY) -> bool:
    """Whether a place lies on the figure of a view."""
    return any(inside(poly, p) for poly in figure_polygons(view))
