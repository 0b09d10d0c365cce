"""The text views a person reads: the table fits, input stays text, plans read as words,
and every source key and principle id a view shows is explained in it."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

import acupoints
from acupoints.base.principles import PRINCIPLES, SUMMARIES
from acupoints.engine.result import Suggestion
from acupoints.render import escape
from acupoints.render.ansi import Style, wanted
from acupoints.render.formats import FORMATS, for_suffix
from acupoints.render.layout import cells, pad, wrap
from acupoints.render.legend import UNKNOWN_SOURCE, legend, shipped_titles, titles_of
from acupoints.render.plan import plan_values
from acupoints.render.text import as_markdown, as_table, points_table
from data.paths import ROOT

HOSTILE = "\x1b[31mred\x1b[0m<script>alert(1)</script>\u202eevil|x *y* [z](javascript:1)\n# head"
ANSI = re.compile(r"\x1b\[")


@pytest.fixture(scope="module")
def c6() -> Suggestion:
    return acupoints.suggest(acupoints.Case.from_file(ROOT / "examples" / "c6-right.yaml"))


@pytest.fixture(scope="module")
def hostile() -> Suggestion:
    return acupoints.suggest({"id": HOSTILE, "complaints": [{"region": "foot", "sensations": ["numbness"]}]})


# -- the layout --------------------------------------------------------------------------------
def test_wide_characters_take_two_cells() -> None:
    assert [cells(t) for t in ("LI4", "合谷", "三阴交", "Tiānzhù", "e\u0301")] == [3, 4, 6, 7, 1]
    assert pad("合谷", 8) == "合谷    "
    assert pad("12", 4, ">") == "  12"


@given(st.text(alphabet=st.sampled_from("ab 合谷 Tiān\u0301 "), max_size=200), st.integers(2, 60))
def test_wrap_keeps_every_word_within_the_width(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cells(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_the_points_listing_lines_up_chinese_names() -> None:
    cat = acupoints.Catalog.default()
    text = points_table([cat["LI4"], cat["SP6"], cat["BL1"], cat["EX-B2"]])
    regions = [
        cells(line[: line.index(p.region)])
        for line, p in zip(text.splitlines(), [cat["LI4"], cat["SP6"], cat["BL1"], cat["EX-B2"]], strict=True)
    ]
    assert len(set(regions)) == 1, text
    assert "三阴交" in text


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_the_table_fits_the_width(c6: Suggestion, width: int) -> None:
    text = as_table(c6, width=width)
    too_long = [line for line in text.splitlines() if cells(line) > width]
    assert too_long == []
    # Wrapping moves words, never loses them: every reason is there, word for word.
    words = "".join(text.split())
    for p in c6.points:
        assert p.code in words and "".join(p.why.split()) in words


def test_a_wide_terminal_only_moves_words(c6: Suggestion) -> None:
    assert "".join(as_table(c6, width=100).split()) == "".join(as_table(c6).split())


def test_without_a_width_each_point_keeps_one_line(c6: Suggestion) -> None:
    lines = as_table(c6).splitlines()
    for i, p in enumerate(c6.points, 1):
        row = next(line for line in lines if line.split()[:2] == [str(i), p.code])
        assert row.endswith(p.why)


# -- input stays text ----------------------------------------------------------------------------
def test_the_table_escapes_control_characters(hostile: Suggestion) -> None:
    text = as_table(hostile, width=80)
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\x1b[31mred" in text and "\\u202e" in text
    assert not any(unicodedata.category(ch) == "Cc" for ch in text.replace("\n", ""))


def test_markdown_escapes_html_and_markup(hostile: Suggestion) -> None:
    text = as_markdown(hostile)
    title = text.splitlines()[0]
    assert "<script>" not in text and "&lt;script&gt;" in title
    assert "\x1b" not in text and "\\x1b" in title
    assert "\\|x" in title and "\\*y\\*" in title and "\\[z\\]" in title
    assert "\n# head" not in text  # a newline in the input cannot start a heading


def test_html_escapes_too(hostile: Suggestion) -> None:
    page = hostile.to_html()
    assert "<script>alert" not in page and "\x1b" not in page


def test_one_escaping_helper() -> None:
    assert escape.terminal("a\x07b") == "a\\x07b"
    assert escape.markdown("<b>&") == "&lt;b&gt;&amp;"
    assert escape.html("'\"") == "&#x27;&quot;"
    assert escape.visible("合谷 Tiānzhù") == "合谷 Tiānzhù"


# -- colour ------------------------------------------------------------------------------------------
def test_colour_only_when_asked(c6: Suggestion) -> None:
    assert not ANSI.search(as_table(c6, width=80))
    coloured = as_table(c6, width=80, colour=True)
    assert ANSI.search(coloured)
    assert ANSI.sub("", re.sub(r"\x1b\[[0-9;]*m", "", coloured)) == as_table(c6, width=80)
    assert Style(True).status("refer") != Style(True).status("suggested")


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "environ", "expected"),
    [
        (True, {}, True),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),  # no-color.org: set and not empty
        (False, {}, False),
    ],
)
def test_colour_wants_a_terminal_and_no_no_color(tty: bool, environ: dict[str, str], expected: bool) -> None:
    assert wanted(_Stream(tty), environ) is expected  # type: ignore[arg-type]


# -- the plan reads as words ---------------------------------------------------------------------
def test_the_plan_has_no_raw_keys_or_python_values(c6: Suggestion) -> None:
    for view in (as_table(c6, width=100), as_markdown(c6)):
        plan = view.split("lan", 1)[1]
        for raw in ("True", "False", "infrared:", "needles: 6, 40", "peripheral_neuropathy", "gua_sha", "['"):
            assert raw not in plan.split("advice")[0].split("Advice")[0], (raw, view)
    labelled = dict(plan_values(c6.plan))
    assert labelled["Needles"] == "6 to 40"
    assert labelled["Infrared during retention"] == "yes"
    assert labelled["Scope"] == "peripheral neuropathy"
    assert labelled["Session length"] == "15 to 90 minutes"


def test_an_unknown_plan_key_still_reads_as_words() -> None:
    assert plan_values({"rest_days": [2, 3], "use_heat": False, "note_x": "a_b"}) == [
        ("Rest", "2 to 3 days"),
        ("Use heat", "no"),
        ("Note x", "a b"),
    ]


# -- every key is explained --------------------------------------------------------------------------
_KEY = re.compile(r"\(([A-Z][A-Z0-9-]*)\)")


def _shown_keys(text: str) -> set[str]:
    """Source keys in parentheses and principle ids in brackets, as the table writes them."""
    keys = set(_KEY.findall(text))
    for group in re.findall(r"^\s+\[([^\]]+)\]", text, flags=re.MULTILINE):
        keys.update(k.strip() for k in group.split(","))
    return keys


def test_the_table_legend_explains_every_key_it_shows(c6: Suggestion) -> None:
    text = as_table(c6)
    body, legend_part = text.split("legend (sources and principle ids):")
    explained = {line.split(":")[0].strip() for line in legend_part.strip().splitlines()}
    shown = _shown_keys(body)
    assert {"D3", "CAM", "A1", "A8"} <= shown
    assert shown <= explained, shown - explained
    assert UNKNOWN_SOURCE not in legend_part


def test_markdown_and_html_have_a_sources_section(c6: Suggestion) -> None:
    md = as_markdown(c6)
    assert "### Sources" in md
    section = md.split("### Sources", 1)[1]
    for key, meaning in legend(c6):
        assert f"- **{key}**:" in section
        assert escape.markdown(meaning) in section
    page = c6.to_html()
    assert "<h2>Sources</h2>" in page
    assert "Cheng Xinnong" in page and "<dt>T1</dt>" in page


def test_the_legend_uses_the_engines_titles_when_given(c6: Suggestion) -> None:
    engine = acupoints.Engine.default()
    titles = titles_of(engine.rulebook.rules)
    assert titles["CAM"] == shipped_titles()["CAM"]
    mine = dict(legend(c6, {"CAM": "my own citation of CAM"}))
    assert mine["CAM"] == "my own citation of CAM"


def test_every_principle_has_a_summary() -> None:
    assert set(SUMMARIES) == set(PRINCIPLES)


# -- formats by suffix -----------------------------------------------------------------------------
def test_every_format_is_found_by_its_suffixes() -> None:
    for renderer in FORMATS.values():
        for suffix in renderer.suffixes:
            assert for_suffix(suffix) is renderer
            assert for_suffix(suffix.upper()) is renderer
    assert for_suffix(".docx") is None
