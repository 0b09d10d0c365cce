"""Batch runs in every format that writes one case after another."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from acupoints import Case, Engine, UnknownWordError
from acupoints.cli.main import main
from acupoints.render import formats
from acupoints.render.text import as_markdown, as_table
from acupoints.runs.batch import run_batch

GOOD = {"id": "good", "complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]}
#: A bad line (2) and a blank one (4) between valid cases, whose numbers head their reports.
LINES = [
    json.dumps(GOOD),
    '{"id": "broken", "complaints": [',
    json.dumps({**GOOD, "id": "second"}),
    "",
    json.dumps({"complaints": [{"region": "foot", "aspect": "plantar", "sensations": ["pain"]}]}),
]
VALID = {1: GOOD, 3: {**GOOD, "id": "second"}, 5: json.loads(LINES[4])}


def _run(format: str, **options: Any) -> str:
    out = io.StringIO()
    run_batch(io.StringIO("\n".join(LINES) + "\n"), out, progress=False, format=format, **options)
    return out.getvalue()


def _suggest(data: dict[str, Any]) -> Any:
    return Engine.default().suggest(Case.from_dict(data))


def test_the_default_is_json_lines_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    text = _run("jsonl")
    capsys.readouterr()
    assert text == "".join(
        json.dumps({"line": n, **_suggest(d).to_dict()}, ensure_ascii=False) + "\n" for n, d in VALID.items()
    )
    out = io.StringIO()
    run_batch(io.StringIO("\n".join(LINES) + "\n"), out, progress=False)
    assert out.getvalue() == text


def test_markdown_writes_one_report_per_case_headed_with_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    text = _run("markdown")
    assert "<input>:2:" in capsys.readouterr().err  # the bad line is still reported
    assert text == "".join(as_markdown(_suggest(d), line=n) + "\n" for n, d in VALID.items())
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Suggestion for good (line 1)",
        "## Suggestion for second (line 3)",
        "## Suggestion for the case (line 5)",
    ]


def test_table_writes_one_table_per_case_with_a_blank_line_between() -> None:
    text = _run("table")
    assert text == "\n".join(as_table(_suggest(d), line=n) + "\n" for n, d in VALID.items())
    assert text.startswith("line 1   case: good   status: ")
    assert "\n\nline 3   case: second   status: " in text


def test_two_workers_write_the_same_markdown_as_one() -> None:
    assert _run("markdown", workers=2, chunk_size=1) == _run("markdown")


@pytest.mark.parametrize("name", formats.stream_names())
def test_every_batch_format_is_reachable_from_the_cli(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    target = tmp_path / "out"
    assert main(["suggest-batch", str(src), "-o", str(target), "--format", name]) == 1  # line 2 is bad
    capsys.readouterr()
    out = io.StringIO()
    run_batch(src, out, progress=False, format=name)
    assert target.read_text(encoding="utf-8") == out.getvalue()


def test_the_command_writes_json_lines_without_format(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    main(["suggest-batch", str(src), "-o", str(tmp_path / "default")])
    main(["suggest-batch", str(src), "-o", str(tmp_path / "jsonl"), "--format", "jsonl"])
    assert (tmp_path / "default").read_bytes() == (tmp_path / "jsonl").read_bytes()


def test_an_unknown_batch_format_is_a_usage_error_naming_the_allowed_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["suggest-batch", "cases.jsonl", "--format", "svg"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'svg'" in err
    for name in formats.stream_names():
        assert name in err.splitlines()[-1]


def test_run_batch_refuses_an_unknown_format_before_reading() -> None:
    def lines() -> Any:
        raise AssertionError("the input was read")
        yield ""  # pragma: no cover

    with pytest.raises(UnknownWordError, match=r"unknown batch output format 'html'.*allowed: table, jsonl"):
        run_batch(lines(), io.StringIO(), format="html")
