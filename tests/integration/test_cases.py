"""Data-driven cases: every file of tests/data/cases is a case of the documents plus what it must give.

A case file holds ``description``, the principle ids it exercises (``principles``), the case
itself in the contract format (``case``) and an ``expect`` block. The expectations come from
the source documents and the rules, not from the engine's output. What each key asks:

``status``          ``suggested`` or ``refer``
``include``         codes that must be suggested
``include_any``     groups of codes: at least one code of each group must be suggested
``exclude``         codes that must not be suggested
``excluded``        codes that must appear in ``excluded`` (chosen, then left out for safety)
``excluded_sides``  code -> the side it is excluded on
``excluded_reason`` code -> words its exclusion reason must contain
``plan``            plan keys that must be set;  ``plan_values``: key -> exact value
``advice``          principle ids that some advice must carry
``rules``           rule ids that must fire;  ``not_rules``: rule ids that must not
``conflicts``       what reported conflicts are ``about`` (``ice``, ``electroacupuncture`` ...)
``sides``           code -> side of the suggested point;  ``roles``: code -> role
``instances``       code -> instances (e.g. Jiaji levels) that must be among the point's
``scores``          code -> the suggested point's exact score (e.g. a finding counted once)
``found``           rule id -> exactly the points that rule's selections find on the case,
                    before the cap and whatever other rules add (e.g. the one of D3's "A, B
                    or C" that a document rule takes, when another pack adds the others)
``max_points``      at most this many points
``referral``        ``urgency`` and ``findings`` of the referral
``warnings``        words that some warning must contain
``not_offered``     words no plan or advice line may contain (what a flag withholds)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from acupoints import Case, Catalog, Engine, Suggestion
from acupoints.base.principles import PRINCIPLES, principles_of_kind
from acupoints.rulebook.conditions import CaseView
from data.paths import CASES

CASES_DIR = CASES
CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))

FILE_KEYS = {"description", "principles", "case", "expect"}
EXPECT_KEYS = {
    "status", "include", "include_any", "exclude", "excluded", "excluded_sides", "excluded_reason",
    "plan", "plan_values", "advice", "rules", "not_rules", "conflicts", "sides", "roles", "instances",
    "max_points", "referral", "warnings", "not_offered", "scores", "found",
}  # fmt: skip
RESULT_KEYS = {"case", "status", "points", "excluded", "plan", "advice", "warnings", "referral"}


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: a case file is a mapping"
    return data


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def check_contract(s: Suggestion) -> dict[str, Any]:
    """The JSON result's contract, for any suggestion; returns the dict."""
    d = s.to_dict()
    assert d.keys() >= RESULT_KEYS
    assert d["status"] in ("suggested", "refer")
    for p in d["points"]:
        assert isinstance(p["code"], str) and p["code"]
        assert p["rules"] and all(isinstance(r, str) for r in p["rules"])
    for e in d["excluded"]:
        assert e["code"] and e["reason"]
    if d["status"] == "refer":
        assert d["points"] == []
        assert d["referral"] and d["referral"]["reason"]
    else:
        assert d["referral"] is None
    return d


def _problems(
    exp: dict[str, Any], s: Suggestion, d: dict[str, Any], engine: Engine, case: Case | None = None
) -> list[str]:
    """Every expectation of ``exp`` the suggestion misses, as readable lines (empty: all met)."""
    catalog: Catalog = engine.catalog
    rule_ids = {r.id for r in engine.rulebook}
    codes = s.codes
    by_code = {p.code: p for p in s.points}
    excluded = {(e.code, e.side) for e in s.excluded}
    excluded_codes = {e.code for e in s.excluded}
    fired = set(s.rules_fired)
    bad: list[str] = []

    def need(ok: bool, message: str) -> None:
        if not ok:
            bad.append(message)

    # The expectations themselves must name real things, or a typo would pass silently.
    for key in ("include", "exclude", "excluded"):
        for code in exp.get(key, []):
            need(catalog.resolve(code) == code, f"{key}: {code!r} is not a canonical catalogue code")
    for key in ("rules", "not_rules", "found"):
        for rid in exp.get(key, []):
            need(rid in rule_ids, f"{key}: no rule {rid!r} in the default rulebook")
    for pid in exp.get("advice", []):
        need(pid in PRINCIPLES, f"advice: unknown principle {pid!r}")
    both = set(exp.get("include", [])) & set(exp.get("exclude", []))
    need(not both, f"{sorted(both)} are both included and excluded: the expectations contradict")

    if "status" in exp:
        need(s.status == exp["status"], f"status is {s.status!r}")
    for code in exp.get("include", []):
        need(code in codes, f"{code} is not suggested (got {codes})")
    for group in exp.get("include_any", []):
        need(bool(set(group) & set(codes)), f"none of {group} is suggested (got {codes})")
    for code in exp.get("exclude", []):
        need(code not in codes, f"{code} is suggested but must not be")
    for code in exp.get("excluded", []):
        need(code in excluded_codes, f"{code} is not in excluded (got {sorted(excluded_codes)})")
    for code, side in exp.get("excluded_sides", {}).items():
        need((code, side) in excluded, f"{code} is not excluded on side {side!r} (got {sorted(excluded)})")
    for code, words in exp.get("excluded_reason", {}).items():
        reasons = [e.reason for e in s.excluded if e.code == code]
        need(any(words.lower() in r.lower() for r in reasons), f"{code}: no reason with {words!r}: {reasons}")
    for key in exp.get("plan", []):
        need(key in s.plan, f"plan has no {key!r} (got {sorted(s.plan)})")
    for key, value in exp.get("plan_values", {}).items():
        need(d["plan"].get(key) == value, f"plan[{key!r}] is {d['plan'].get(key)!r}, not {value!r}")
    advised = {pid for a in s.advice for pid in a.principles}
    for pid in exp.get("advice", []):
        need(pid in advised, f"no advice for {pid} (got {sorted(advised)})")
    for rid in exp.get("rules", []):
        need(rid in fired, f"rule {rid} did not fire")
    for rid in exp.get("not_rules", []):
        need(rid not in fired, f"rule {rid} fired but must not")
    about = {c.about for c in s.conflicts}
    for what in exp.get("conflicts", []):
        need(what in about, f"no conflict about {what!r} (got {sorted(about)})")
    for code, side in exp.get("sides", {}).items():
        p = by_code.get(code)
        need(p is not None and p.side == side, f"{code}: side {p.side if p else None!r}, not {side!r}")
    for code, role in exp.get("roles", {}).items():
        p = by_code.get(code)
        need(p is not None and p.role == role, f"{code}: role {p.role if p else None!r}, not {role!r}")
    for code, instances in exp.get("instances", {}).items():
        p = by_code.get(code)
        got = set(p.instances) if p else set()
        need(set(instances) <= got, f"{code}: instances {sorted(got)} lack {instances}")
    for code, score in exp.get("scores", {}).items():
        p = by_code.get(code)
        need(
            p is not None and abs(p.score - score) < 1e-9,
            f"{code}: score {p.score if p else None}, not {score}",
        )
    if exp.get("found"):
        assert case is not None, "found: give the case"
        view = CaseView.of(case)
        matched = {r.id: (r, m) for r, m in engine.fired(view)}
        for rid, want in exp["found"].items():
            need(rid in matched, f"found: rule {rid} did not fire")
            if rid in matched:
                rule, m = matched[rid]
                got = {n.partition("@")[0] for sel in rule.rule.select
                       for n in engine.find_all(rule, sel, view, m)[0]}  # fmt: skip
                need(got == set(want), f"{rid} finds {sorted(got)}, not {sorted(want)}")
    if "max_points" in exp:
        need(len(codes) <= exp["max_points"], f"{len(codes)} points, more than {exp['max_points']}")
    if "referral" in exp:
        ref = d["referral"] or {}
        for key, value in exp["referral"].items():
            need(ref.get(key) == value, f"referral[{key!r}] is {ref.get(key)!r}, not {value!r}")
    for words in exp.get("warnings", []):
        need(any(words.lower() in w.lower() for w in s.warnings), f"no warning with {words!r}")
    lines = [i["text"] for i in s.plan_items] + [a.text for a in s.advice]
    for words in exp.get("not_offered", []):
        hits = [t for t in lines if words.lower() in t.lower()]
        need(not hits, f"{words!r} is still offered: {hits}")
    return bad


def _run(path: Path, engine: Engine) -> tuple[dict[str, Any], Suggestion, dict[str, Any]]:
    data = _load(path)
    assert set(data) <= FILE_KEYS, f"unknown keys {set(data) - FILE_KEYS}"
    assert {"description", "principles", "case", "expect"} <= set(data)
    exp = data["expect"]
    assert set(exp) <= EXPECT_KEYS, f"unknown expect keys {set(exp) - EXPECT_KEYS}"
    for pid in data["principles"]:
        assert pid in PRINCIPLES, f"unknown principle {pid}"
    case = Case.from_dict(data["case"], str(path.name))
    assert case.id == path.stem, "the case id names its file"
    s = engine.suggest(case)
    return data, s, check_contract(s)


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case(path: Path, engine: Engine) -> None:
    data, s, d = _run(path, engine)
    assert "status" in data["expect"], "say the expected status"
    problems = _problems(data["expect"], s, d, engine, Case.from_dict(data["case"]))
    assert not problems, "\n".join([f"{path.name}:", *problems])


def test_there_are_enough_cases() -> None:
    assert len(CASE_FILES) >= 18


def test_every_expectation_key_can_fail(engine: Engine) -> None:
    """The checker catches a wrong expectation of each kind (a guard against a lax checker)."""
    data = _load(CASES_DIR / "cervical-c6-right.yaml")
    case = Case.from_dict(data["case"])
    s = engine.suggest(case)
    d = s.to_dict()
    assert _problems(data["expect"], s, d, engine, case) == []
    wrong: dict[str, Any] = {
        "status": "refer",
        "include": ["ST36"],
        "include_any": [["ST36", "SP6"]],
        "exclude": ["BL10"],
        "excluded": ["BL10"],
        "excluded_sides": {"BL10": "left"},
        "excluded_reason": {"BL10": "pregnancy"},
        "plan": ["no_such_key"],
        "plan_values": {"retention_minutes": 20},
        "advice": ["A2"],
        "rules": ["lumbosacral-compression-named-points"],
        "not_rules": ["cervical-compression-named-points"],
        "conflicts": ["electroacupuncture"],
        "sides": {"GV14": "left"},
        "roles": {"GV14": "distal"},
        "instances": {"EX-B2": ["L4"]},
        "max_points": 2,
        "referral": {"urgency": "emergency"},
        "warnings": ["no such warning"],
        "not_offered": ["retain the needles"],
        "scores": {"BL10": 99.0},
        "found": {"cervical-compression-named-points": ["SI15"]},
    }
    for key, value in wrong.items():
        assert _problems({**data["expect"], key: value}, s, d, engine, case), (
            f"a wrong {key!r} went unnoticed"
        )
    typos = {
        "include": ["BL-10"],
        "rules": ["no-such-rule"],
        "not_rules": ["no-such-rule"],
        "found": {"no-such-rule": ["GV14"]},
        "advice": ["A99"],
    }
    for key, value in typos.items():
        assert _problems({**data["expect"], key: value}, s, d, engine, case), (
            f"a typo in {key!r} went unnoticed"
        )


# -- principles: every id of the documents is exercised and encoded -----------------------
def _case_principles() -> set[str]:
    return {pid for path in CASE_FILES for pid in _load(path)["principles"]}


def test_every_rule_principle_is_exercised_by_a_case() -> None:
    missing = [pid for pid in principles_of_kind("rule") if pid not in _case_principles()]
    assert not missing, f"no case exercises {missing}"


def test_every_rule_principle_is_encoded_by_a_rule(engine: Engine) -> None:
    encoded = {pid for r in engine.rulebook for pid in r.rule.principles}
    missing = [pid for pid in principles_of_kind("rule") if pid not in encoded]
    assert not missing, f"no rule encodes {missing}"


def test_every_plan_principle_is_in_a_plan_item(engine: Engine) -> None:
    in_plans = {pid for r in engine.rulebook for item in r.rule.plan for pid in item.principles}
    missing = [pid for pid in principles_of_kind("plan") if pid not in in_plans]
    assert not missing, f"no plan item carries {missing}"


def test_every_advice_principle_is_in_advice(engine: Engine) -> None:
    in_advice = {pid for r in engine.rulebook for a in r.rule.advice for pid in a.principles}
    missing = [pid for pid in principles_of_kind("advice") if pid not in in_advice]
    assert not missing, f"no advice carries {missing}"


def test_principle_kinds_match_the_principles_list() -> None:
    """The ids and kinds of the project's PRINCIPLES list: 12 rules, 10 plan items, 8 advice."""
    assert principles_of_kind("rule") == [f"P{i}" for i in range(1, 13)]
    assert principles_of_kind("plan") == [f"T{i}" for i in range(1, 11)]
    assert principles_of_kind("advice") == [f"A{i}" for i in range(1, 9)]


def test_the_two_reader_cases_of_d1_are_present() -> None:
    stems = {p.stem for p in CASE_FILES}
    assert {"d1-standing-leg-numbness", "d1-l4-l5-right-leg-numb-swollen"} <= stems
