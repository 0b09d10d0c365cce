"""Where things go on a view: a point's places on each side of the figure, and a channel's lines.

The data file stores each place on the figure's right side; a bilateral view mirrors it
for the left side, and a place on the midline is drawn once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from .schema import XY, ChartFile, ViewName

__all__ = ["Side", "channel_lines", "places", "sides_of"]

Side = Literal["right", "left", "midline"]


def places(
    chart: ChartFile, code: str, view: ViewName, sides: Iterable[str] = ("right", "left")
) -> list[tuple[XY, Side]]:
    """Where to draw ``code`` on ``view`` for the figure's ``sides``, each with the side it is on."""
    place = chart.points.get(code)
    v = chart.views[view]
    xy = place.on(view) if place else None
    if place is None or xy is None:
        return []
    if not place.mirror:
        on_left = (xy[0] > v.centre) if view == "front" else (xy[0] < v.centre) if view == "back" else False
        return [(xy, "left" if on_left else "right")]
    if abs(xy[0] - v.centre) < 0.05 and v.bilateral:
        return [(xy, "midline")]
    wanted = set(sides)
    out: list[tuple[XY, Side]] = []
    if "right" in wanted:
        out.append((xy, "right"))
    if "left" in wanted and v.bilateral:
        out.append((v.mirror(xy), "left"))
    if view == "side" and not out and "midline" in wanted:
        out.append((xy, "midline"))
    return out


def sides_of(side: str) -> tuple[str, ...]:
    """The sides of the figure to draw a point on, for the side a suggestion gives it."""
    return ("right",) if side == "right" else ("left",) if side == "left" else ("right", "left", "midline")


def channel_lines(chart: ChartFile, meridian: str, view: ViewName, sides: Iterable[str]) -> list[list[XY]]:
    """The channel's runs on a view, broken where a point is not shown there."""
    out: list[list[XY]] = []
    v = chart.views[view]
    for side in sides:
        if side == "left" and not v.bilateral:
            continue
        for run in chart.channels.get(meridian, ()):
            line: list[XY] = []
            for code in run:
                got = places(chart, code, view, (side,))
                mid = places(chart, code, view, ("right",)) if not got else []
                spot = got[0][0] if got else (mid[0][0] if mid and mid[0][1] == "midline" else None)
                if spot is None:
                    if len(line) > 1:
                        out.append(line)
                    line = []
                    continue
                line.append(spot)
            if len(line) > 1:
                out.append(line)
    unique: list[list[XY]] = []
    for line in out:
        if line not in unique:
            unique.append(line)
    return unique
