"""The body chart: where each point lies on a standard figure, drawn as SVG by the library.

The figure (three views: front, back, right side), the shaded zone of every region and
the place of every catalogue point are data, ``data/chart.yaml``, validated by
:class:`ChartFile` and read once, on first use. Drawing is pure string building.

>>> from acupoints import Catalog
>>> svg = render_meridian_svg(Catalog.default(), "LU")
>>> svg.startswith("<svg") and 'data-code="LU7"' in svg
True

One job a module, from the data up to the page:

- :mod:`.schema`: the data file's models; :mod:`.load`: reading and checking it;
- :mod:`.geometry` and :mod:`.clip`: polygons, and clipping to an inset's box;
- :mod:`.places`: where a point or a channel goes on a view, on which side;
- :mod:`.labels`: label boxes that hide no other label or marker;
- :mod:`.style`: the colours; :mod:`.svg`: the SVG of one view and of the legend;
- :mod:`.layout`: the views, insets and legend on one page;
- :mod:`.drawings`: the three drawings (a suggestion, a channel, a point).
"""

from __future__ import annotations

from .drawings import render_meridian_svg, render_point_svg, render_suggestion_svg
from .geometry import figure_polygons, inside, on_figure
from .labels import Mark, place_labels
from .load import check_chart, default_chart, read_chart
from .places import places
from .schema import VIEWS, XY, ChartFile, Detail, Inset, Part, Place, View, ViewName, Zone
from .style import CHANNEL_COLOURS, EXCLUDED_COLOUR, REGION_COLOUR, ROLE_COLOURS

__all__ = [
    "CHANNEL_COLOURS",
    "EXCLUDED_COLOUR",
    "REGION_COLOUR",
    "ROLE_COLOURS",
    "VIEWS",
    "XY",
    "ChartFile",
    "Detail",
    "Inset",
    "Mark",
    "Part",
    "Place",
    "View",
    "ViewName",
    "Zone",
    "check_chart",
    "default_chart",
    "figure_polygons",
    "inside",
    "on_figure",
    "place_labels",
    "places",
    "read_chart",
    "render_meridian_svg",
    "render_point_svg",
    "render_suggestion_svg",
]
