"""The command line, run in-process through ``main`` (and once as a real subprocess)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import acupoints
from acupoints.cli.main import main
from data.paths import BROKEN, ROOT

EXAMPLE = ROOT / "examples" / "c6-right.yaml"

CASE_YAML = """\
id: from-stdin
complaints:
  - region: foot
    aspect: plantar
    side: left
    sensations: [numbness]
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_clear_error(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for w in words:
        assert w in lines[0], (w, lines[0])


# -- suggest ----------------------------------------------------------------------------------
def test_suggest_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "suggest", str(EXAMPLE))
    assert code == 0 and err == ""
    expected = acupoints.suggest(acupoints.Case.from_file(EXAMPLE))
    assert out.startswith("case: c6-right   status: suggested")
    rows = [line.split() for line in out.splitlines() if line[:3].strip().isdigit()]
    assert [r[1] for r in rows] == expected.codes
    assert "plan:" in out and "advice:" in out and "[A3]" in out


def test_suggest_json_is_the_contract_result(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "suggest", str(EXAMPLE), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data == acupoints.suggest(acupoints.Case.from_file(EXAMPLE)).to_dict()
    assert data["status"] == "suggested" and data["case"] == "c6-right"
    assert all(p["code"] and p["rules"] for p in data["points"])


def test_suggest_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "suggest", str(EXAMPLE), "--format", "markdown")
    assert code == 0
    assert out.startswith("## Suggestion for c6-right")
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert table[0].replace(" ", "") == "|#|code|name|side|role|score|why|"
    top = acupoints.suggest(acupoints.Case.from_file(EXAMPLE)).points[0]
    assert table[1].startswith(f"| 1 | {top.code} | {top.name} |")


def test_suggest_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, "suggest", str(EXAMPLE), "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["case"] == "c6-right"


def test_suggest_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CASE_YAML.encode("utf-8"))))
    code, out, _ = run(capsys, "suggest", "-", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["case"] == "from-stdin" and "SP6" in [p["code"] for p in data["points"]]


def test_suggest_from_stdin_reports_problems_as_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(b"complaints: [{region: fot, sensations: [pain]}]\n"))
    )
    code, out, err = run(capsys, "suggest", "-")
    assert_one_clear_error(code, out, err, "<stdin>:1:", "did you mean 'foot'")


def test_suggest_with_custom_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "r.yaml"
    rules.write_text(
        "pack: mini\nsources: {D3: D3}\nrules:\n  - id: only-te5\n    source: D3\n    summary: just Waiguan\n"
        "    when: {always: true}\n    select: [{points: [TE5], role: local}]\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "suggest", str(EXAMPLE), "--format", "json", "--rules", str(rules))
    assert code == 0
    assert [p["code"] for p in json.loads(out)["points"]] == ["TE5"]


# -- explain ------------------------------------------------------------------------------------
def test_explain_points(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", str(EXAMPLE), "--point", "Tianzhu", "--point", "GV3")
    assert code == 0
    first, second = out.strip().split("\n\n")
    assert first.startswith("BL10 Tianzhu: chosen.")
    assert "cervical-compression-named-points" in first
    assert second.startswith("GV3 Yaoyangguan: not-chosen.")
    assert "FALSE level between L1 and S5" in second


def test_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", str(EXAMPLE), "--point", "BL10", "--format", "json")
    assert code == 0
    [item] = json.loads(out)
    assert item["code"] == "BL10" and item["status"] == "chosen"
    assert {c["rule"] for c in item["chosen_by"]} >= {"cervical-compression-named-points"}


# -- lint -----------------------------------------------------------------------------------------
def test_lint_the_shipped_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lint")
    assert (code, out) == (0, "")
    assert err.strip() == "rules ok"
    assert run(capsys, "lint", str(ROOT / "rules"))[0] == 0


def test_lint_the_broken_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lint", str(BROKEN / "unknown-point.yaml"))
    assert code == 1
    assert "error[unknown-point] unknown point code 'LI-44' (did you mean 'LI4'?)" in out
    assert err.strip() == "3 error(s) in 1 path(s)"
    assert "Traceback" not in err


# -- schema -----------------------------------------------------------------------------------------
def test_schema_case(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "case")
    assert code == 0
    schema = json.loads(out)
    assert "complaints" in schema["properties"] and "complaints" in schema["required"]
    assert schema == acupoints.Case.json_schema()


def test_schema_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "rules")
    assert code == 0
    schema = json.loads(out)
    assert {"pack", "sources", "rules"} <= set(schema["properties"])
    # The condition's `not` keeps its YAML name in the schema.
    assert "not" in schema["$defs"]["Condition"]["properties"]


# -- points -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", [["BL32"], ["Ci Liao"], ["Ci", "Liao"], ["ciliao"], ["UB32"]])
def test_point_card_for_ciliao(query: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "point", *query)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["BL32", "Ciliao"]
    assert any("S2" in line for line in lines)
    assert any("pregnancy" in line.lower() for line in lines)


@pytest.mark.parametrize("query", ["TE-5", "SJ5", "te 5", "Waiguan"])
def test_point_card_by_alias(query: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "point", query)
    assert code == 0
    assert out.splitlines()[0].split()[:2] == ["TE5", "Waiguan"]


def test_points_of_a_meridian_in_a_region(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "points", "--meridian", "BL", "--region", "lower_back")
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    codes = [r[0] for r in rows]
    cat = acupoints.Catalog.default()
    expected = [p.code for p in cat if p.meridian == "BL" and p.region == "lower_back"]
    assert codes == expected and "BL25" in codes and "BL32" not in codes
    assert all(r[3] == "lower_back" for r in rows)
    assert err.strip() == f"{len(expected)} point(s)"


def test_points_by_level(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "points", "--meridian", "GV", "--level", "L4")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["GV3"]


# -- errors: exit 2, one clear line, no traceback ---------------------------------------------------
def test_unknown_point(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "point", "LI-44")
    assert_one_clear_error(code, out, err, "unknown point 'LI-44'", "did you mean", "'LI4'")


def test_explain_an_unknown_point(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", str(EXAMPLE), "--point", "XX99")
    assert_one_clear_error(code, out, err, "unknown point 'XX99'")


def test_bad_case_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("complaints:\n  - region: forarm\n    sensations: [numbness]\n", encoding="utf-8")
    code, out, err = run(capsys, "suggest", str(bad))
    assert_one_clear_error(code, out, err, f"{bad}:2:5:", "error[unknown-word]", "did you mean 'forearm'")


def test_a_case_file_that_is_not_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("complaints: [region: forearm\n", encoding="utf-8")
    code, out, err = run(capsys, "suggest", str(bad))
    assert_one_clear_error(code, out, err, f"{bad}:", "error[yaml-syntax]")


def test_a_missing_case_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "suggest", str(tmp_path / "nope.yaml"))
    assert_one_clear_error(code, out, err, "nope.yaml:1:1: error[not-found]")


def test_unknown_region_on_points(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "points", "--region", "forarm")
    assert_one_clear_error(code, out, err, "unknown region 'forarm'", "did you mean 'forearm'", "allowed:")


def test_unknown_meridian_on_points(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "points", "--meridian", "XX")
    assert_one_clear_error(code, out, err, "meridian 'XX'", "allowed:")
    assert "unknown point" not in err


def test_a_bad_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["suggest", str(EXAMPLE), "--format", "pdf"])
    assert info.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


# -- a real process ---------------------------------------------------------------------------------
def test_the_module_runs_as_a_program() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "acupoints.cli.main", "suggest", "-", "--format", "json"],
        input=CASE_YAML, capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["case"] == "from-stdin"
    bad = subprocess.run(
        [sys.executable, "-m", "acupoints.cli.main", "point", "LI-44"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stdout == ""
    assert "unknown point 'LI-44'" in bad.stderr and "Traceback" not in bad.stderr
    lint = subprocess.run(
        [sys.executable, "-m", "acupoints.cli.main", "lint", "tests/data/broken_rules"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert lint.returncode == 1
    assert all(line.startswith("tests/data/broken_rules/") for line in lint.stdout.splitlines())
