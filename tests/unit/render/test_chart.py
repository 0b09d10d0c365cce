"""The body chart: its data file, where points lie, and the SVG and HTML drawn from it."""

from __future__ import annotations

import dataclasses
import itertools
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import acupoints
from acupoints import Case, Catalog, LoadError
from acupoints.io.resources import data_root
from acupoints.render import chart as chart_mod
from acupoints.render import html as html_mod
from acupoints.render.chart import (
    CHANNEL_COLOURS,
    EXCLUDED_COLOUR,
    ROLE_COLOURS,
    VIEWS,
    Mark,
    check_chart,
    default_chart,
    on_figure,
    place_labels,
    places,
    read_chart,
    render_meridian_svg,
    render_point_svg,
    render_suggestion_svg,
)
from acupoints.render.chart import labels as labels_mod
from data.paths import EXAMPLES
from data.raster import rasterise

SVG = "{http://www.w3.org/2000/svg}"
C6 = EXAMPLES / "c6-right.yaml"
PREGNANT = {
    "id": "pregnant-left",
    "complaints": [
        {"region": "hand", "side": "left", "sensations": ["numbness"]},
        {"region": "leg", "aspect": "medial", "side": "left", "sensations": ["pain"]},
    ],
    "flags": ["pregnancy"],
}


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.default()


@pytest.fixture(scope="module")
def chart() -> chart_mod.ChartFile:
    return default_chart()


@pytest.fixture(scope="module")
def c6() -> tuple[Case, acupoints.Suggestion]:
    case = Case.from_file(C6)
    return case, acupoints.suggest(case)


# -- the data file --------------------------------------------------------------------
def test_every_point_and_instance_has_a_place(cat: Catalog, chart: chart_mod.ChartFile) -> None:
    assert check_chart(chart, cat) == []
    assert len(cat) == 409
    for point in cat:
        assert point.code in chart.points
        for inst in point.instances:
            assert inst.code in chart.points


def test_every_place_lies_on_the_figure(chart: chart_mod.ChartFile) -> None:
    outside = []
    for code in chart.points:
        for view in VIEWS:
            for xy, side in places(chart, code, view, ("right", "left")):
                if not on_figure(chart.views[view], xy):
                    outside.append((code, view, side, xy))
    assert outside == []


def test_the_default_chart_is_read_once(chart: chart_mod.ChartFile) -> None:
    assert default_chart() is chart


def test_right_side_placement_follows_the_view(chart: chart_mod.ChartFile) -> None:
    # The figure's right is on the viewer's left in front, on the viewer's right from behind.
    assert (
        places(chart, "PC6", "front", ("right",))[0][0][0]
        < 100
        < places(chart, "PC6", "front", ("left",))[0][0][0]
    )
    assert (
        places(chart, "BL23", "back", ("right",))[0][0][0]
        > 100
        > places(chart, "BL23", "back", ("left",))[0][0][0]
    )
    assert places(chart, "GV14", "back", ("right", "left")) == [
        ((100.0, places(chart, "GV14", "back")[0][0][1]), "midline")
    ]
    assert places(chart, "LI11", "side", ("left",)) == []
    assert places(chart, "LU7", "side", ("right",))[0][1] == "right"


def _ys(chart: chart_mod.ChartFile, codes: list[str], view: str) -> list[float]:
    return [chart.points[c].on(view)[1] for c in codes]  # type: ignore[index,arg-type]


def test_channels_run_the_right_way(cat: Catalog, chart: chart_mod.ChartFile) -> None:
    # LU: down the radial side of the arm to the thumb, after the two chest points.
    lu = [f"LU{i}" for i in range(3, 12) if chart.points[f"LU{i}"].front is not None]
    assert len(lu) >= 8 and chart.points["LU2"].front[1] < chart.points["LU1"].front[1]  # type: ignore[index]
    assert all(a < b for a, b in itertools.pairwise(_ys(chart, ["LU1", *lu], "front")))
    assert all(chart.points[c].front[0] < 100 - 40 for c in lu)  # type: ignore[index]  # on the arm
    side = [f"LU{i}" for i in range(3, 12) if chart.points[f"LU{i}"].side is not None]
    assert "LU7" in side and all(a < b for a, b in itertools.pairwise(_ys(chart, side, "side")))
    # BL: two lines down the back, then down the back of the leg to the little toe.
    inner = [f"BL{i}" for i in range(11, 31)]
    outer = [f"BL{i}" for i in range(41, 55)]
    assert all(a < b for a, b in itertools.pairwise(_ys(chart, inner, "back")))
    assert all(a < b for a, b in itertools.pairwise(_ys(chart, outer, "back")))
    for code in inner[:12]:
        assert 105 < chart.points[code].back[0] < 112  # type: ignore[index]
    for code in outer[:10]:
        assert 116 < chart.points[code].back[0] < 124  # type: ignore[index]
    leg = [f"BL{i}" for i in (36, 37, 40, 55, 56, 57, 58, 59)]
    assert all(a < b for a, b in itertools.pairwise(_ys(chart, leg, "back")))
    assert chart.points["BL67"].side[0] > chart.points["BL60"].side[0]  # type: ignore[index]
    # GV up the back midline, CV up the front midline.
    gv = _ys(chart, [f"GV{i}" for i in range(1, 17)], "back")
    assert all(a > b for a, b in itertools.pairwise(gv))
    cv = _ys(chart, [f"CV{i}" for i in range(2, 25)], "front")
    assert all(a >= b for a, b in itertools.pairwise(cv))
    assert {chart.points[f"GV{i}"].back[0] for i in range(1, 17)} == {100.0}  # type: ignore[index]


def test_segmental_points_share_their_level(cat: Catalog, chart: chart_mod.ChartFile) -> None:
    # A back-shu point and the Jiaji point of its level sit at the same height.
    for point in cat.points_of("BL"):
        if len(point.levels) == 1 and point.levels[0][0] in "TL" and point.number < 30:
            jiaji = chart.points[f"EX-B2@{point.levels[0]}"].back
            assert jiaji is not None and chart.points[point.code].back is not None
            assert chart.points[point.code].back[1] == pytest.approx(jiaji[1], abs=0.05), point.code  # type: ignore[index]


def test_every_channel_has_a_course_through_all_its_points(cat: Catalog, chart: chart_mod.ChartFile) -> None:
    for code, meridian in cat.meridians.items():
        covered = {c for run in chart.channels[code] for c in run}
        assert covered == set(meridian.points), code


def test_a_broken_chart_file_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (data_root() / "chart.yaml").read_text(encoding="utf-8")
    bad = text.replace("  LU1: {front:", "  LU1: {colour: red, front:", 1)
    path = tmp_path / "chart.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_chart(path)
    line = next(i for i, row in enumerate(bad.splitlines(), 1) if row.startswith("  LU1:"))
    assert f"chart.yaml:{line}:" in str(err.value) and "unknown field 'colour'" in str(err.value)
    outside = text.replace("  LU1: {front: [", "  LU1: {front: [9", 1)
    path.write_text(outside, encoding="utf-8")
    with pytest.raises(LoadError, match="outside"):
        read_chart(path)


# -- SVG --------------------------------------------------------------------------------
def _views(svg: str) -> list[tuple[ET.Element, float, float, float]]:
    """Each view group with its offset and scale, from its transform."""
    root = ET.fromstring(svg)
    out = []
    for g in root.iter(f"{SVG}g"):
        if "view" not in (g.get("class") or "").split():
            continue
        m = re.fullmatch(r"translate\(([-\d.]+),([-\d.]+)\)(?: scale\(([\d.]+)\))?", g.get("transform", ""))
        assert m, g.get("transform")
        out.append((g, float(m[1]), float(m[2]), float(m[3] or 1)))
    return out


class Drawn(NamedTuple):
    """A marker as drawn: its code and view, its place on the page and in its view, its colour."""

    code: str
    view: str
    page: tuple[float, float]
    xy: tuple[float, float]
    fill: str
    r: float  # radius on the page
    covered: bool  # a marker drawn later covers its centre


def _points(svg: str) -> list[Drawn]:
    out: list[Drawn] = []
    for g, ox, oy, s in _views(svg):
        circles = [el for el in g.iter(f"{SVG}circle") if el.get("class") == "point"]
        for i, el in enumerate(circles):
            cx, cy, r = (float(el.get(k, 0)) for k in ("cx", "cy", "r"))
            later = circles[i + 1 :]
            covered = any(
                (float(o.get("cx", 0)) - cx) ** 2 + (float(o.get("cy", 0)) - cy) ** 2 < (1.3 * r) ** 2
                for o in later
            )
            page = (ox + s * cx, oy + s * cy)
            out.append(
                Drawn(
                    el.get("data-code", ""),
                    el.get("data-view", ""),
                    page,
                    (cx, cy),
                    el.get("fill", ""),
                    s * r,
                    covered,
                )
            )
    return out


def test_suggestion_svg_parses_and_marks_every_point(
    c6: tuple[Case, acupoints.Suggestion], cat: Catalog, chart: chart_mod.ChartFile
) -> None:
    case, s = c6
    svg = render_suggestion_svg(s, cat, case)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert f"case {s.case}" in root.findtext(f"{SVG}title", "")
    drawn = {el.get("data-code") for el in root.iter() if el.get("class") == "point"}
    for p in s.points:
        expected = {f"{p.code}@{k}" for k in p.instances} if p.instances else {p.code}
        assert expected <= drawn, p.code
    legend = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for role in ROLE_COLOURS:
        assert role in legend
    assert "affected region" in legend and "LI Large Intestine" in legend


def test_suggested_points_are_drawn_inside_their_view(
    c6: tuple[Case, acupoints.Suggestion], cat: Catalog, chart: chart_mod.ChartFile
) -> None:
    case, s = c6
    svg = render_suggestion_svg(s, cat, case)
    marks = _points(svg)
    assert len(marks) >= len(s.points)
    for d in marks:
        assert on_figure(chart.views[d.view], d.xy), d
        assert d.xy in [xy for xy, _ in places(chart, d.code, d.view)], d  # type: ignore[arg-type]


def test_sides_are_respected(cat: Catalog, chart: chart_mod.ChartFile) -> None:
    s = acupoints.suggest(PREGNANT)
    svg = render_suggestion_svg(s, cat, PREGNANT)
    left = [d for d in _points(svg) if (p := s.point(d.code.split("@")[0])) is not None and p.side == "left"]
    assert left
    for d in left:
        assert d.view != "side", d
        assert (d.xy[0] > 100) if d.view == "front" else (d.xy[0] < 100), d


def test_excluded_points_are_struck_out(cat: Catalog) -> None:
    s = acupoints.suggest(PREGNANT)
    assert [e.code for e in s.excluded]
    root = ET.fromstring(render_suggestion_svg(s, cat, PREGNANT))
    crossed = {g.get("data-code") for g in root.iter(f"{SVG}g") if g.get("class") == "excluded"}
    assert {e.code for e in s.excluded} <= crossed
    struck = [g for g in root.iter(f"{SVG}g") if g.get("class") == "label" and g.get("data-code") in crossed]
    assert struck and all(g.find(f"{SVG}line") is not None for g in struck)
    assert "excluded for safety" in " ".join(t.text or "" for t in root.iter(f"{SVG}text"))


def test_regions_are_shaded_only_with_a_case(c6: tuple[Case, acupoints.Suggestion], cat: Catalog) -> None:
    case, s = c6
    with_case = ET.fromstring(render_suggestion_svg(s, cat, case))
    without = ET.fromstring(render_suggestion_svg(s, cat))
    zones = {
        g.get("data-view") for g in with_case.iter(f"{SVG}g") if any(p.get("class") == "zone" for p in g)
    }
    assert {"back"} <= zones  # the dorsal forearm
    assert not any(p.get("class") == "zone" for p in without.iter(f"{SVG}path"))
    as_dict = ET.fromstring(render_suggestion_svg(s, cat, case.to_dict()))
    assert sum(p.get("class") == "zone" for p in as_dict.iter(f"{SVG}path")) == sum(
        p.get("class") == "zone" for p in with_case.iter(f"{SVG}path")
    )


def _label_boxes(svg: str) -> dict[int, list[tuple[str, tuple[float, float, float, float]]]]:
    out: dict[int, list[tuple[str, tuple[float, float, float, float]]]] = {}
    for i, (g, _ox, _oy, _s) in enumerate(_views(svg)):
        for lab in g.iter(f"{SVG}g"):
            if lab.get("class") != "label":
                continue
            rect = lab.find(f"{SVG}rect")
            assert rect is not None
            box = tuple(float(rect.get(k, 0)) for k in ("x", "y", "width", "height"))
            out.setdefault(i, []).append((lab.get("data-code", ""), box))  # type: ignore[arg-type]
    return out


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.parametrize("meridian", sorted(CHANNEL_COLOURS))
def test_no_two_labels_share_a_place(meridian: str, cat: Catalog, chart: chart_mod.ChartFile) -> None:
    svg = render_meridian_svg(cat, meridian)
    ET.fromstring(svg)
    drawn = {el.get("data-code") for el in ET.fromstring(svg).iter() if el.get("class") == "point"}
    assert drawn == set(cat.meridian(meridian).points)
    for boxes in _label_boxes(svg).values():
        for (c1, b1), (c2, b2) in itertools.combinations(boxes, 2):
            assert not _overlap(b1, b2), (meridian, c1, c2)


def test_labels_do_not_overlap_in_a_suggestion(c6: tuple[Case, acupoints.Suggestion], cat: Catalog) -> None:
    case, s = c6
    svg = render_suggestion_svg(s, cat, case)
    boxes = _label_boxes(svg)
    assert sum(len(b) for b in boxes.values()) >= len(s.points)
    for group in boxes.values():
        for (c1, b1), (c2, b2) in itertools.combinations(group, 2):
            assert not _overlap(b1, b2), (c1, c2)


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 200), st.floats(0, 500)), min_size=1, max_size=40),
    st.sampled_from([5.6, 7.0]),
)
def test_label_placement_never_overlaps(spots: list[tuple[float, float]], size: float) -> None:
    marks = [Mark(f"P{i}", f"P{i}", xy, "right", "#000") for i, xy in enumerate(spots)]
    place_labels(marks, size, (-35, -12, 235, 502), 3.0)
    for a, b in itertools.combinations(marks, 2):
        assert not _overlap(a.box, b.box)
    for m in marks:  # a label never hides another marker (unless two marks coincide)
        for o in marks:
            if o is not m and o.xy != m.xy:
                assert not labels_mod._circle_hits(m.box, o.xy, 3.0)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def _raster_check(svg: str, zoom: float = 2.0) -> int:
    pix = rasterise(svg, zoom)
    checked = 0
    for d in _points(svg):
        if d.covered:
            continue
        got = pix.pixel(int(d.page[0] * zoom), int(d.page[1] * zoom))
        want = _rgb(d.fill)
        assert max(abs(a - b) for a, b in zip(got, want, strict=True)) < 40, (d, got, want)
        checked += 1
    return checked


def test_rasterised_chart_has_each_marker_in_its_role_colour(
    c6: tuple[Case, acupoints.Suggestion], cat: Catalog
) -> None:
    case, s = c6
    svg = render_suggestion_svg(s, cat, case)
    assert _raster_check(svg) >= len(s.points)
    # And the background where no point is: the page corner is white, not a marker colour.
    assert rasterise(svg).pixel(2, 2) == (255, 255, 255)


def test_rasterised_excluded_point_is_grey(cat: Catalog) -> None:
    s = acupoints.suggest(PREGNANT)
    svg = render_suggestion_svg(s, cat, PREGNANT)
    root = ET.fromstring(svg)
    pix = rasterise(svg, 3)
    grey = _rgb(EXCLUDED_COLOUR)
    found = 0
    for g, ox, oy, sc in _views(svg):
        for ex in g.iter(f"{SVG}g"):
            if ex.get("class") != "excluded":
                continue
            c = ex.find(f"{SVG}circle")
            assert c is not None
            x, y = ox + sc * float(c.get("cx", 0)), oy + sc * float(c.get("cy", 0))
            assert max(abs(a - b) for a, b in zip(pix.pixel(int(x * 3), int(y * 3)), grey, strict=True)) < 50
            found += 1
    assert found and root is not None


@pytest.mark.parametrize("meridian", ["LU", "BL", "GB"])
def test_rasterised_meridian_markers(meridian: str, cat: Catalog) -> None:
    # Every point shows in its colour somewhere: on a view, or in an enlarged inset.
    svg = render_meridian_svg(cat, meridian)
    _raster_check(svg)
    shown = {d.code for d in _points(svg) if not d.covered}
    assert shown == set(cat.meridian(meridian).points)


def test_point_chart(cat: Catalog, chart: chart_mod.ChartFile) -> None:
    svg = render_point_svg(cat, "Hegu")
    root = ET.fromstring(svg)
    assert "LI4" in root.findtext(f"{SVG}title", "")
    codes = {el.get("data-code") for el in root.iter() if el.get("class") == "point"}
    assert codes == {"LI4"}
    group = ET.fromstring(render_point_svg(cat, "EX-B2"))
    assert {el.get("data-code") for el in group.iter() if el.get("class") == "point"} == {
        i.code for i in cat["EX-B2"].instances
    }
    one = ET.fromstring(render_point_svg(cat, "EX-B2@C5"))
    assert {el.get("data-code") for el in one.iter() if el.get("class") == "point"} == {"EX-B2@C5"}
    with pytest.raises(acupoints.UnknownPointError):
        render_point_svg(cat, "XX99")


def test_drawing_is_deterministic(c6: tuple[Case, acupoints.Suggestion], cat: Catalog) -> None:
    case, s = c6
    assert render_suggestion_svg(s, cat, case) == render_suggestion_svg(s, cat, case)


def test_text_is_escaped(c6: tuple[Case, acupoints.Suggestion], cat: Catalog) -> None:
    _case, s = c6
    evil = dataclasses.replace(s, case='<script>alert("x")</script>&')
    svg = render_suggestion_svg(evil, cat)
    ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


# -- HTML -------------------------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_page_is_self_contained(c6: tuple[Case, acupoints.Suggestion], cat: Catalog) -> None:
    case, s = c6
    page = html_mod.render_suggestion_html(s, cat, case)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    parser = _Tags()
    parser.feed(page)
    names = [t for t, _ in parser.tags]
    assert names.count("svg") == 1 and "table" in names and "style" in names
    for tag, attrs in parser.tags:
        assert tag not in ("script", "link", "img", "iframe"), tag
        for key, value in attrs.items():
            if key in ("src", "href"):
                raise AssertionError(f"external reference {tag} {key}={value}")
    # The SVG namespace, and the addresses in the citations of the rules that fired (text,
    # never a link): nothing else.
    cited = " ".join(acupoints.Engine.default().rulebook[r].source for r in s.rules_fired)
    for url in re.findall(r"https?://[^\s<\"']+", page):
        assert url == "http://www.w3.org/2000/svg" or url.rstrip(").,;") in cited, url
    for p in s.points:
        assert f">{p.code}<" in page
    for heading in ("Points, best first", "Plan", "Advice", "Conflicts between sources"):
        assert heading in page
    assert s.advice[0].text.split(";")[0].replace("'", "&#x27;") in page


def test_html_escapes_everything(c6: tuple[Case, acupoints.Suggestion], cat: Catalog) -> None:
    _case, s = c6
    evil = dataclasses.replace(s, case="<b>x</b>", warnings=("<img src=x onerror=alert(1)>",))
    page = html_mod.render_suggestion_html(evil, cat)
    assert "<img" not in page and "&lt;img src=x" in page and "<b>x</b>" not in page


def test_html_fragments(cat: Catalog) -> None:
    card = html_mod.render_point_html(cat, "LI4")
    assert "Hegu" in card and "<svg" in card and "<html" not in card
    assert cat["LI4"].location.replace("'", "&#x27;") in card
    channel = html_mod.render_meridian_html(cat, "SJ")
    assert "Triple Energizer" in channel and channel.count("<li>") == len(cat.meridian("TE").points)
    referred = acupoints.suggest(
        {"complaints": [{"region": "lower_back", "sensations": ["pain"]}], "red_flags": ["saddle_anesthesia"]}
    )
    page = html_mod.render_suggestion_fragment(referred, cat)
    assert "refer" in page and "<svg" not in page
