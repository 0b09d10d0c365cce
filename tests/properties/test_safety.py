"""Safety: no case, however generated, gets a point that its flags exclude.

The properties below do not ask the engine what it excludes: they compute, from the
catalogue and the case alone, which suggested points a flag forbids, and check that the
engine never suggests one. Example tests then pin each red flag and each caution rule of
``rules/90-safety.yaml`` to its reason, its urgency and its cited source.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import data.strategies as strategies
from acupoints import Catalog, Engine, Suggestion, load_rulebook
from acupoints.base.vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    NERVES,
    RED_FLAGS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TENDERNESS,
)
from acupoints.rulebook.schema import Condition
from data.paths import DOCS
from data.strategies import PLACED_FLAGS, cases, complaints, flag_items, flag_name, with_flags

CAT = Catalog.default()
ENGINE = Engine.default()
SAFETY = {r.id: r for r in ENGINE.rulebook if r.pack == "safety"}

#: The regions of each limb, written out here rather than taken from the library.
ARM = frozenset({"shoulder", "upper_arm", "elbow", "forearm", "wrist", "hand", "fingers"})
LEG = frozenset({"hip", "thigh", "knee", "leg", "ankle", "foot", "toes"})
#: Classically forbidden in pregnancy, by name (the catalogue's caution adds the rest).
PREGNANCY_NAMED = ("LI4", "SP6", "BL60", "BL67", "GB21")
#: Never needled at all: the umbilicus and the nipple.
NEVER_NEEDLED = frozenset({"CV8", "ST17"})

#: Each red flag, the rule that must refer it, and how urgently.
RED_FLAG_RULES: dict[str, tuple[str, str]] = {
    "saddle_anesthesia": ("red-flag-cauda-equina", "emergency"),
    "bladder_dysfunction": ("red-flag-cauda-equina", "emergency"),
    "bowel_dysfunction": ("red-flag-cauda-equina", "emergency"),
    "progressive_weakness": ("red-flag-progressive-weakness", "urgent"),
    "bilateral_leg_symptoms": ("red-flag-bilateral-legs", "urgent"),
    "gait_disturbance": ("red-flag-myelopathy", "urgent"),
    "fever": ("red-flag-infection", "urgent"),
    "unexplained_weight_loss": ("red-flag-malignancy", "urgent"),
    "cancer_history": ("red-flag-malignancy", "urgent"),
    "major_trauma": ("red-flag-major-trauma", "emergency"),
}
URGENCY_ORDER = ("emergency", "urgent", "soon")


def _places(item: Any) -> tuple[frozenset[str], str] | None:
    """The regions and side a placed flag names, or None for a flag given without a place."""
    if isinstance(item, str) or ("region" not in item and "limb" not in item):
        return None
    regions = {item["region"]} if "region" in item else set()
    if item.get("limb") == "arm":
        regions |= ARM
    elif item.get("limb") == "leg":
        regions |= LEG
    return frozenset(regions), item.get("side", "both")


def _regions_of(code: str, instances: tuple[str, ...]) -> frozenset[str]:
    """Where a suggested point is needled: at its chosen instances if it has any (Jiaji at
    C5 lies in the neck though Jiaji is catalogued in the upper back), else at the point."""
    point = CAT[code]
    chosen = {i.region or point.region for i in point.instances if i.key in instances}
    return frozenset(chosen or {point.region})


def forbidden(case: dict[str, Any], suggestion: Suggestion) -> list[str]:
    """Every suggested point the case's flags forbid, with why (computed from the catalogue)."""
    flags = case.get("flags", [])
    names = {flag_name(f) for f in flags}
    out = []
    for p in suggestion.points:
        point = CAT[p.code]
        regions = _regions_of(p.code, p.instances)
        if p.code in NEVER_NEEDLED or "no_needling" in point.cautions:
            out.append(f"{p.code}: never needled")
        if "pregnancy" in names and (p.code in PREGNANCY_NAMED or "pregnancy" in point.cautions):
            out.append(f"{p.code}: pregnancy")
        if names & {"anticoagulants", "bleeding_disorder"} and "large_vessel" in point.cautions:
            out.append(f"{p.code}: beside a large vessel with a bleeding risk")
        if "diabetic_foot" in names and "toes" in regions:
            out.append(f"{p.code}: at the toes of a diabetic foot")
        if "diabetic_foot" in names and point.region == "foot" and point.aspect == "plantar":
            out.append(f"{p.code}: on the sole of a diabetic foot")
        if "pregnancy" in names and p.code == "EX-B2" and set(p.instances) & {"L2", "L3", "L4", "L5"}:
            out.append(f"{p.code}@{p.instances}: lumbosacral Jiaji in pregnancy")
        for item in flags:
            place = _places(item) if flag_name(item) in PLACED_FLAGS else None
            if place is None or not regions & place[0]:
                continue
            where, side = place
            # A point needled on both sides, or on the midline, is needled on every side.
            if side == "both" or p.side in ("both", "midline") or p.side == side:
                out.append(
                    f"{p.code} ({p.side}, {sorted(regions)}): {flag_name(item)} at {side} {sorted(where)}"
                )
    return out


# -- the generator itself ----------------------------------------------------------


@pytest.mark.parametrize(
    "pool,words",
    [
        (strategies.regions, REGIONS),
        (strategies.aspects, ASPECTS),
        (strategies.sides, SIDES),
        (strategies.sensations, SENSATIONS),
        (strategies.cause_kinds, CAUSE_KINDS),
        (strategies.nerves, NERVES),
        (strategies.levels, LEVELS),
        (strategies.tenderness_words, TENDERNESS),
        (strategies.flag_words, FLAGS),
        (strategies.red_flag_words, RED_FLAGS),
    ],
    ids=[
        "region",
        "aspect",
        "side",
        "sensation",
        "cause",
        "nerve",
        "level",
        "tenderness",
        "flag",
        "red_flag",
    ],
)
def test_the_generated_cases_draw_from_every_word(pool: Any, words: tuple[str, ...]) -> None:
    # The properties below are only as strong as the cases they see; each field's words
    # are drawn from the whole vocabulary of the library.
    assert tuple(pool.elements) == words
    assert set(PLACED_FLAGS) <= set(FLAGS)


# -- properties over generated cases ------------------------------------------------


@given(cases(red_flags=False))
def test_no_suggested_point_is_one_the_flags_exclude(case: dict[str, Any]) -> None:
    s = ENGINE.suggest(case)
    assert forbidden(case, s) == []
    for ex in s.excluded:
        assert ex.reason and ex.rule and ex.source
        kept = s.point(ex.code)
        if kept is None:
            continue
        if ex.instance is not None:  # one place of a group point left out, the others kept
            assert ex.instance not in kept.instances
        else:  # left out on one side, kept on the other
            assert ex.side != "both" and kept.side not in (ex.side, "both", "midline")


SAFETY_FLAGS = ("pregnancy", "anticoagulants", "bleeding_disorder", "diabetic_foot", *PLACED_FLAGS)


@given(cases(red_flags=False), st.data())
def test_flags_added_to_any_case_still_exclude(case: dict[str, Any], data: Any) -> None:
    near = tuple(c["region"] for c in case["complaints"])
    extra = data.draw(st.lists(flag_items(near, SAFETY_FLAGS), min_size=1, max_size=3), label="flags")
    case = with_flags(case, *extra)
    assert forbidden(case, ENGINE.suggest(case)) == []


@given(cases(red_flags=True))
def test_red_flags_always_refer_without_points(case: dict[str, Any]) -> None:
    s = ENGINE.suggest(case)
    assert s.status == "refer"
    assert s.points == () and s.excluded == ()
    assert s.referral is not None
    assert s.referral.reason.strip()
    assert s.referral.findings == tuple(case["red_flags"])
    expected_rules = {RED_FLAG_RULES[r][0] for r in case["red_flags"]}
    assert expected_rules <= set(s.referral.rules)
    most_urgent = min((RED_FLAG_RULES[r][1] for r in case["red_flags"]), key=URGENCY_ORDER.index)
    assert s.referral.urgency == most_urgent
    d = s.to_dict()
    assert d["status"] == "refer" and d["points"] == [] and d["referral"]["urgency"] == most_urgent


def _both_legs_weak_from_compression(case: dict[str, Any]) -> bool:
    cause = case.get("cause", {}).get("kind")
    return cause == "nerve_root_compression" and any(
        c["region"] in LEG and c.get("side", "both") == "both" and "weakness" in c["sensations"]
        for c in case["complaints"]
    )


@given(cases(red_flags=False), st.data())
def test_without_red_flags_only_weak_legs_on_both_sides_refer(case: dict[str, Any], data: Any) -> None:
    # The one referral a case without red flags can get is the implied one: weakness of
    # both legs from a compressed root. A single weak leg is not a red flag. A leg
    # complaint and a compression are drawn often here, so that the boundary is reached.
    if data.draw(st.booleans(), label="add a leg complaint"):
        leg = data.draw(complaints(region=data.draw(st.sampled_from(sorted(LEG)))), label="leg")
        case = {**case, "complaints": [*case["complaints"], leg]}
    if data.draw(st.booleans(), label="compression"):
        case = {**case, "cause": {"kind": "nerve_root_compression", "levels": ["L5"]}}
    s = ENGINE.suggest(case)
    assert (s.status == "refer") == _both_legs_weak_from_compression(case), s.referral


@given(cases(red_flags=False), flag_items())
def test_adding_a_flag_never_adds_a_point(case: dict[str, Any], item: Any) -> None:
    # A flag only removes points, so the points of the case with the flag must come
    # from the points the case had without it. The comparison must be made against
    # the *uncapped* candidates: when a flag excludes a high-ranked point, the cap
    # (max_points) lets a lower-ranked one move up into the list, and that point is
    # "new" only relative to the capped list. So the case without the flag runs at the
    # largest cap a case allows, and its dropped points count as candidates too; the
    # case with the flag keeps its own cap (needle_phobia may lower it further).
    without = ENGINE.suggest({**case, "max_points": 60})
    candidates = set(without.codes) | set(without.dropped)
    flagged = ENGINE.suggest(with_flags(case, item))
    assert set(flagged.codes) <= candidates, set(flagged.codes) - candidates


def _needs_complaint_region(cond: Condition) -> bool:
    """True when the condition cannot hold without a complaint of some region or limb."""
    if cond.complaint is not None and (cond.complaint.region or cond.complaint.limb):
        return True
    if cond.all is not None and any(_needs_complaint_region(c) for c in cond.all):
        return True
    return bool(cond.any) and all(_needs_complaint_region(c) for c in cond.any or ())


def _negates_complaints(cond: Condition, negated: bool = False) -> bool:
    """True when a test on the complaints sits under a ``not`` (removal could make it true)."""
    counts = cond.complaint is not None or cond.min_complaints is not None or cond.regions_count is not None
    if negated and counts:
        return True
    subs = [*(cond.all or ()), *(cond.any or ())]
    return any(_negates_complaints(c, negated) for c in subs) or (
        cond.not_ is not None and _negates_complaints(cond.not_, not negated)
    )


REGION_RULES = frozenset(
    r.id
    for r in ENGINE.rulebook
    if _needs_complaint_region(r.rule.when) and not _negates_complaints(r.rule.when)
)


def test_there_are_rules_that_need_a_complaint_region() -> None:
    # Guards the next property against passing for want of rules to check.
    assert {"local-affected-area", "upper-limb-yang-surface", "plantar-medial-leg-foot"} <= REGION_RULES
    assert "never-needled" not in REGION_RULES and "pregnancy-cautions" not in REGION_RULES


@given(cases(min_complaints=2, max_complaints=4), st.data())
def test_removing_a_complaint_never_fires_a_rule_that_needs_a_region(case: dict[str, Any], data: Any) -> None:
    i = data.draw(st.integers(0, len(case["complaints"]) - 1), label="removed")
    fewer = {**case, "complaints": [c for j, c in enumerate(case["complaints"]) if j != i]}
    before = set(ENGINE.suggest(case).rules_fired) & REGION_RULES
    after = set(ENGINE.suggest(fewer).rules_fired) & REGION_RULES
    assert after <= before, after - before


@given(cases(red_flags=False), st.sampled_from(["pacemaker", {"flag": "pacemaker", "side": "left"}]))
def test_pacemaker_turns_electroacupuncture_off(case: dict[str, Any], item: Any) -> None:
    s = ENGINE.suggest(with_flags(case, item))
    assume(s.status == "suggested")
    assert s.plan["electroacupuncture"] is False
    assert any(i["rule"] == "pacemaker-no-electroacupuncture" for i in s.plan_items)


@given(cases(red_flags=False), st.sampled_from(["pacemaker", "pregnancy"]))
def test_the_plan_never_offers_electroacupuncture_when_it_is_off(case: dict[str, Any], flag: str) -> None:
    # The plan must not say "no electroacupuncture" and list it as a technique at once.
    s = ENGINE.suggest(with_flags(case, flag))
    assume(s.status == "suggested")
    assert s.plan["electroacupuncture"] is False
    assert "electroacupuncture" not in s.plan.get("technique", []), s.plan["technique"]


@given(cases(red_flags=False))
def test_needle_phobia_caps_the_points_at_six(case: dict[str, Any]) -> None:
    # Whatever the case asks for itself (its own max_points included), a phobic patient
    # gets at most 6 points: the safety cap must win over a larger request.
    s = ENGINE.suggest(with_flags(case, "needle_phobia"))
    assert len(s.points) <= 6, (case.get("max_points"), s.codes)
    if s.status == "suggested":
        assert any(i["rule"] == "needle-phobia-fewer-needles" for i in s.plan_items)


# -- the pregnancy points, chosen without the flag, excluded with it -------------------

#: For each point classically forbidden in pregnancy, a case where some rule chooses it.
PREGNANCY_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "LI4": ({"complaints": [{"region": "forearm", "aspect": "radial", "sensations": ["numbness"]}]},
            "upper-limb-yang-surface"),
    "SP6": ({"complaints": [{"region": "foot", "aspect": "plantar", "sensations": ["numbness"]}]},
            "plantar-medial-leg-foot"),
    "BL60": ({"complaints": [{"region": "ankle", "sensations": ["pain"]}]}, "commonly-sensitive-points"),
    "BL67": ({"complaints": [{"region": "toes", "digits": [5], "sensations": ["pain"]}],
              "tenderness": "mild", "tender_points": ["BL67"]}, "local-tender-points"),
    "GB21": ({"complaints": [{"region": "shoulder", "sensations": ["pain"]}]}, "commonly-sensitive-points"),
}  # fmt: skip


@pytest.mark.parametrize("code", PREGNANCY_NAMED)
def test_pregnancy_excludes_the_classical_points(code: str) -> None:
    case, rule = PREGNANCY_CASES[code]
    plain = ENGINE.suggest(case)
    assert code in plain.codes and rule in plain.point(code).rules  # type: ignore[union-attr]
    pregnant = ENGINE.suggest(with_flags(case, "pregnancy"))
    assert code not in pregnant.codes
    ex = [e for e in pregnant.excluded if e.code == code]
    assert len(ex) == 1
    assert ex[0].rule == "pregnancy-cautions"
    assert ex[0].reason.startswith("traditionally avoided in pregnancy")
    assert ex[0].source == "DEADMAN" and ex[0].side == "both"
    assert pregnant.plan["electroacupuncture"] is False
    assert any("Cummings 2011" in w for w in pregnant.warnings)


@given(cases(red_flags=False, flags=False))
def test_pregnancy_excludes_the_classical_points_of_any_case(case: dict[str, Any]) -> None:
    plain = ENGINE.suggest({**case, "max_points": 60})
    chosen = [c for c in PREGNANCY_NAMED if c in plain.codes]
    assume(chosen)
    pregnant = ENGINE.suggest({**case, "max_points": 60, "flags": ["pregnancy"]})
    excluded = {e.code: e for e in pregnant.excluded}
    for code in chosen:
        assert code not in pregnant.codes
        assert excluded[code].rule == "pregnancy-cautions"
        assert "pregnancy" in excluded[code].reason


# -- every red flag, one by one -------------------------------------------------------

#: A phrase each referral reason must contain, and the source key its rule cites.
RED_FLAG_TEXT: dict[str, tuple[str, str]] = {
    "red-flag-cauda-equina": ("cauda equina syndrome", "GIRFT-CES"),
    "red-flag-bilateral-legs": ("both legs", "NICE-CKS-SCIATICA"),
    "red-flag-progressive-weakness": ("progressive neurological deficit", "NICE-CKS-SCIATICA"),
    "red-flag-myelopathy": ("myelopathy", "NICE-CKS-NECK"),
    "red-flag-infection": ("spinal infection", "FINUCANE-2020"),
    "red-flag-malignancy": ("metastasis", "NICE-NG59"),
    "red-flag-major-trauma": ("fracture", "FINUCANE-2020"),
    "red-flag-implied-bilateral-leg-weakness": ("both legs", "NICE-CKS-SCIATICA"),
}
SOURCE_TITLE_WORD = {
    "GIRFT-CES": "cauda equina syndrome pathway",
    "NICE-CKS-SCIATICA": "Sciatica",
    "NICE-CKS-NECK": "cervical radiculopathy",
    "FINUCANE-2020": "Finucane",
    "NICE-NG59": "NG59",
}


def test_every_red_flag_word_has_a_referral_rule() -> None:
    assert set(RED_FLAG_RULES) == set(RED_FLAGS)
    referring = {r.id for r in SAFETY.values() if r.rule.refer is not None}
    assert referring == set(RED_FLAG_TEXT)


@pytest.mark.parametrize("red_flag", RED_FLAGS)
def test_each_red_flag_refers_with_its_reason_and_source(red_flag: str) -> None:
    rule_id, urgency = RED_FLAG_RULES[red_flag]
    phrase, source = RED_FLAG_TEXT[rule_id]
    case = {"complaints": [{"region": "lower_back", "sensations": ["pain"]}], "red_flags": [red_flag],
            "tender_points": ["BL23"], "tenderness": "pronounced"}  # fmt: skip
    s = ENGINE.suggest(case)
    assert s.status == "refer" and s.points == () and s.excluded == ()
    assert s.referral is not None
    assert s.referral.rules == (rule_id,)
    assert s.referral.urgency == urgency
    assert phrase in s.referral.reason
    assert SAFETY[rule_id].source_key == source
    assert s.referral.sources == (SAFETY[rule_id].source,)
    assert SOURCE_TITLE_WORD[source] in s.referral.sources[0]
    assert s.to_dict()["referral"]["findings"] == [red_flag]


def test_weakness_of_both_legs_from_compression_refers() -> None:
    case = {"complaints": [{"region": "leg", "side": "both", "sensations": ["weakness"]}],
            "cause": {"kind": "nerve_root_compression", "levels": ["L5"]}}  # fmt: skip
    s = ENGINE.suggest(case)
    assert s.status == "refer" and s.points == ()
    assert s.referral is not None and s.referral.urgency == "urgent"
    assert s.referral.rules == ("red-flag-implied-bilateral-leg-weakness",)
    assert "both legs" in s.referral.reason
    one_leg = {**case, "complaints": [{**case["complaints"][0], "side": "left"}]}
    assert ENGINE.suggest(one_leg).status == "suggested"


def test_the_most_urgent_referral_leads() -> None:
    s = ENGINE.suggest({"complaints": [{"region": "leg", "sensations": ["pain"]}],
                        "red_flags": ["fever", "saddle_anesthesia"]})  # fmt: skip
    assert s.referral is not None
    assert s.referral.urgency == "emergency"
    assert s.referral.rules[0] == "red-flag-cauda-equina"
    assert "red-flag-infection" in s.referral.rules
    assert "cauda equina" in s.referral.reason and "spinal infection" in s.referral.reason


# -- every caution rule, one by one ---------------------------------------------------


def _excluded(s: Suggestion, code: str) -> list[Any]:
    return [e for e in s.excluded if e.code == code]


def _plan_item(s: Suggestion, rule: str) -> dict[str, Any]:
    items = [i for i in s.plan_items if i["rule"] == rule]
    assert items, f"no plan item from {rule}"
    return items[0]


def test_caution_pregnancy_cites_deadman_and_keeps_the_lumbosacral_points_out() -> None:
    case = {"complaints": [{"region": "lower_back", "sensations": ["pain"]}],
            "cause": {"kind": "nerve_root_compression", "levels": ["L5"]}}  # fmt: skip
    plain = ENGINE.suggest(case)
    assert {"GV3", "BL32"} <= set(plain.codes)
    s = ENGINE.suggest(with_flags(case, "pregnancy"))
    for code in ("GV3", "BL32"):
        assert code not in s.codes
        (ex,) = _excluded(s, code)
        assert ex.rule == "pregnancy-cautions" and ex.source == "DEADMAN"
        assert "lower-abdominal and lumbosacral points" in ex.reason
    assert _plan_item(s, "pregnancy-cautions")["source"] == "DEADMAN"
    assert "Deadman" in SAFETY["pregnancy-cautions"].source


def test_caution_never_needled() -> None:
    # Tender points are taken where the complaints are: ST17 lies on the chest.
    case = {"complaints": [{"region": "abdomen", "sensations": ["pain"]}, {"region": "chest", "sensations": ["pain"]}],
            "tenderness": "pronounced", "tender_points": ["CV8", "ST17", "CV6"]}  # fmt: skip
    s = ENGINE.suggest(case)
    assert "CV6" in s.codes
    for code in ("CV8", "ST17"):
        assert code not in s.codes
        (ex,) = _excluded(s, code)
        assert ex.rule == "never-needled" and ex.source == "DEADMAN"
        assert "classically not needled" in ex.reason


@pytest.mark.parametrize("flag", ["anticoagulants", "bleeding_disorder"])
def test_caution_bleeding_risk(flag: str) -> None:
    case = {"complaints": [{"region": "ankle", "sensations": ["pain"]}], "tenderness": "mild",
            "tender_points": ["KI3", "LR3", "BL40"], "cause": {"kind": "muscular"}}  # fmt: skip
    plain = ENGINE.suggest(case)
    assert {"KI3", "LR3", "BL40"} <= set(plain.codes)
    assert "cupping" in plain.plan["adjuncts"]
    s = ENGINE.suggest(with_flags(case, flag))
    for code in ("KI3", "LR3", "BL40"):
        assert code not in s.codes
        (ex,) = _excluded(s, code)
        assert ex.rule == "bleeding-risk" and ex.source == "BAC-CODE"
        assert "large vessel" in ex.reason
    assert s.plan["adjuncts"] == ["trigger_point_therapy"]
    assert _plan_item(s, "bleeding-risk")["source"] == "BAC-CODE"
    assert any("INR" in w for w in s.warnings)


@pytest.mark.parametrize("side,kept", [("left", "right"), ("right", "left")])
def test_caution_lymphedema_leaves_out_one_side_of_one_limb(side: str, kept: str) -> None:
    case = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]},
                           {"region": "leg", "sensations": ["pain"]}]}  # fmt: skip
    plain = ENGINE.suggest({**case, "max_points": 60})
    arm = [p.code for p in plain.points if CAT[p.code].region in ARM]
    leg = [p.code for p in plain.points if CAT[p.code].region in LEG]
    assert arm and leg
    s = ENGINE.suggest(
        {**case, "max_points": 60, "flags": [{"flag": "lymphedema", "limb": "arm", "side": side}]}
    )
    for code in arm:
        p = s.point(code)
        assert p is not None and p.side == kept, code
        (ex,) = _excluded(s, code)
        assert ex.rule == "lymphedema-limb" and ex.source == "BMAS-SAFE" and ex.side == side
        assert ex.reason == f"no needling in a limb with lymphoedema (infection risk) ({side} arm)"
    assert set(leg) <= set(s.codes)
    assert not any(e.code in leg for e in s.excluded)


def test_caution_lymphedema_on_both_sides_removes_the_limb() -> None:
    case = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}],
            "flags": [{"flag": "lymphedema", "limb": "arm"}]}  # fmt: skip
    s = ENGINE.suggest(case)
    assert not [p for p in s.points if CAT[p.code].region in ARM]
    assert s.excluded and all(e.rule == "lymphedema-limb" for e in s.excluded)


def test_a_placed_flag_without_a_place_warns() -> None:
    case = {"complaints": [{"region": "forearm", "sensations": ["pain"]}], "flags": ["lymphedema"]}
    s = ENGINE.suggest(case)
    assert any("without a region or limb" in w for w in s.warnings)


def test_caution_skin_lesion() -> None:
    case = {"complaints": [{"region": "ankle", "sensations": ["pain"], "side": "right"}]}
    plain = ENGINE.suggest(case)
    at_ankle = [p.code for p in plain.points if CAT[p.code].region == "ankle"]
    assert at_ankle
    s = ENGINE.suggest(with_flags(case, {"flag": "skin_lesion", "region": "ankle", "side": "right"}))
    for code in at_ankle:
        assert code not in s.codes
        (ex,) = _excluded(s, code)
        assert ex.rule == "skin-lesion-region" and ex.source == "BAC-CODE"
        assert ex.reason == "no needling through a skin lesion, ulcer or infection (right ankle)"
    other_side = ENGINE.suggest(with_flags(case, {"flag": "skin_lesion", "region": "ankle", "side": "left"}))
    assert set(at_ankle) <= set(other_side.codes)


def test_caution_skin_lesion_reaches_group_point_instances() -> None:
    # Jiaji (EX-B2) is catalogued in the upper back, but its instances C1-C7 lie in the
    # neck: a lesion over the neck must keep Jiaji at C5 out too (the C6 root exits at C5-C6).
    case = {"complaints": [{"region": "neck", "sensations": ["pain"], "side": "left"}],
            "cause": {"kind": "nerve_root_compression", "levels": ["C6"]},
            "flags": [{"flag": "skin_lesion", "region": "neck"}]}  # fmt: skip
    plain = ENGINE.suggest({k: v for k, v in case.items() if k != "flags"})
    jiaji = plain.point("EX-B2")
    assert jiaji is not None and "C5" in jiaji.instances
    s = ENGINE.suggest(case)
    assert forbidden(case, s) == []
    kept = s.point("EX-B2")
    assert kept is None or "C5" not in kept.instances
    assert any(e.code == "EX-B2" and e.rule == "skin-lesion-region" for e in s.excluded)


def test_caution_insensate_feet() -> None:
    for case in (
        {"complaints": [{"region": "foot", "sensations": ["pain"]}], "flags": ["diabetic_foot"]},
        {"complaints": [{"region": "toes", "sensations": ["numbness"]}], "cause": {"kind": "diabetes"}},
    ):
        s = ENGINE.suggest(case)
        assert "insensate-feet" in s.rules_fired
        assert s.plan["infrared"] is False
        item = _plan_item(s, "insensate-feet")
        assert item["source"] == "NICE-NG19" and "cannot feel a burn" in item["text"]
    plain = ENGINE.suggest({"complaints": [{"region": "foot", "sensations": ["pain"]}]})
    assert plain.plan["infrared"] is True


def test_caution_diabetic_foot_toe_points() -> None:
    case = {"complaints": [{"region": "toes", "sensations": ["numbness"]}], "cause": {"kind": "diabetes"},
            "tenderness": "mild", "tender_points": ["ST44", "LR3"]}  # fmt: skip
    plain = ENGINE.suggest(case)
    # The web points lie on the dorsum of the foot (WHO 2008), but go with the toes.
    web = {"LR2", "ST44", "GB43", "EX-LE10"}
    toes = [p.code for p in plain.points if CAT[p.code].region == "toes" or p.code in web]
    assert {"EX-LE10", "ST44"} <= set(toes)
    s = ENGINE.suggest(with_flags(case, "diabetic_foot"))
    assert not [p.code for p in s.points if CAT[p.code].region == "toes" or p.code in web]
    for code in toes:
        (ex,) = _excluded(s, code)
        assert ex.rule == "diabetic-foot-toe-points" and ex.source == "NICE-NG19"
        assert ex.reason.startswith("diabetic foot:")


def test_caution_diabetic_foot_sole() -> None:
    case = {"complaints": [{"region": "foot", "aspect": "plantar", "sensations": ["numbness"]}],
            "cause": {"kind": "diabetes"}}  # fmt: skip
    assert "KI1" in ENGINE.suggest(case).codes
    s = ENGINE.suggest(with_flags(case, "diabetic_foot"))
    assert "KI1" not in s.codes
    (ex,) = _excluded(s, "KI1")
    assert ex.rule == "diabetic-foot-toe-points" and ex.source == "NICE-NG19"
    assert "sole" in ex.reason


def test_caution_pregnancy_leaves_out_lumbosacral_jiaji_only() -> None:
    case = {"complaints": [{"region": "lower_back", "sensations": ["pain"]}],
            "cause": {"kind": "nerve_root_compression", "levels": ["L4", "C6"]}}  # fmt: skip
    plain = ENGINE.suggest(case).point("EX-B2")
    assert plain is not None and {"C5", "L4"} <= set(plain.instances)
    s = ENGINE.suggest(with_flags(case, "pregnancy"))
    kept = s.point("EX-B2")
    assert kept is not None and "C5" in kept.instances and "L4" not in kept.instances
    (ex,) = _excluded(s, "EX-B2")
    assert ex.instance == "L4" and ex.rule == "pregnancy-cautions" and "lumbosacral" in ex.reason
    assert ex.to_dict()["instance"] == "L4"


def test_caution_pacemaker() -> None:
    case = {"complaints": [{"region": "forearm", "sensations": ["pain"]}]}
    assert ENGINE.suggest(case).plan["electroacupuncture"] is True
    s = ENGINE.suggest(with_flags(case, "pacemaker"))
    assert s.plan["electroacupuncture"] is False
    item = _plan_item(s, "pacemaker-no-electroacupuncture")
    assert item["source"] == "BMAS-SAFE" and "pacemaker" in item["text"]
    assert "Pacemaker: electroacupuncture is not used; manual acupuncture only." in s.warnings


def test_caution_needle_phobia() -> None:
    case = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]},
                           {"region": "fingers", "digits": [1, 2], "sensations": ["numbness"]}]}  # fmt: skip
    assert len(ENGINE.suggest(case).points) > 6
    s = ENGINE.suggest(with_flags(case, "needle_phobia"))
    assert len(s.points) == 6
    item = _plan_item(s, "needle-phobia-fewer-needles")
    assert item["source"] == "BMAS-SAFE" and "at most 6 points" in item["text"]
    assert s.dropped
    # The case cannot lift the cap by asking for more points itself.
    assert len(ENGINE.suggest({**case, "flags": ["needle_phobia"], "max_points": 20}).points) == 6


def test_every_safety_rule_has_an_example_here() -> None:
    tested = set(RED_FLAG_TEXT) | {
        "pregnancy-cautions", "never-needled", "pacemaker-no-electroacupuncture", "bleeding-risk",
        "lymphedema-limb", "skin-lesion-region", "insensate-feet", "diabetic-foot-toe-points",
        "needle-phobia-fewer-needles",
    }  # fmt: skip
    assert set(SAFETY) == tested
    for rule in SAFETY.values():
        assert rule.source_key and rule.source != rule.source_key, rule.id


def test_every_flag_word_is_handled_by_a_safety_rule() -> None:
    handled = set()
    for rule in SAFETY.values():
        stack = [rule.rule.when]
        while stack:
            c = stack.pop()
            handled |= set(c.flag or ())
            stack += [*(c.all or ()), *(c.any or ())]
    assert handled == set(FLAGS)


def test_the_safety_pack_alone_still_excludes() -> None:
    # Exclusions win whichever pack chose a point; with only the safety pack loaded no
    # point is chosen, and a pack-filtered engine must still refer red flags.
    engine = Engine(load_rulebook(packs=["safety"]))
    s = engine.suggest({"complaints": [{"region": "leg", "sensations": ["pain"]}], "red_flags": ["fever"]})
    assert s.status == "refer"
    s = engine.suggest({"complaints": [{"region": "leg", "sensations": ["pain"]}], "flags": ["pregnancy"]})
    assert s.points == ()


def test_the_safety_page_lists_every_rule_red_flag_and_caution() -> None:
    page = (DOCS / "safety.md").read_text(encoding="utf-8")
    for rule in SAFETY.values():
        assert f"| `{rule.id}` |" in page, rule.id
        assert f"`{rule.source_key}`" in page, rule.source_key
    for word in RED_FLAGS:
        assert f"| `{word}` |" in page, word
    for caution in CAT.cautions:
        assert f"| `{caution}` |" in page, caution
    assert "no good evidence that these points do harm" in page
