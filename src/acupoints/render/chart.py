"""The body chart: where each point lies on a standard figure, drawn as SVG by the library.

The figure (three views: front, back, right side), the shaded zone of every region and
the place of every catalogue point are data, ``data/chart.yaml``, validated by
:class:`ChartFile` and read once, on first use. Drawing is pure string building.

>>> from acupoints import Catalog
>>> svg = render_meridian_svg(Catalog.default(), "LU")
>>> svg.startswith("<svg") and 'data-code="LU7"' in svg
True
"""

from __future__ import annotations

import html
import itertools
import math
import threading
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..base.vocab import ROLES
from ..base.words import Region
from ..case.model import Case
from ..catalog.schema import MeridianCode
from ..io.problems import problems_from
from ..io.resources import data_root
from ..io.yaml import load_file

if TYPE_CHECKING:
    from ..catalog.catalog import Catalog
    from ..catalog.records import Point
    from ..engine.result import Suggestion

ViewName = Literal["front", "back", "side"]
VIEWS: tuple[ViewName, ...] = ("front", "back", "side")
XY = tuple[float, float]

#: Marker colours by role (colour-blind safe, dark enough for white text around them).
ROLE_COLOURS: dict[str, str] = {
    "local": "#c0392b",
    "distal": "#1f5fa8",
    "segmental": "#d97b00",
    "adjunct": "#2e8b57",
    "complementary": "#7b5ea7",
}
#: Line colours of the channels (muted, so that the role colours stand out).
CHANNEL_COLOURS: dict[str, str] = {
    "LU": "#8a9a5b", "LI": "#b08d57", "ST": "#c77d7d", "SP": "#b5a642", "HT": "#cf6f8f",
    "SI": "#a07cc5", "BL": "#5b8fb9", "KI": "#4f7f7f", "PC": "#c26ac2", "TE": "#d08a4f",
    "GB": "#5f9e6e", "LR": "#7a9a3a", "GV": "#6c6fb5", "CV": "#b5657a",
}  # fmt: skip
EXCLUDED_COLOUR = "#7b7b7b"
REGION_COLOUR = "#f08a5d"
_SKIN, _OUTLINE, _DETAIL, _INK = "#f6efe7", "#6d635a", "#b8ab9e", "#222222"
_FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
assert set(ROLE_COLOURS) == set(ROLES)


# -- the data file ------------------------------------------------------------------
class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Part(_Frozen):
    """A closed piece of the silhouette; all parts of a layer are drawn as one shape."""

    name: str
    layer: int = Field(default=0, ge=0, le=3)
    points: tuple[XY, ...] = Field(min_length=3)


class Zone(_Frozen):
    """The shaded area of a region (one of several pieces); ``digit`` for one finger or toe."""

    region: Region
    digit: int | None = Field(default=None, ge=1, le=5)
    layer: int = Field(default=0, ge=0, le=3)
    points: tuple[XY, ...] = Field(min_length=3)


class Detail(_Frozen):
    """A thin line drawn on the figure for orientation (eyes, clavicles, navel...)."""

    points: tuple[XY, ...] = Field(min_length=2)
    closed: bool = False
    mirror: bool = True
    width: float = Field(default=0.6, gt=0, le=3)
    dash: bool = False
    layer: int = Field(default=0, ge=0, le=3)


class Inset(_Frozen):
    """A box of a view drawn again, enlarged, when many marks fall in it (head, hands, feet)."""

    name: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 (on the figure's right side)
    mirror: bool = True
    #: Enlargement; by default the box is drawn about 200 units tall.
    scale: float | None = Field(default=None, gt=1, le=6)
    #: Draw the inset only when at least this many marks fall in the box.
    min_marks: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Inset:
        x0, y0, x1, y1 = self.box
        if not (x0 < x1 and y0 < y1):
            raise ValueError("an inset box is [x0, y0, x1, y1] with x0 < x1 and y0 < y1")
        return self


class View(_Frozen):
    """One view of the figure. In a bilateral view the right side is stored and mirrored."""

    title: str
    width: float = Field(gt=0)
    height: float = Field(gt=0)
    bilateral: bool
    parts: tuple[Part, ...] = Field(min_length=1)
    zones: tuple[Zone, ...] = ()
    details: tuple[Detail, ...] = ()
    insets: tuple[Inset, ...] = ()

    @property
    def centre(self) -> float:
        """The x of the midline."""
        return self.width / 2

    def mirror(self, p: XY) -> XY:
        """The same place on the figure's other side."""
        return (self.width - p[0], p[1])


class Place(_Frozen):
    """Where a point lies on each view that shows it (on the figure's right side)."""

    front: XY | None = None
    back: XY | None = None
    side: XY | None = None
    #: False for a place that is on one side only and drawn as stored (EX-HN1@left).
    mirror: bool = True

    @model_validator(mode="after")
    def _somewhere(self) -> Place:
        if self.front is None and self.back is None and self.side is None:
            raise ValueError("a point needs a place on at least one view (front, back or side)")
        return self

    def on(self, view: ViewName) -> XY | None:
        """The stored place on ``view``, or None when the view does not show the point."""
        return self.front if view == "front" else self.back if view == "back" else self.side


class ChartFile(_Frozen):
    """``data/chart.yaml``: the figure's views, the channels' courses and every point's place."""

    views: dict[ViewName, View]
    channels: dict[MeridianCode, tuple[tuple[str, ...], ...]]
    points: dict[str, Place]

    @model_validator(mode="after")
    def _complete(self) -> ChartFile:
        missing = [v for v in VIEWS if v not in self.views]
        if missing:
            raise ValueError(f"views missing: {', '.join(missing)}")
        for view in self.views.values():
            for name, p in self.points.items():
                xy = p.on(_view_name(self, view))
                if xy is not None and not (0 <= xy[0] <= view.width and 0 <= xy[1] <= view.height):
                    raise ValueError(f"{name} lies outside the {view.title} view's box")
        for runs in self.channels.values():
            for run in runs:
                unknown = [c for c in run if c not in self.points]
                if unknown:
                    raise ValueError(f"channel runs name points without a place: {', '.join(unknown)}")
        return self


def _view_name(chart: ChartFile, view: View) -> ViewName:
    for name, v in chart.views.items():
        if v is view:
            return name
    raise KeyError(view.title)  # pragma: no cover - views come from the chart


def read_chart(path: Any = None) -> ChartFile:
    """Read and validate a chart file (the packaged one by default); raises ``LoadError``."""
    doc = load_file(path if path is not None else data_root() / "chart.yaml", collect=True)
    try:
        parsed = ChartFile.model_validate(doc.data)
    except ValidationError as exc:
        doc.check(problems_from(exc, doc, model=ChartFile))
        raise  # pragma: no cover - check() always raises here
    doc.check()
    return parsed


_lock = threading.Lock()
_default: ChartFile | None = None


def default_chart() -> ChartFile:
    """The packaged chart, read on first use and shared."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = read_chart()
    return _default


def check_chart(chart: ChartFile, catalog: Catalog) -> list[str]:
    """Problems between a chart and a catalogue: points or instances without a place, unknown codes."""
    expected: set[str] = set()
    for p in catalog:
        expected.add(p.code)
        expected.update(i.code for i in p.instances)
    out = [f"{c}: no place on the chart" for c in catalog.codes if c not in chart.points]
    out += [f"{c}: no place on the chart" for c in sorted(expected - set(chart.points)) if "@" in c]
    out += [f"{c}: not a catalogue point" for c in sorted(set(chart.points) - expected)]
    for m in catalog.meridians:
        if m not in chart.channels:
            out.append(f"{m}: no channel course")
    return out


# -- geometry -------------------------------------------------------------------------
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


def _oriented(poly: Sequence[XY]) -> tuple[XY, ...]:
    """The polygon wound one way, so that overlapping pieces of one path never cancel out."""
    return tuple(poly) if _area(poly) >= 0 else tuple(reversed(poly))


def figure_polygons(view: View, layer: int | None = None) -> list[tuple[XY, ...]]:
    """The silhouette's polygons of a view (mirrored ones included), optionally of one layer."""
    out: list[tuple[XY, ...]] = []
    for part in view.parts:
        if layer is not None and part.layer != layer:
            continue
        out.append(_oriented(part.points))
        if view.bilateral:
            out.append(_oriented([view.mirror(q) for q in part.points]))
    return out


def on_figure(view: View, p: XY) -> bool:
    """Whether a place lies on the figure of a view."""
    return any(inside(poly, p) for poly in figure_polygons(view))


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


def _sides_of(side: str) -> tuple[str, ...]:
    return ("right",) if side == "right" else ("left",) if side == "left" else ("right", "left", "midline")


# -- label placement ------------------------------------------------------------------
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


def _text_width(text: str, size: float) -> float:
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
        w = _text_width(m.label, size) + 2.4
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


# -- clipping (for the enlarged insets; renderers differ in their support of clip paths) --
Box = tuple[float, float, float, float]


def _clip_polygon(poly: Sequence[XY], box: Box) -> list[XY]:
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


def _clip_line(line: Sequence[XY], box: Box) -> list[list[XY]]:
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


def _in_box(p: XY, box: Box) -> bool:
    return box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3]


# -- drawing --------------------------------------------------------------------------
def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _f(v: float) -> str:
    r = round(v, 2)
    return str(int(r)) if r == int(r) else f"{r:g}"


def _path(points: Iterable[XY], closed: bool) -> str:
    d = "M" + " L".join(f"{_f(x)} {_f(y)}" for x, y in points)
    return d + ("Z" if closed else "")


def _smooth(points: Sequence[XY]) -> str:
    """A smooth open path through the points (Catmull-Rom as cubic Beziers)."""
    pts = list(points)
    if len(pts) < 3:
        return _path(pts, False)
    d = [f"M{_f(pts[0][0])} {_f(pts[0][1])}"]
    for i in range(len(pts) - 1):
        p0, p1, p2, p3 = pts[max(i - 1, 0)], pts[i], pts[i + 1], pts[min(i + 2, len(pts) - 1)]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        d.append(f"C{_f(c1[0])} {_f(c1[1])} {_f(c2[0])} {_f(c2[1])} {_f(p2[0])} {_f(p2[1])}")
    return " ".join(d)


@dataclass
class _Panel:
    """What one view (or one enlarged inset of a view) will show."""

    name: ViewName
    marks: list[Mark] = field(default_factory=list)
    zones: list[tuple[Zone, bool]] = field(default_factory=list)  # zone, mirrored
    channels: list[tuple[str, list[XY]]] = field(default_factory=list)  # meridian, polyline
    crop: Box | None = None
    scale: float = 1.0
    title: str = ""
    frames: list[tuple[Box, str]] = field(default_factory=list)  # inset boxes drawn on a view


def _figure_svg(view: View, panel: _Panel, k: float) -> list[str]:
    """The silhouette, the shaded zones and the detail lines; ``k`` converts pixels to units."""
    crop = panel.crop

    def shape(poly: Sequence[XY]) -> str:
        pts = _clip_polygon(poly, crop) if crop else list(poly)
        return _path(pts, True) if len(pts) > 2 else ""

    def lines(poly: Sequence[XY], closed: bool) -> str:
        pts = list(poly) + ([poly[0]] if closed and crop else [])
        if not crop:
            return _path(pts, closed)
        return " ".join(_path(run, False) for run in _clip_line(pts, crop))

    out: list[str] = []
    for layer in sorted({p.layer for p in view.parts}):
        d = " ".join(filter(None, (shape(p) for p in figure_polygons(view, layer))))
        if d:
            out.append(
                f'<path d="{d}" fill="{_SKIN}" stroke="{_OUTLINE}" stroke-width="{_f(1.5 * k)}" '
                'stroke-linejoin="round"/>'
            )
            out.append(
                f'<path d="{d}" fill="{_SKIN}" stroke="{_SKIN}" stroke-width="{_f(0.7 * k)}" stroke-linejoin="round"/>'
            )
        zd = " ".join(
            filter(None, (shape(_oriented([view.mirror(q) for q in z.points] if m else z.points))
                          for z, m in panel.zones if z.layer == layer))
        )  # fmt: skip
        if zd:
            out.append(
                f'<path class="zone" d="{zd}" fill="{REGION_COLOUR}" fill-opacity="0.38" '
                f'stroke="{REGION_COLOUR}" stroke-opacity="0.38" stroke-width="{_f(0.5 * k)}" stroke-linejoin="round"/>'
            )
        for det in view.details:
            if det.layer != layer:
                continue
            copies = [det.points]
            if view.bilateral and det.mirror:
                copies.append(tuple(view.mirror(q) for q in det.points))
            dd = " ".join(filter(None, (lines(c, det.closed) for c in copies)))
            if dd:
                dash = f' stroke-dasharray="{_f(2 * k)} {_f(1.6 * k)}"' if det.dash else ""
                out.append(
                    f'<path d="{dd}" fill="none" stroke="{_DETAIL}" stroke-width="{_f(det.width * k)}"{dash}/>'
                )
    return out


def _marks_svg(panel: _Panel, r: float, size: float, line_width: float) -> list[str]:
    out: list[str] = []
    for meridian, line in panel.channels:
        colour = CHANNEL_COLOURS.get(meridian, "#888888")
        for run in _clip_line(line, panel.crop) if panel.crop else [line]:
            out.append(
                f'<path class="channel" data-meridian="{_e(meridian)}" d="{_smooth(run)}" fill="none" '
                f'stroke="{colour}" stroke-width="{_f(line_width)}" stroke-opacity="0.8" stroke-linecap="round"/>'
            )
    for box, tag in panel.frames:
        x0, y0, x1, y1 = box
        out.append(
            f'<rect class="frame" x="{_f(x0)}" y="{_f(y0)}" width="{_f(x1 - x0)}" height="{_f(y1 - y0)}" rx="2" '
            'fill="none" stroke="#8c8c8c" stroke-width="0.6" stroke-dasharray="2.5 1.5"/>'
            f'<text x="{_f(x0 + 1.5)}" y="{_f(y0 + 6.5)}" font-size="6.5" font-weight="bold" fill="#6b6b6b">{_e(tag)}</text>'
        )
    labelled = [m for m in panel.marks if m.box[2] > 0]
    for m in labelled:  # leader lines under everything else
        bx, by, bw, bh = m.box
        nx, ny = min(max(m.xy[0], bx), bx + bw), min(max(m.xy[1], by), by + bh)
        if math.hypot(nx - m.xy[0], ny - m.xy[1]) > r * 1.4:
            out.append(
                f'<line x1="{_f(m.xy[0])}" y1="{_f(m.xy[1])}" x2="{_f(nx)}" y2="{_f(ny)}" '
                f'stroke="{m.colour}" stroke-width="{_f(r * 0.2)}" stroke-opacity="0.9"/>'
            )
    for m in panel.marks:
        attrs = f'data-code="{_e(m.code)}" data-view="{panel.name}" data-side="{m.side}"'
        attrs += f' data-role="{_e(m.role)}"' if m.role else ""
        x, y = _f(m.xy[0]), _f(m.xy[1])
        tip = f"<title>{_e(m.title)}</title>" if m.title else ""
        if m.kind == "excluded":
            c = r * 0.62
            out.append(
                f'<g class="excluded" {attrs}>{tip}<circle cx="{x}" cy="{y}" r="{_f(r)}" fill="#ffffff" '
                f'stroke="{EXCLUDED_COLOUR}" stroke-width="{_f(r * 0.3)}"/><path d="M{_f(m.xy[0] - c)} '
                f"{_f(m.xy[1] - c)} L{_f(m.xy[0] + c)} {_f(m.xy[1] + c)} M{_f(m.xy[0] - c)} {_f(m.xy[1] + c)} "
                f'L{_f(m.xy[0] + c)} {_f(m.xy[1] - c)}" stroke="{EXCLUDED_COLOUR}" stroke-width="{_f(r * 0.34)}"/></g>'
            )
        else:
            out.append(
                f'<circle class="point" {attrs} cx="{x}" cy="{y}" r="{_f(r)}" fill="{m.colour}" '
                f'stroke="#ffffff" stroke-width="{_f(r * 0.28)}">{tip}</circle>'
            )
    for m in labelled:
        bx, by, bw, bh = m.box
        tx, ty = bx + bw / 2, by + bh / 2 + size * 0.36
        excluded = m.kind == "excluded"
        ink, border = (EXCLUDED_COLOUR, EXCLUDED_COLOUR) if excluded else (_INK, m.colour)
        dash = f' stroke-dasharray="{_f(size * 0.22)} {_f(size * 0.15)}"' if excluded else ""
        strike = ""
        if excluded:
            sw = _text_width(m.label, size)
            strike = (
                f'<line x1="{_f(tx - sw / 2)}" y1="{_f(by + bh / 2)}" x2="{_f(tx + sw / 2)}" '
                f'y2="{_f(by + bh / 2)}" stroke="{EXCLUDED_COLOUR}" stroke-width="{_f(size * 0.1)}"/>'
            )
        out.append(
            f'<g class="label" data-code="{_e(m.code)}" data-view="{panel.name}" data-side="{m.side}">'
            f'<rect x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" height="{_f(bh)}" rx="{_f(size * 0.25)}" '
            f'fill="#ffffff" fill-opacity="0.92" stroke="{border}" stroke-width="{_f(size * 0.075)}"{dash}/>'
            f'<text x="{_f(tx)}" y="{_f(ty)}" font-size="{_f(size)}" text-anchor="middle" fill="{ink}">'
            f"{_e(m.label)}</text>{strike}</g>"
        )
    return out


@dataclass
class _Legend:
    roles: list[str] = field(default_factory=list)
    excluded: bool = False
    region: bool = False
    channels: list[tuple[str, str]] = field(default_factory=list)  # code, name
    swatches: list[tuple[str, str]] = field(default_factory=list)  # colour, text


def _legend_svg(legend: _Legend, width: float, y: float) -> tuple[list[str], float]:
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
        w = 16 + _text_width(text, size) + 14
        if x + w > width - 8 and x > 12:
            x, row_y = 12.0, row_y + 15
        out.append(
            f'<g class="legend-item" transform="translate({_f(x)},{_f(row_y)})">{swatch}'
            f'<text x="15" y="{_f(size * 0.36)}" font-size="{_f(size)}" fill="#333">{_e(text)}</text></g>'
        )
        x += w
    return out, (row_y - y + 12 if items else 0.0)


_MARGIN = 36.0  # room for labels on each side of a view
_INSET_HEIGHT = 200.0
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _make_insets(chart: ChartFile, panels: list[_Panel], threshold: int) -> list[_Panel]:
    """Enlarged copies of the boxes of each view that hold at least ``threshold`` marks.

    Their marks lose their labels on the view itself, which shows the box instead.
    """
    insets: list[_Panel] = []
    for panel in panels:
        view = chart.views[panel.name]
        for inset in view.insets:
            boxes = [(inset.box, "")]
            if inset.mirror and view.bilateral:
                x0, y0, x1, y1 = inset.box
                boxes.append(((view.width - x1, y0, view.width - x0, y1), " (left)"))
            for box, which in boxes:
                inner = [m for m in panel.marks if _in_box(m.xy, box)]
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
                    _Panel(
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


def _compose(
    chart: ChartFile, panels: list[_Panel], title: str, subtitle: str, legend: _Legend,
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
            f'<g class="view" data-view="{panel.name}" transform="translate({_f(x + _MARGIN)},{_f(top)})">'
        )
        body.append(
            f'<text x="{_f(view.width / 2)}" y="-6" font-size="10" font-weight="bold" text-anchor="middle" '
            f'fill="#555">{_e(view.title)}</text>'
        )
        body += _figure_svg(view, panel, 1.0)
        body += _marks_svg(panel, r, size, line_width)
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
            f'<text x="{_f(x)}" y="{_f(y + 10)}" font-size="8.5" font-weight="bold" fill="#555">{_e(inset.title)}</text>'
            f'<rect x="{_f(x)}" y="{_f(y + 16)}" width="{_f(w)}" height="{_f(h)}" fill="#ffffff" stroke="#8c8c8c" '
            'stroke-width="0.6"/>'
        )
        body.append(
            f'<g class="view inset" data-view="{inset.name}" transform="translate({_f(ox)},{_f(oy)}) scale({_f(s)})">'
        )
        body += _figure_svg(chart.views[inset.name], inset, k)
        body += _marks_svg(inset, r * k, size * k, 1.3 * k)
        body.append("</g>")
        x += w + 18
        line_h = max(line_h, h + 16)
    y += line_h + (10 if insets else 0)
    leg, leg_h = _legend_svg(legend, width, y)
    height = y + leg_h + (16 if note else 6)
    uid = f"acupoints-{zlib.crc32((title + subtitle).encode()) & 0xFFFFFF:06x}"
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="acupoints-chart" viewBox="0 0 {_f(width)} {_f(height)}" '
        f'width="{_f(width)}" height="{_f(height)}" role="img" aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{_e(title)}</title>',
        f'<desc id="{uid}-desc">{_e(subtitle)}</desc>',
        f'<g font-family="{_FONT}">',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    if header:
        head.append(f'<text x="12" y="22" font-size="15" font-weight="bold" fill="{_INK}">{_e(title)}</text>')
        head.append(f'<text x="12" y="38" font-size="9" fill="#555">{_e(subtitle)}</text>')
    tail = leg
    if note:
        tail.append(f'<text x="12" y="{_f(height - 6)}" font-size="7.5" fill="#666">{_e(note)}</text>')
    return "\n".join([*head, *body, *tail, "</g>", "</svg>"]) + "\n"


def _channel_lines(chart: ChartFile, meridian: str, view: ViewName, sides: Iterable[str]) -> list[list[XY]]:
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
    panels = {v: _Panel(v) for v in VIEWS}
    meridians: dict[str, set[str]] = {}
    missing: list[str] = []
    for sp in suggestion.points:
        point = catalog.get(sp.code)
        if point is None:
            missing.append(sp.code)
            continue
        sides = _sides_of(sp.side)
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
                for xy, side in places(chart, code, view, _sides_of(ex.side)):
                    title = f"{code} excluded: {ex.reason}"
                    panels[view].marks.append(
                        Mark(code, code, xy, side, EXCLUDED_COLOUR, "excluded", None, title)
                    )
    if the_case is not None:
        for view in VIEWS:
            panels[view].zones = _affected_zones(chart, the_case, view)
    for meridian, used in sorted(meridians.items(), key=lambda kv: list(catalog.meridians).index(kv[0])):
        for view in VIEWS:
            for line in _channel_lines(chart, meridian, view, tuple(sorted(used)) or ("right", "left")):
                panels[view].channels.append((meridian, line))
    legend = _Legend(
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
    return _compose(
        chart, [panels[v] for v in VIEWS], title, subtitle, legend, 3.4, 7.0, note, 0.9, 4, header
    )


def render_meridian_svg(catalog: Catalog, meridian_code: str, chart: ChartFile | None = None) -> str:
    """One channel on the views that show it: its course, and each point marked with its code."""
    chart = chart or default_chart()
    meridian = catalog.meridian(meridian_code)
    colour = CHANNEL_COLOURS.get(meridian.code, "#555555")
    panels: list[_Panel] = []
    for view in VIEWS:
        panel = _Panel(view)
        for code in meridian.points:
            point = catalog[code]
            for xy, side in places(chart, code, view, ("right",)):
                title = f"{code} {point.pinyin} {point.chinese}: {point.location}"
                panel.marks.append(Mark(code, code, xy, side, colour, "plain", None, title))
        if panel.marks:
            panel.channels = [
                (meridian.code, line) for line in _channel_lines(chart, meridian.code, view, ("right",))
            ]
            panels.append(panel)
    title = f"{meridian.code} — {meridian.name} channel"
    subtitle = (
        f"{meridian.pinyin} {meridian.chinese} · {len(meridian.points)} points, "
        "drawn on the figure's right side; each view shows the points it can see"
    )
    legend = _Legend(channels=[(meridian.code, meridian.name)])
    size = 5.6 if len(meridian.points) > 30 else 6.2
    return _compose(chart, panels, title, subtitle, legend, 2.4, size, inset_threshold=5)


def render_point_svg(catalog: Catalog, code: str, chart: ChartFile | None = None) -> str:
    """One point (or one instance, ``EX-B2@C5``, or a whole group) on the views that show it."""
    chart = chart or default_chart()
    point, instance = catalog.resolve_instance(code)
    codes = [instance.code] if instance else _instance_codes(point, ())
    highlight = "#c0392b"
    panels: list[_Panel] = []
    for view in VIEWS:
        panel = _Panel(view)
        for c in codes:
            for xy, side in places(chart, c, view, ("right",)):
                panel.marks.append(Mark(c, c, xy, side, highlight, "plain", None, f"{c} {point.pinyin}"))
        if panel.marks:
            if point.meridian:
                lines = _channel_lines(chart, point.meridian, view, ("right",))
                panel.channels = [(point.meridian, line) for line in lines]
            panels.append(panel)
    name = f"{point.pinyin} {point.chinese}" + (f" ({point.english})" if point.english else "")
    title = f"{instance.code if instance else point.code} — {name}"
    where = f"{point.region.replace('_', ' ')}, {point.aspect}"
    subtitle = f"{where} · {'channel ' + point.meridian if point.meridian else 'extra point'}"
    legend = _Legend(
        swatches=[(highlight, "the point")],
        channels=[(point.meridian, catalog.meridians[point.meridian].name)] if point.meridian else [],
    )
    return _compose(chart, panels, title, subtitle, legend, 3.0, 6.6, inset_threshold=1)
