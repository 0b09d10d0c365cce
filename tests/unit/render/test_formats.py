"""The output formats' registry: every format reachable from the CLI and from the result."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import acupoints
from acupoints import Case, Catalog, Suggestion, UnknownWordError
from acupoints.cli.main import main
from acupoints.render import formats
from acupoints.render.formats import FORMATS, Renderer

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "c6-right.yaml"


@pytest.fixture(scope="module")
def case() -> Case:
    return Case.from_file(EXAMPLE)


@pytest.fixture(scope="module")
def suggestion(case: Case) -> Suggestion:
    return acupoints.suggest(case)


def _expected(renderer: Renderer, suggestion: Suggestion, case: Case) -> str:
    return renderer.render(
        suggestion,
        case if renderer.needs_case else None,
        Catalog.default() if renderer.needs_catalog else None,
    )


def test_the_registry_holds_the_five_formats_with_their_facts() -> None:
    assert formats.names() == ("table", "json", "markdown", "svg", "html")
    suffixes = [s for r in FORMATS.values() for s in r.suffixes]
    assert len(suffixes) == len(set(suffixes)), "a file suffix names two formats"
    for name, r in FORMATS.items():
        assert r.name == name and r.suffixes and all(s.startswith(".") for s in r.suffixes)
        assert "/" in r.media_type
    assert {r.name for r in FORMATS.values() if r.needs_catalog} == {"svg", "html"}


@pytest.mark.parametrize("name", formats.names())
def test_every_format_is_reachable_from_the_cli(
    name: str, case: Case, suggestion: Suggestion, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["suggest", str(EXAMPLE), "--format", name]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == _expected(FORMATS[name], suggestion, case) + "\n"


@pytest.mark.parametrize("name", formats.names())
def test_every_format_is_reachable_from_the_result(name: str, case: Case, suggestion: Suggestion) -> None:
    renderer = FORMATS[name]
    assert renderer.method is not None, f"no Suggestion method gives the {name} format"
    method = getattr(suggestion, renderer.method)
    got = method(case) if renderer.needs_case else method()
    assert got == _expected(renderer, suggestion, case)


def test_each_to_method_of_the_result_is_a_registered_format() -> None:
    to_methods = {m for m in dir(Suggestion) if m.startswith("to_")} - {"to_dict"}  # to_dict is data
    assert to_methods == {r.method for r in FORMATS.values()} - {"__str__"}


def test_the_display_methods_write_through_the_registry(
    monkeypatch: pytest.MonkeyPatch, case: Case, suggestion: Suggestion
) -> None:
    def fake(name: str) -> Renderer:
        return dataclasses.replace(FORMATS[name], draw=lambda s, c, cat, titles: f"from the registry: {name}")

    monkeypatch.setattr(formats, "get", fake)
    assert str(suggestion) == "from the registry: table"
    assert suggestion.to_markdown() == "from the registry: markdown"
    assert suggestion.to_svg(case) == "from the registry: svg"
    assert suggestion.to_html(case) == "from the registry: html"


def test_a_new_format_is_one_renderer_and_one_registry_line(
    monkeypatch: pytest.MonkeyPatch, suggestion: Suggestion, capsys: pytest.CaptureFixture[str]
) -> None:
    # The example of the module's docstring, registered the way it says.
    def _csv(s: Suggestion, case: object, catalog: object, titles: object) -> str:
        rows = [f"{p.code},{p.side},{p.role},{p.score:g}" for p in s.points]
        return "\n".join(["code,side,role,score", *rows])

    csv = Renderer("csv", (".csv",), "text/csv", _csv)
    monkeypatch.setattr(formats, "FORMATS", formats._registry(*FORMATS.values(), csv))
    assert formats.render("csv", suggestion).splitlines()[1].startswith(f"{suggestion.codes[0]},")
    capsys.readouterr()
    assert main(["suggest", str(EXAMPLE), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("code,side,role,score\n")


def test_two_formats_may_not_share_a_name() -> None:
    with pytest.raises(ValueError, match="two output formats are named 'json'"):
        formats._registry(*FORMATS.values(), FORMATS["json"])


def test_an_unknown_format_is_a_usage_error_naming_the_allowed_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["suggest", str(EXAMPLE), "--format", "pdf"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'pdf'" in err and "Traceback" not in err
    for name in formats.names():
        assert name in err.splitlines()[-1]


def test_an_unknown_format_in_the_api_names_the_allowed_ones(suggestion: Suggestion) -> None:
    with pytest.raises(UnknownWordError) as info:
        formats.render("markdwon", suggestion)
    message = str(info.value)
    assert "unknown output format 'markdwon'" in message and "did you mean 'markdown'" in message
    assert message.endswith("allowed: " + ", ".join(formats.names()))


def test_a_format_that_reads_the_catalogue_refuses_to_run_without_one(suggestion: Suggestion) -> None:
    with pytest.raises(TypeError, match="the svg format needs a catalogue"):
        formats.render("svg", suggestion)
    assert formats.render("svg", suggestion, catalog=Catalog.default()) == suggestion.to_svg()
