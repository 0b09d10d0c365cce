"""Clipping to a box, for the enlarged insets: each inset draws only what lies in its box.

The clipping is done here rather than with SVG clip paths, because renderers differ in
their support of those.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .schema import XY, Box

__all__ = ["clip_line", "clip_polygon", "in_box"]


def clip_polygon(poly: Sequence[XY], box: Box) -> list[XY]:
    """The part of a polygon inside a box (Sutherland-Hodgman)."""
    out = list(poly)
    x0, y0, x1, y1 = box
    for axis, bound, keep_above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if not out:
            break
        src, out = out, []
        for i, p in enumerate(src):
            q = src[(i + 1) % len(src)]
            p_in = (p[axis] >= bound) == keep_above
            q_in = (q[axis] >= bound) == keep_above
            if p_in:
                out.append(p)
            if p_in != q_in:
                f = (bound - p[axis]) / (q[axis] - p[axis])
                out.append((p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f))
    return out


def clip_line(line: Sequence[XY], box: Box) -> list[list[XY]]:
    """The runs of a polyline inside a box (Liang-Barsky on each segment)."""
    x0, y0, x1, y1 = box
    runs: list[list[XY]] = []
    run: list[XY] = []
    for p, q in itertools.pairwise(line):
        dx, dy = q[0] - p[0], q[1] - p[1]
        t0, t1 = 0.0, 1.0
        for pp, qq in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
            if pp == 0:
                if qq < 0:
                    t0, t1 = 1.0, 0.0
            else:
                t = qq / pp
                if pp < 0:
                    t0 = max(t0, t)
                else:
                    t1 = min(t1, t)
        if t0 > t1:
            if len(run) > 1:
                runs.append(run)
            run = []
            continue
        a = (p[0] + dx * t0, p[1] + dy * t0)
        b = (p[0] + dx * t1, p[1] + dy * t1)
        if not run or t0 > 0:
            if len(run) > 1:
                runs.append(run)
            run = [a]
        run.append(b)
        if t1 < 1:
            runs.append(run)
            run = []
    if len(run) > 1:
        runs.append(run)
    return runs


def in_box(p: XY, box: Box) -> bool:
    """Whether a place lies in the box (its edges included)."""
    return box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3]
