"""The chart's data file, ``data/chart.yaml``: its schema, as frozen pydantic models.

The figure has three views (front, back, right side). Each view holds the silhouette's
parts, the shaded zone of every region, thin detail lines and the boxes drawn enlarged
when marks crowd them; the file also gives every catalogue point's place on each view
and the course of every channel as runs of point codes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...base.vocab import MERIDIANS
from ...base.words import Region, one_of

__all__ = [
    "VIEWS",
    "XY",
    "Box",
    "ChannelCode",
    "ChartFile",
    "Detail",
    "Inset",
    "Part",
    "Place",
    "View",
    "ViewName",
    "Zone",
]

ViewName = Literal["front", "back", "side"]
VIEWS: tuple[ViewName, ...] = ("front", "back", "side")
#: A place on a view, in the view's units (x to the viewer's right, y down).
XY = tuple[float, float]
#: A rectangle as ``(x0, y0, x1, y1)``.
Box = tuple[float, float, float, float]
#: A channel's code. Written here from the bottom layer's vocabulary, so that the chart
#: does not import the catalogue's schema at run time.
ChannelCode = Annotated[str, one_of(MERIDIANS, "meridian")]


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
    channels: dict[ChannelCode, tuple[tuple[str, ...], ...]]
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
