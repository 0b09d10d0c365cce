"""The engine: determinism, pickling, multi-match semantics, the JSON contract, explanations."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import acupoints
from acupoints import Case, CaseError, Engine, Explanation, Suggestion
from acupoints.engine.engine import ROLE_WEIGHT
from data.paths import CASES, ROOT

C6: dict[str, Any] = {
    "id": "c6",
    "complaints": [
        {"region": "forearm", "aspect": "dorsal", "side": "right", "sensations": ["numbness", "pain"]},
        {"region": "fingers", "digits": [1, 2], "side": "right", "sensations": ["numbness"]},
    ],
    "cause": {"kind": "nerve_root_compression", "levels": ["C6"]},
    "tenderness": "pronounced",
    "tender_points": ["BL10", "GB21"],
}
PREGNANT_PLANTAR: dict[str, Any] = {
    "id": "pregnant-plantar",
    "complaints": [{"region": "foot", "aspect": "plantar", "side": "left", "sensations": ["numbness"]}],
    "flags": ["pregnancy"],
}
CAUDA_EQUINA: dict[str, Any] = {
    "id": "ces",
    "complaints": [{"region": "leg", "side": "both", "sensations": ["numbness"]}],
    "cause": {"kind": "nerve_root_compression", "levels": ["L5", "S1"]},
    "red_flags": ["saddle_anesthesia"],
}

HEADER = 'pack: {pack}\nsources: {{D3: "Understanding and Treating Peripheral Neuropathy with Acupuncture"}}\nrules:\n'


def rule(rid: str, when: str, actions: str, principles: str = "[P2]") -> str:
    return (
        f"  - id: {rid}\n    principles: {principles}\n    source: D3\n    summary: 'Test rule {rid}'\n"
        f"    when: {when}\n" + "".join(f"    {line}\n" for line in actions.strip().splitlines())
    )


def rule_file(tmp_path: Path, name: str, *rules: str, pack: str = "test") -> Path:
    path = tmp_path / name
    path.write_text(HEADER.format(pack=pack) + "".join(rules), encoding="utf-8")
    return path


FOREARM = {"complaints": [{"region": "forearm", "side": "left", "sensations": ["numbness"]}]}
ALWAYS = "{always: true}"


# -- determinism ----------------------------------------------------------------------------
def test_the_same_case_gives_the_same_json_byte_for_byte() -> None:
    engine = Engine.default()
    first = engine.suggest(C6).to_json()
    assert engine.suggest(C6).to_json() == first
    assert engine.suggest(Case.from_dict(C6)).to_json() == first
    # A fresh engine over the same files, and the suggestions of a batch, agree too.
    fresh = Engine.from_paths(ROOT / "rules")
    assert fresh.suggest(C6).to_json() == first
    batch = list(engine.suggest_many([C6, PREGNANT_PLANTAR, C6]))
    assert batch[0].to_json() == batch[2].to_json() == first


def test_results_do_not_depend_on_hash_seeds() -> None:
    """Two processes with different string hashing print the same JSON for every test case."""
    code = (
        "import sys, pathlib, yaml, acupoints\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
        "    print(acupoints.suggest(yaml.safe_load(p.read_text())['case']).to_json(indent=None))\n"
    )
    outs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code, str(CASES)], capture_output=True, text=True, env=env, check=True
        )
        outs.append(done.stdout)
    assert outs[0] == outs[1]
    assert outs[0].count("\n") == len(list(CASES.glob("*.yaml")))


# -- pickling -------------------------------------------------------------------------------
def test_engine_and_suggestion_pickle() -> None:
    engine = Engine.default()
    clone = pickle.loads(pickle.dumps(engine))
    assert isinstance(clone, Engine)
    assert [r.id for r in clone.rulebook] == [r.id for r in engine.rulebook]
    for case in (C6, PREGNANT_PLANTAR, CAUDA_EQUINA):
        s = engine.suggest(case)
        assert clone.suggest(case).to_json() == s.to_json()
        again = pickle.loads(pickle.dumps(s))
        assert isinstance(again, Suggestion)
        assert again == s and again.to_json() == s.to_json()


def test_a_custom_engine_pickles_with_its_rules(tmp_path: Path) -> None:
    path = rule_file(tmp_path, "r.yaml", rule("r1", ALWAYS, "select: [{points: [LI4], role: local}]"))
    engine = Engine.from_paths(path)
    clone = pickle.loads(pickle.dumps(engine))
    assert clone.suggest(FOREARM).codes == engine.suggest(FOREARM).codes == ["LI4"]


# -- multi-match semantics ------------------------------------------------------------------
def test_scores_add_up_across_rules_and_selections(tmp_path: Path) -> None:
    path = rule_file(
        tmp_path,
        "r.yaml",
        rule("a", ALWAYS, "select: [{points: [TE5], role: local}]"),
        rule("b", ALWAYS, "select: [{points: [TE5, LI4], role: distal, weight: 2}]"),
        rule("c", ALWAYS, "select: [{points: [TE5], role: segmental, weight: 0.5}]"),
    )
    s = Engine.from_paths(path).suggest(FOREARM)
    te5, li4 = s.point("TE5"), s.point("LI4")
    assert te5 is not None and li4 is not None
    assert te5.score == pytest.approx(ROLE_WEIGHT["local"] + 2 * ROLE_WEIGHT["distal"] + 0.5)
    assert li4.score == pytest.approx(2 * ROLE_WEIGHT["distal"])
    assert te5.rules == ("a", "b", "c")
    # The role shown is that of the largest contribution (b's distal, 1.5).
    assert te5.role == "distal"
    assert s.codes == ["TE5", "LI4"]


def test_a_point_found_twice_by_one_selection_counts_once(tmp_path: Path) -> None:
    path = rule_file(
        tmp_path, "r.yaml", rule("a", ALWAYS, "select: [{points: [TE5, SJ5, Waiguan], role: local}]")
    )
    s = Engine.from_paths(path).suggest(FOREARM)
    assert s.codes == ["TE5"]
    assert s.points[0].score == 1.0


def test_exclusions_win_whatever_the_order(tmp_path: Path) -> None:
    exclude = rule("x", ALWAYS, "exclude: [{points: [TE5], reason: 'left out for the test'}]")
    select = rule("s", ALWAYS, "select: [{points: [TE5, LI4], role: local, weight: 5}]")
    for order in ((exclude, select), (select, exclude)):
        path = rule_file(tmp_path, "r.yaml", *order)
        s = Engine.from_paths(path).suggest(FOREARM)
        assert s.codes == ["LI4"]
        assert [(e.code, e.rule, e.reason) for e in s.excluded] == [("TE5", "x", "left out for the test")]


def test_an_exclusion_of_a_point_nobody_chose_is_not_listed(tmp_path: Path) -> None:
    path = rule_file(
        tmp_path,
        "r.yaml",
        rule("x", ALWAYS, "exclude: [{points: [SP6], reason: 'left out for the test'}]"),
        rule("s", ALWAYS, "select: [{points: [LI4], role: local}]"),
    )
    s = Engine.from_paths(path).suggest(FOREARM)
    assert s.codes == ["LI4"] and s.excluded == ()


#: 0.75 (distal) x 4/3 is exactly 1.0, the score of a local or segmental point of weight 1.
DISTAL_ONE = "weight: 1.3333333333333333"


def test_ties_break_by_role_then_catalogue_order(tmp_path: Path) -> None:
    path = rule_file(
        tmp_path,
        "r.yaml",
        # Equal scores of 1: the catalogue order is LU, LI, ST, SP ... whatever the listing order.
        rule("a", ALWAYS, "select: [{points: [SP6, ST36, LI4, LU7], role: local}]"),
        # Also a score of 1 but distal: after every local point of the same score, although
        # LU5 comes before all of them in the catalogue.
        rule("b", ALWAYS, f"select: [{{points: [LU5], role: distal, {DISTAL_ONE}}}]"),
    )
    engine = Engine.from_paths(path)
    s = engine.suggest(FOREARM)
    assert s.codes == ["LU7", "LI4", "ST36", "SP6", "LU5"]
    assert {p.score for p in s.points} == {1.0}
    # Stable: the same order every time, and for the same rules listed in another order.
    assert [engine.suggest(FOREARM).codes for _ in range(3)] == [s.codes] * 3
    reordered = rule_file(
        tmp_path,
        "r2.yaml",
        rule("b", ALWAYS, f"select: [{{points: [LU5], role: distal, {DISTAL_ONE}}}]"),
        rule("a", ALWAYS, "select: [{points: [LU7, LI4, ST36, SP6], role: local}]"),
    )
    assert Engine.from_paths(reordered).suggest(FOREARM).codes == s.codes


def test_a_higher_score_beats_role_and_catalogue_order(tmp_path: Path) -> None:
    path = rule_file(
        tmp_path,
        "r.yaml",
        rule("a", ALWAYS, "select: [{points: [LU7], role: local}]"),
        rule("b", ALWAYS, "select: [{points: [KI3], role: adjunct, weight: 2.5}]"),
    )
    assert Engine.from_paths(path).suggest(FOREARM).codes == ["KI3", "LU7"]


def test_segmental_ranks_before_distal_on_a_tie(tmp_path: Path) -> None:
    path = rule_file(
        tmp_path,
        "r.yaml",
        rule("b", ALWAYS, f"select: [{{points: [LU5], role: distal, {DISTAL_ONE}}}]"),
        rule("c", ALWAYS, "select: [{points: [GV14], role: segmental}]"),
    )
    assert Engine.from_paths(path).suggest(FOREARM).codes == ["GV14", "LU5"]


def test_the_cap_of_the_plan_and_of_the_case(tmp_path: Path) -> None:
    many = "select: [{points: [LU7, LI4, ST36, SP6, HT7, SI3, BL40, KI3], role: local}]"
    path = rule_file(tmp_path, "r.yaml", rule("a", ALWAYS, many))
    engine = Engine.from_paths(path)
    assert len(engine.suggest(FOREARM).codes) == 8  # under the default cap of 12
    capped = rule_file(
        tmp_path,
        "capped.yaml",
        rule("a", ALWAYS, many),
        rule("cap", ALWAYS, "plan: [{key: max_points, value: 3, text: 'At most three points.'}]"),
    )
    s = Engine.from_paths(capped).suggest(FOREARM)
    assert s.codes == ["LU7", "LI4", "ST36"]
    assert s.dropped == ("SP6", "HT7", "SI3", "BL40", "KI3")
    assert any("5 further points" in w and "3 points" in w for w in s.warnings)
    # The case's own max_points cuts further.
    s = Engine.from_paths(capped).suggest({**FOREARM, "max_points": 2})
    assert s.codes == ["LU7", "LI4"] and len(s.dropped) == 6


def test_the_lowest_max_points_of_the_plan_wins(tmp_path: Path) -> None:
    many = "select: [{points: [LU7, LI4, ST36, SP6, HT7, SI3, BL40, KI3], role: local}]"
    path = rule_file(
        tmp_path,
        "r.yaml",
        rule("a", ALWAYS, many),
        rule("cap5", ALWAYS, "plan: [{key: max_points, value: 5, text: 'At most five points.'}]"),
        rule("cap2", ALWAYS, "plan: [{key: max_points, value: 2, text: 'At most two points.'}]"),
        rule("cap4", ALWAYS, "plan: [{key: max_points, value: 4, text: 'At most four points.'}]"),
    )
    s = Engine.from_paths(path).suggest(FOREARM)
    assert s.plan["max_points"] == 2 and len(s.codes) == 2
    assert {c.about for c in s.conflicts} == {"max_points"}


def test_a_case_cannot_lift_a_safety_cap() -> None:
    case = {
        "complaints": [{"region": "foot", "aspect": "dorsal", "side": "left", "sensations": ["numbness"]}],
        "cause": {"kind": "nerve_root_compression", "levels": ["L4", "L5"]},
        "flags": ["needle_phobia"],
        "max_points": 20,
    }
    s = acupoints.suggest(case)
    assert len(s.points) <= 6


def test_a_referral_rule_stops_selection(tmp_path: Path) -> None:
    path = rule_file(
        tmp_path,
        "r.yaml",
        rule("s", ALWAYS, "select: [{points: [LI4], role: local}]"),
        rule("stop", "{red_flag: [fever]}", "refer: {reason: 'Fever: see a doctor.', urgency: urgent}"),
    )
    engine = Engine.from_paths(path)
    assert engine.suggest(FOREARM).codes == ["LI4"]
    s = engine.suggest({**FOREARM, "red_flags": ["fever"]})
    assert s.status == "refer" and s.points == () and s.referral is not None
    # The shipped safety pack is in force too, so its infection rule refers as well.
    assert s.referral.rules == ("stop", "red-flag-infection") and s.referral.urgency == "urgent"


# -- the JSON contract ----------------------------------------------------------------------
def _contract(d: dict[str, Any]) -> None:
    assert {"case", "status", "points", "excluded", "plan", "advice", "warnings", "referral"} <= d.keys()
    assert d["status"] in ("suggested", "refer")
    for p in d["points"]:
        assert isinstance(p["code"], str) and isinstance(p["rules"], list) and p["rules"]
        assert acupoints.Catalog.default().resolve(p["code"]) == p["code"]
    for e in d["excluded"]:
        assert isinstance(e["code"], str) and isinstance(e["reason"], str) and e["reason"]
    for a in d["advice"]:
        assert a["text"] and isinstance(a["principles"], list)


@pytest.mark.parametrize("case", [C6, PREGNANT_PLANTAR, CAUDA_EQUINA], ids=["c6", "pregnant", "refer"])
def test_the_json_result_has_the_contract_shape(case: dict[str, Any]) -> None:
    s = acupoints.suggest(case)
    d = json.loads(s.to_json())
    assert d == s.to_dict()
    _contract(d)
    assert d["case"] == case["id"]


def test_points_are_ranked_best_first_with_reasons() -> None:
    d = acupoints.suggest(C6).to_dict()
    scores = [p["score"] for p in d["points"]]
    assert scores == sorted(scores, reverse=True)
    bl10 = next(p for p in d["points"] if p["code"] == "BL10")
    assert bl10["name"] == "Tianzhu" and bl10["meridian"] == "BL"
    assert "cervical-compression-named-points" in bl10["rules"]
    assert "P7" in bl10["principles"] and "(D3)" in bl10["why"]


def test_red_flags_refer_with_no_points() -> None:
    d = acupoints.suggest(CAUDA_EQUINA).to_dict()
    assert d["status"] == "refer"
    assert d["points"] == [] and d["excluded"] == []
    assert d["referral"]["urgency"] == "emergency"
    assert "cauda equina" in d["referral"]["reason"]
    assert d["referral"]["findings"] == ["saddle_anesthesia"]
    # Numbness of both legs from a compressed root is bilateral sciatica, a red flag too.
    assert d["referral"]["rules"] == ["red-flag-cauda-equina", "red-flag-implied-bilateral-sciatica"]


def test_excluded_points_carry_their_reason_and_rule() -> None:
    d = acupoints.suggest(PREGNANT_PLANTAR).to_dict()
    sp6 = [e for e in d["excluded"] if e["code"] == "SP6"]
    assert sp6 and sp6[0]["rule"] == "pregnancy-cautions" and "pregnancy" in sp6[0]["reason"]
    assert "SP6" not in [p["code"] for p in d["points"]]
    assert d["plan"]["electroacupuncture"] is False


# -- explain ----------------------------------------------------------------------------------
def test_explain_a_chosen_point() -> None:
    # Tianzhu is the tender one of "Tianzhu, Dazhui or Jianzhongshu" (P7).
    e = Engine.default().explain(C6, "Tianzhu")
    assert isinstance(e, Explanation)
    assert (e.code, e.name, e.status) == ("BL10", "Tianzhu", "chosen")
    rules = [r for r, *_ in e.chosen_by]
    assert "cervical-compression-named-points" in rules and "cervical-compression-neck-tender-points" in rules
    rank = acupoints.suggest(C6).codes.index("BL10") + 1
    assert f"Ranked {rank}" in e.detail
    text = str(e)
    assert text.startswith("BL10 Tianzhu: chosen.") and "chosen by cervical-compression-named-points" in text
    assert json.loads(json.dumps(e.to_dict()))["status"] == "chosen"


def test_explain_an_excluded_point() -> None:
    e = Engine.default().explain(PREGNANT_PLANTAR, "SP6")
    assert e.status == "excluded"
    assert e.chosen_by == ()
    assert [r for r, _ in e.excluded_by] == ["pregnancy-cautions"]
    assert "excluded by pregnancy-cautions" in str(e)
    assert any(c.rule == "plantar-medial-leg-foot" and c.fired for c in e.candidates)


def test_explain_a_point_never_chosen_shows_the_failed_condition() -> None:
    e = Engine.default().explain(C6, "GV3")
    assert e.status == "not-chosen" and e.chosen_by == () and e.excluded_by == ()
    named = [c for c in e.candidates if c.rule == "lumbosacral-compression-named-points"]
    assert named and not named[0].fired
    assert any(line.strip() == "FALSE level between L1 and S5" for line in named[0].trace)
    assert any(line.strip() == "TRUE  cause in [nerve_root_compression]" for line in named[0].trace)
    assert "the condition that failed" in str(e)


def test_explain_a_point_dropped_by_the_cap() -> None:
    s = acupoints.suggest({**C6, "max_points": 3})
    dropped = s.dropped[0]
    e = Engine.default().explain({**C6, "max_points": 3}, dropped)
    assert e.status == "dropped"


def test_explain_a_referred_case_and_an_unknown_point() -> None:
    assert Engine.default().explain(CAUDA_EQUINA, "GV3").status == "refer"
    with pytest.raises(acupoints.UnknownPointError, match="LI4"):
        Engine.default().explain(C6, "LI-44")


# -- building engines -------------------------------------------------------------------------
def test_from_paths_with_packs() -> None:
    full = Engine.default()
    assert set(full.rulebook.packs) == {"documents", "library", "classical", "evidence", "safety"}
    docs = Engine.from_paths(ROOT / "rules", packs=["documents"])
    # The safety pack is always in force: packs= cannot leave it out.
    assert docs.rulebook.packs == ("documents", "safety")
    assert {r.pack for r in docs.rulebook} == {"documents", "safety"}
    s = docs.suggest(C6)
    assert "jiaji-at-compressed-level" not in s.rules_fired and "never-needled" in s.rules_fired
    assert all(set(p.rules) <= {r.id for r in docs.rulebook} for p in s.points)
    safety = Engine.from_paths(ROOT / "rules", packs=["documents", "safety"])
    assert safety.rulebook.packs == ("documents", "safety")
    s = safety.suggest(PREGNANT_PLANTAR)
    assert "SP6" in {e.code for e in s.excluded} and "SP6" not in s.codes
    assert "SP6" not in docs.suggest(PREGNANT_PLANTAR).codes
    with pytest.raises(acupoints.RuleError, match="unknown pack 'saftey' \\(did you mean 'safety'\\?\\)"):
        Engine.from_paths(ROOT / "rules", packs=["saftey"])


def test_from_paths_of_several_files(tmp_path: Path) -> None:
    one = rule_file(
        tmp_path, "one.yaml", rule("a", ALWAYS, "select: [{points: [LI4], role: local}]"), pack="p1"
    )
    two = rule_file(
        tmp_path, "two.yaml", rule("b", ALWAYS, "select: [{points: [TE5], role: local}]"), pack="p2"
    )
    engine = Engine.from_paths(one, two)
    assert engine.rulebook.packs == ("p1", "p2", "safety")
    assert sorted(engine.suggest(FOREARM).codes) == ["LI4", "TE5"]
    assert Engine.from_paths(one, two, packs=["p2"]).suggest(FOREARM).codes == ["TE5"]
    assert Engine.from_paths(tmp_path).rulebook.packs == ("p1", "p2", "safety")


def test_suggest_with_a_dict() -> None:
    s = acupoints.suggest(
        {"complaints": [{"region": "foot", "aspect": "plantar", "sensations": ["numbness"]}]}
    )
    assert s.status == "suggested" and "SP6" in s.codes
    assert s.case is None
    with pytest.raises(CaseError) as info:
        acupoints.suggest({"complaints": [{"region": "forarm", "sensations": ["numbness"]}]})
    assert "did you mean 'forearm'" in str(info.value)


def test_affected_side_follows_the_complaint(tmp_path: Path) -> None:
    path = rule_file(
        tmp_path,
        "r.yaml",
        rule("aff", "{complaint: {region: [forearm]}}", "select: [{points: [TE5], role: local}]"),
        rule(
            "both", "{complaint: {region: [forearm]}}", "select: [{points: [LI4], role: local, side: both}]"
        ),
        rule(
            "opp",
            "{complaint: {region: [forearm]}}",
            "select: [{points: [LI11], role: local, side: opposite}]",
        ),
        rule("mid", "{complaint: {region: [forearm]}}", "select: [{points: [GV14], role: segmental}]"),
    )
    s = Engine.from_paths(path).suggest(FOREARM)
    assert {p.code: p.side for p in s.points} == {
        "TE5": "left",
        "LI4": "both",
        "LI11": "right",
        "GV14": "midline",
    }
