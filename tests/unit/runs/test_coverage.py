"""Rule coverage: every rule of the shipped rulebook fires in some case of tests/data/cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acupoints import CaseError, Engine
from acupoints.cli.main import main
from acupoints.runs.coverage import CoverageReport, coverage_report, read_case
from data.paths import CASES, ROOT

ONE_RULE = """\
pack: mini
sources: {D3: "Understanding and Treating Peripheral Neuropathy with Acupuncture"}
rules:
  - id: forearm-yang
    principles: [P5]
    source: D3
    summary: "Forearm: Waiguan"
    when: {complaint: {region: [forearm]}}
    select: [{points: [TE5], role: local}]
  - id: plantar-medial
    principles: [P9]
    source: D3
    summary: "Sole: Sanyinjiao"
    when: {complaint: {region: [foot], aspect: [plantar]}}
    select: [{points: [SP6], role: local}]
"""
FOREARM = "id: fa\ncomplaints: [{region: forearm, sensations: [numbness]}]\n"
SOLE = "id: sole\ncomplaints: [{region: foot, aspect: plantar, sensations: [numbness]}]\n"


@pytest.fixture(scope="module")
def report() -> CoverageReport:
    return coverage_report([CASES])


def test_every_shipped_rule_fires_in_some_case(report: CoverageReport) -> None:
    assert report.complete, f"rules no case makes fire: {', '.join(report.never_fired)}"


def test_the_report_covers_the_whole_rulebook_in_order(report: CoverageReport) -> None:
    assert [r.rule for r in report.rules] == [r.id for r in Engine.default().rulebook]
    assert report.cases == len(list(CASES.glob("*.yaml")))


def test_counts_agree_with_the_engine(report: CoverageReport) -> None:
    """Each rule's count is the number of cases whose suggestion lists it among the rules fired."""
    engine = Engine.default()
    fired: dict[str, int] = {}
    for path in sorted(CASES.glob("*.yaml")):
        for rid in engine.suggest(read_case(path)).rules_fired:
            fired[rid] = fired.get(rid, 0) + 1
    assert {r.rule: r.count for r in report.rules if r.count} == fired


def test_report_shape_with_custom_rules(tmp_path: Path) -> None:
    rules = tmp_path / "mini.yaml"
    rules.write_text(ONE_RULE, encoding="utf-8")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "a.yaml").write_text(FOREARM, encoding="utf-8")
    (tmp_path / "cases" / "b.json").write_text(
        json.dumps({"complaints": [{"region": "forearm", "sensations": ["pain"]}]}), encoding="utf-8"
    )
    (tmp_path / "cases" / "notes.txt").write_text("not a case", encoding="utf-8")
    report = coverage_report([tmp_path / "cases"], [str(rules)])
    assert report.cases == 2
    assert report.count("forearm-yang") == 2
    assert report.count("plantar-medial") == 0
    assert report.never_fired == ("plantar-medial",)
    assert not report.complete
    with pytest.raises(KeyError):
        report.count("no-such-rule")

    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["cases"] == 2 and data["complete"] is False
    assert data["never_fired"] == ["plantar-medial"]
    assert [r["rule"] for r in data["rules"]] == ["forearm-yang", "plantar-medial"]
    assert data["rules"][0]["count"] == 2 and data["rules"][0]["pack"] == "mini"
    assert [Path(c).name for c in data["rules"][0]["cases"]] == ["a.yaml", "b.json"]

    text = report.as_text()
    lines = text.splitlines()
    assert lines[0].split() == ["rule", "pack", "cases"]
    assert lines[1].split() == ["forearm-yang", "mini", "2"]
    assert lines[2].split()[:3] == ["plantar-medial", "mini", "0"] and "never fired" in lines[2]
    assert "2 case(s), 2 rule(s), 1 fired (50.0%)" in text
    assert lines[-1] == "never fired (1): plantar-medial"

    # Add the missing case: now complete, and the summary says so.
    sole = tmp_path / "sole.yaml"
    sole.write_text(SOLE, encoding="utf-8")
    full = coverage_report([tmp_path / "cases", sole], [str(rules)])
    assert full.complete and full.never_fired == ()
    assert full.count("plantar-medial") == 1
    assert "never fired" not in full.as_text()
    assert "3 case(s), 2 rule(s), 2 fired (100.0%)" in full.as_text()


def test_test_case_files_and_plain_case_files_both_read(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(SOLE, encoding="utf-8")
    wrapped = tmp_path / "wrapped.yaml"
    wrapped.write_text(
        "description: the same case\nprinciples: [P9]\ncase:\n"
        + "".join(f"  {line}\n" for line in SOLE.splitlines())
        + "expect: {status: suggested}\n",
        encoding="utf-8",
    )
    assert read_case(plain) == read_case(wrapped)


def test_bad_cases_are_all_reported_with_positions(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "complaints: [{region: forarm, sensations: [numbness]}]\n", encoding="utf-8"
    )
    (tmp_path / "b.yaml").write_text(
        "description: wrapped\ncase:\n  complaints:\n    - region: foot\n      sensations: [numbnes]\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError) as info:
        coverage_report([tmp_path])
    problems = info.value.problems
    assert [(Path(p.path).name, p.line, p.code) for p in problems] == [
        ("a.yaml", 1, "unknown-word"),
        ("b.yaml", 5, "unknown-word"),
    ]
    assert "did you mean 'forearm'" in problems[0].message
    assert "did you mean 'numbness'" in problems[1].message


def test_a_folder_without_cases_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="no case files"):
        coverage_report([tmp_path])


def test_cli_coverage_exits_0_on_the_shipped_cases(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", str(CASES)]) == 0
    out = capsys.readouterr().out
    assert "(100.0%)" in out and "never fired" not in out


def test_cli_coverage_exits_1_when_a_rule_never_fires(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "mini.yaml"
    rules.write_text(ONE_RULE, encoding="utf-8")
    case = tmp_path / "fa.yaml"
    case.write_text(FOREARM, encoding="utf-8")
    assert main(["coverage", str(case), "--rules", str(rules)]) == 1
    assert "never fired (1): plantar-medial" in capsys.readouterr().out


def test_cli_coverage_exits_2_on_a_bad_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "bad.yaml"
    case.write_text("complaints: []\n", encoding="utf-8")
    assert main(["coverage", str(case)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:1:" in err and "Traceback" not in err


def test_cli_coverage_relative_path_from_the_project_root(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["coverage", "tests/data/cases"]) == 0
    assert "case(s)" in capsys.readouterr().out
