"""The shipped safety pack cannot be left out: not by a path, a pack name, a typo, a pack
named like it, a rule id taken from it, or a priority; lint and coverage read a pack alone.

The issue's own repro is the first test: a one-rule pack that selects LI4 and SP6 always,
loaded alone, on the command line and in Python.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import acupoints
from acupoints import Engine, RuleError, load_rulebook, shipped_rules
from acupoints.cli.main import main
from acupoints.rulebook.book import lint, with_safety
from acupoints.runs.coverage import coverage_report

MYPACK = """\
pack: mypack
sources: {S: "My own notes"}
rules:
  - id: always-li4-sp6
    source: S
    summary: "LI4 and SP6 for everyone"
    when: {always: true}
    select: [{points: [LI4, SP6], role: local}]
"""
PREGNANT = {"complaints": [{"region": "hand", "sensations": ["pain"]}], "flags": ["pregnancy"]}
SADDLE = {"complaints": [{"region": "leg", "sensations": ["pain"]}], "red_flags": ["saddle_anesthesia"]}
SAFETY_IDS = {r.id for r in Engine.default().rulebook if r.pack == "safety"}


@pytest.fixture
def mypack(tmp_path: Path) -> Path:
    path = tmp_path / "mypack.yaml"
    path.write_text(MYPACK, encoding="utf-8")
    return path


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_pack_alone_keeps_the_safety_pack(mypack: Path) -> None:
    engine = Engine.from_paths(mypack)
    assert engine.rulebook.packs == ("mypack", "safety")
    assert {r.id for r in engine.rulebook if r.pack == "safety"} == SAFETY_IDS
    pregnant = engine.suggest(PREGNANT)
    assert pregnant.status == "suggested" and pregnant.codes == []
    assert {e.code for e in pregnant.excluded} == {"LI4", "SP6"}
    referred = engine.suggest(SADDLE)
    assert referred.status == "refer" and referred.points == ()


def test_a_pack_alone_on_the_command_line_keeps_the_safety_pack(
    mypack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _write(tmp_path, "case.json", json.dumps(PREGNANT))
    for option in ("--rules", "--add-rules"):
        capsys.readouterr()
        assert main(["suggest", str(case), option, str(mypack), "--format", "json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert "LI4" not in [p["code"] for p in out["points"]], option
        assert {"LI4", "SP6"} <= {e["code"] for e in out["excluded"]}, option
    saddle = _write(tmp_path, "saddle.json", json.dumps(SADDLE))
    assert (
        main(["suggest", str(saddle), "--rules", str(mypack), "--format", "json"]) == 3
    )  # the exit status of a referral
    assert json.loads(capsys.readouterr().out)["status"] == "refer"


def test_add_rules_puts_a_pack_on_top_of_the_shipped_ones(
    mypack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _write(
        tmp_path, "case.json", json.dumps({"complaints": [{"region": "forearm", "sensations": ["pain"]}]})
    )
    main(["suggest", str(case), "--add-rules", str(mypack), "--format", "json"])
    fired = json.loads(capsys.readouterr().out)["rules_fired"]
    assert "always-li4-sp6" in fired and "never-needled" in fired
    assert "upper-limb-yang-surface" in fired or "local-affected-area" in fired
    main(["suggest", str(case), "--rules", str(mypack), "--format", "json"])
    only = json.loads(capsys.readouterr().out)["rules_fired"]
    assert "always-li4-sp6" in only and "local-affected-area" not in only


def test_with_packs_adds_on_top_of_every_shipped_pack(mypack: Path) -> None:
    engine = Engine.with_packs(mypack)
    assert engine.rulebook.packs == ("documents", "library", "classical", "evidence", "safety", "mypack")
    assert Engine.with_packs().rulebook.packs == Engine.default().rulebook.packs
    assert Engine.with_packs(mypack).suggest(PREGNANT).status == "suggested"


def test_shipped_rules_is_the_folder_of_the_shipped_packs() -> None:
    names = sorted(f.name for f in shipped_rules().iterdir() if f.name.endswith(".yaml"))
    assert names == [
        "10-documents-selection.yaml",
        "20-documents-plan.yaml",
        "25-library.yaml",
        "30-classical.yaml",
        "35-textbook-spine.yaml",
        "36-textbook-systemic.yaml",
        "37-textbook-face.yaml",
        "38-textbook-symptoms.yaml",
        "40-classical-methods.yaml",
        "50-evidence.yaml",
        "90-safety.yaml",
    ]
    assert "shipped_rules" in acupoints.__all__
    assert load_rulebook([shipped_rules()]).packs == Engine.default().rulebook.packs


@pytest.mark.parametrize("packs", [["documents"], ["classical"], [], ["documents", "classical"]])
def test_no_packs_argument_leaves_the_safety_pack_out(packs: list[str]) -> None:
    engine = Engine.from_paths(packs=packs)
    assert "safety" in engine.rulebook.packs
    assert {r.id for r in engine.rulebook if r.pack == "safety"} == SAFETY_IDS
    assert engine.suggest(SADDLE).status == "refer"


def test_an_unknown_pack_name_is_an_error_with_did_you_mean(mypack: Path) -> None:
    with pytest.raises(RuleError) as info:
        Engine.from_paths(packs=["saftey"])
    (problem,) = info.value.problems
    assert problem.code == "unknown-pack"
    assert "unknown pack 'saftey' (did you mean 'safety'?)" in problem.message
    with pytest.raises(RuleError, match="did you mean 'mypack'"):
        load_rulebook([mypack], packs=["mypak"])
    # A name that is near nothing still fails, and says what the files hold.
    with pytest.raises(RuleError, match="the files given hold: mypack"):
        Engine.from_paths(mypack, packs=["zzz"])


def test_a_pack_cannot_take_the_safety_name(tmp_path: Path) -> None:
    own = _write(tmp_path, "mine.yaml", MYPACK.replace("pack: mypack", "pack: safety"))
    with pytest.raises(RuleError) as info:
        Engine.from_paths(own)
    assert [p.code for p in info.value.problems] == ["reserved-pack"]
    # A copy of the shipped file, unchanged, is no threat and loads.
    copy = _write(
        tmp_path, "copy.yaml", (Path(str(shipped_rules())) / "90-safety.yaml").read_text(encoding="utf-8")
    )
    assert {r.id for r in load_rulebook([copy])} == SAFETY_IDS


def test_a_rule_cannot_take_the_id_of_a_safety_rule(tmp_path: Path) -> None:
    path = _write(tmp_path, "mine.yaml", MYPACK.replace("always-li4-sp6", "pregnancy-cautions"))
    problems = lint([path])
    assert [p.code for p in problems] == ["safety-rule-replaced"]
    with pytest.raises(RuleError):
        Engine.from_paths(path)


def test_a_hand_built_rule_book_cannot_replace_a_safety_rule(mypack: Path) -> None:
    shipped = load_rulebook()
    mine = load_rulebook([mypack])
    stolen = next(r for r in mine.rules)
    fake = type(shipped)(
        (type(stolen)(stolen.rule.model_copy(update={"id": "never-needled"}), "safety", stolen.path, 1,
                      stolen.source_key, stolen.source, 0, stolen.test),),
        ("safety",),
    )  # fmt: skip
    with pytest.raises(RuleError) as info:
        with_safety(fake)
    assert [p.code for p in info.value.problems] == ["safety-rule-replaced"]
    assert with_safety(shipped) is shipped


def test_lint_checks_a_pack_alone_and_warns_of_a_priority_that_tries_to_undo_safety(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "mine.yaml",
        MYPACK
        + """\
  - id: electroacupuncture-for-all
    source: S
    summary: "Electroacupuncture, whatever the flags"
    priority: 1000
    when: {always: true}
    plan:
      - {key: electroacupuncture, value: true, text: "Electroacupuncture always."}
  - id: a-modest-setting
    source: S
    summary: "A setting that does not try to win"
    priority: 5
    when: {always: true}
    plan:
      - {key: infrared, value: true, text: "Infrared during the retention."}
""",
    )
    problems = lint([path])
    assert [(p.code, p.severity) for p in problems] == [("priority-over-safety", "warning")]
    assert "electroacupuncture" in problems[0].message and "no priority can undo" in problems[0].message
    # A warning does not stop the pack from loading, and the safety decision stands.
    engine = Engine.from_paths(path)
    s = engine.suggest(
        {"complaints": [{"region": "forearm", "sensations": ["pain"]}], "flags": ["pacemaker"]}
    )
    assert s.plan["electroacupuncture"] is False
    assert lint([shipped_rules()]) == []


def test_the_lint_command_prints_warnings_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path,
        "mine.yaml",
        MYPACK.replace(
            "when: {always: true}",
            "priority: 500\n    when: {always: true}\n    plan: [{key: technique, value: [electroacupuncture], text: 'Always with current.'}]",
        ),
    )
    assert main(["lint", str(path)]) == 0
    captured = capsys.readouterr()
    assert "warning[priority-over-safety]" in captured.out and "rules ok" in captured.err


def test_coverage_reports_a_pack_alone(mypack: Path, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    _write(cases, "a.json", json.dumps({"complaints": [{"region": "forearm", "sensations": ["pain"]}]}))
    report = coverage_report([cases], [str(mypack)])
    assert [r.rule for r in report.rules] == ["always-li4-sp6"]
    assert report.complete
