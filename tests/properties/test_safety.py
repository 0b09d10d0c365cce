"""Safety: no case, however generated and whatever packs are loaded, escapes a flag.

The properties below do not ask the engine what it excludes, refers or withholds: they
work it out from the catalogue, the case and the cited sources alone, and check that the
engine agrees, on generated cases and on engines built from every combination of the
shipped packs with and without a hostile pack of one's own (a pack that selects every
forbidden point, offers every forbidden treatment and sets the plan at a huge priority).

- no suggested point is one a flag excludes;
- a case is referred exactly when a red flag bears on it, written as a word or found in
  the complaints (cancer history with distal symptoms under chemotherapy being the one
  documented exception), whatever the packs and however the complaints are split;
- no plan or advice line offers a treatment one of the case's flags forbids, and no plan
  value turns one on.

Example tests then pin each red flag and each caution rule of ``rules/90-safety.yaml`` to
its reason, its urgency and its cited source.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import data.strategies as strategies
from acupoints import Catalog, Engine, Suggestion, load_rulebook, shipped_rules
from acupoints.base.vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    NERVES,
    ONSETS,
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
#: Where the symptoms of a chemotherapy neuropathy lie: the distal limbs.
DISTAL = frozenset({"forearm", "wrist", "hand", "fingers", "leg", "ankle", "foot", "toes"})
#: The lumbosacral region and its levels (WHO 1999), and the abdomen, kept from needles
#: in pregnancy.
PREGNANCY_REGIONS = frozenset({"lower_back", "sacrum", "abdomen"})
LUMBOSACRAL_LEVELS = frozenset(lv for lv in LEVELS if lv[0] in "LS")
#: Classically forbidden in pregnancy, by name (the catalogue's caution adds the rest).
PREGNANCY_NAMED = ("LI4", "SP6", "BL60", "BL67", "GB21")
#: Never needled at all: the umbilicus and the nipple.
NEVER_NEEDLED = frozenset({"CV8", "ST17"})

#: Each red flag word, the rule that must refer it, and how urgently (cancer_history
#: refers under a condition: see expected_referrals).
RED_FLAG_RULES: dict[str, tuple[str, str]] = {
    "saddle_anesthesia": ("red-flag-cauda-equina", "emergency"),
    "bladder_dysfunction": ("red-flag-cauda-equina", "emergency"),
    "bowel_dysfunction": ("red-flag-cauda-equina", "emergency"),
    "sexual_dysfunction": ("red-flag-cauda-equina", "emergency"),
    "progressive_weakness": ("red-flag-progressive-weakness", "urgent"),
    "bilateral_leg_symptoms": ("red-flag-bilateral-legs", "urgent"),
    "gait_disturbance": ("red-flag-myelopathy", "urgent"),
    "myelopathy_signs": ("red-flag-myelopathy", "urgent"),
    "fever": ("red-flag-infection", "urgent"),
    "suspected_infection": ("red-flag-infection", "urgent"),
    "systemically_unwell": ("red-flag-infection", "urgent"),
    "unexplained_weight_loss": ("red-flag-malignancy", "urgent"),
    "unremitting_night_pain": ("red-flag-night-pain", "urgent"),
    "cancer_history": ("red-flag-cancer-history", "urgent"),
    "major_trauma": ("red-flag-major-trauma", "emergency"),
    "suspected_fracture": ("red-flag-fracture", "urgent"),
    "rapidly_progressive_weakness": ("red-flag-rapid-weakness", "emergency"),
    "ascending_numbness": ("red-flag-rapid-weakness", "emergency"),
    "vertebrobasilar_symptoms": ("red-flag-vertebrobasilar", "emergency"),
}
URGENCY_ORDER = ("emergency", "urgent", "soon")


# -- what the sources say, worked out without the engine -------------------------------


def _reached(case: dict[str, Any], test: Any) -> set[str]:
    """The sides the complaints that pass ``test`` reach (a complaint on both sides reaches both)."""
    found: set[str] = set()
    for c in case["complaints"]:
        if test(c):
            side = c.get("side", "both")
            found |= {"left", "right"} if side == "both" else {side}
    return found


def _on_both_sides(case: dict[str, Any], regions: frozenset[str], sensations: set[str]) -> bool:
    return _reached(case, lambda c: c["region"] in regions and sensations & set(c["sensations"])) == {
        "left",
        "right",
    }


def expected_referrals(case: dict[str, Any]) -> dict[str, str]:
    """The referring rules a case must fire, each with its urgency, from the red flags it
    names and those its facts imply (NICE CKS sciatica and neck pain, NICE NG127, NICE
    NG234, the Canadian C-spine rule)."""
    out: dict[str, str] = {}
    red = set(case.get("red_flags", ()))
    for word in red - {"cancer_history"}:
        rule, urgency = RED_FLAG_RULES[word]
        out[rule] = urgency
    cause = case.get("cause") or {}
    kind, nerve, levels = cause.get("kind"), cause.get("nerve"), cause.get("levels", [])
    compression = kind == "nerve_root_compression"
    onset = case.get("onset")
    if compression and _on_both_sides(case, LEG, {"weakness"}):
        out["red-flag-implied-bilateral-leg-weakness"] = "urgent"
    if (compression or nerve == "sciatic") and _on_both_sides(
        case, LEG, {"pain", "numbness", "tingling", "burning"}
    ):
        out["red-flag-implied-bilateral-sciatica"] = "urgent"
    cervical = not levels or any(lv.startswith("C") for lv in levels)
    if (
        compression
        and cervical
        and _on_both_sides(case, frozenset({"hand", "fingers"}), {"numbness", "weakness"})
    ):
        out["red-flag-implied-myelopathy"] = "urgent"
    if onset in ("sudden", "days") and (
        _on_both_sides(case, LEG, {"weakness"}) or _on_both_sides(case, ARM, {"weakness"})
    ):
        out["red-flag-rapid-weakness"] = "emergency"
    if onset == "sudden" and any("weakness" in c["sensations"] for c in case["complaints"]):
        out["red-flag-sudden-weakness"] = "emergency"
    # Chemotherapy means a history of cancer; only distal symptoms under it are treated.
    chemo, cancer = kind == "chemotherapy", "cancer_history" in red
    beyond = levels or any(c["region"] not in DISTAL for c in case["complaints"])
    if (cancer and not chemo) or ((cancer or chemo) and beyond):
        out["red-flag-cancer-history"] = "urgent"
    age = case.get("age")
    if (
        kind == "trauma"
        and age is not None
        and age >= 65
        and onset != "weeks_or_longer"
        and any(c["region"] == "neck" for c in case["complaints"])
    ):
        out["red-flag-trauma-older-neck"] = "emergency"
    return out


def _places(item: Any) -> tuple[frozenset[str], str] | None:
    """The regions and side a placed flag covers: lymphoedema covers the whole limb of
    the region named (BMAS: "a limb"), and without a place every limb; a skin lesion
    covers the region or limb named, and without a place the whole body."""
    name = flag_name(item)
    side = "both" if isinstance(item, str) else item.get("side", "both")
    if isinstance(item, str) or ("region" not in item and "limb" not in item):
        # No place: every limb, or the whole body, on the side given (if any).
        return (ARM | LEG if name == "lymphedema" else frozenset(REGIONS)), side
    regions = {item["region"]} if "region" in item else set()
    limb = item.get("limb")
    if name == "lymphedema" and limb is None:
        limb = "arm" if regions & ARM else "leg" if regions & LEG else None
    if limb == "arm":
        regions |= ARM
    elif limb == "leg":
        regions |= LEG
    return frozenset(regions), side


def _regions_of(code: str, instances: tuple[str, ...]) -> frozenset[str]:
    """Where a suggested point is needled: at its chosen instances if it has any (Jiaji at
    C5 lies in the neck though Jiaji is catalogued in the upper back), else at the point."""
    point = CAT[code]
    chosen = {i.region or point.region for i in point.instances if i.key in instances}
    return frozenset(chosen or {point.region})


def _levels_of(code: str, instances: tuple[str, ...]) -> frozenset[str]:
    """The spinal levels a suggested point is needled at: its chosen places, or its own."""
    return frozenset(instances) & frozenset(LEVELS) or frozenset(CAT[code].levels)


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
        if "pregnancy" in names and (
            regions & PREGNANCY_REGIONS or _levels_of(p.code, p.instances) & LUMBOSACRAL_LEVELS
        ):
            out.append(f"{p.code}@{p.instances}: the lumbosacral region or the abdomen in pregnancy")
        if names & {"anticoagulants", "bleeding_disorder"} and "large_vessel" in point.cautions:
            out.append(f"{p.code}: beside a large vessel with a bleeding risk")
        if "diabetic_foot" in names and "toes" in regions:
            out.append(f"{p.code}: at the toes of a diabetic foot")
        if "diabetic_foot" in names and point.region == "foot" and point.aspect == "plantar":
            out.append(f"{p.code}: on the sole of a diabetic foot")
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


#: How a text names each treatment (written here, not taken from the library).
TREATMENT_WORDS = {
    "electroacupuncture": re.compile(r"electro-?acupuncture", re.IGNORECASE),
    "infrared": re.compile(r"infra-?red", re.IGNORECASE),
    "heat": re.compile(r"\bheat\b|\bhot bath|\bsauna|moxibustion", re.IGNORECASE),
    "cupping": re.compile(r"\bcupping\b|\bcups?\b", re.IGNORECASE),
    "gua_sha": re.compile(r"gua sha|scraping", re.IGNORECASE),
}


def forbidden_treatments(case: dict[str, Any]) -> set[str]:
    """The treatments the case's flags and complaints forbid, by the cited sources:
    electroacupuncture with a pacemaker (BMAS) or in pregnancy; cupping and gua sha with
    a bleeding risk (BAC); heat and infrared on insensate feet, whatever the cause (NICE
    NG19, Jose 2005); cupping, gua sha and infrared with a pregnant low back (GB/T 21709,
    WHO 1999)."""
    names = {flag_name(f) for f in case.get("flags", [])}
    levels = (case.get("cause") or {}).get("levels", [])
    out: set[str] = set()
    if names & {"pacemaker", "pregnancy"}:
        out.add("electroacupuncture")
    if names & {"anticoagulants", "bleeding_disorder"}:
        out |= {"cupping", "gua_sha"}
    numb_feet = any(
        c["region"] in ("foot", "toes") and "numbness" in c["sensations"] for c in case["complaints"]
    )
    if "diabetic_foot" in names or numb_feet:
        out |= {"heat", "infrared"}
    low_back = any(c["region"] in ("lower_back", "sacrum", "buttock") for c in case["complaints"])
    if "pregnancy" in names and (low_back or set(levels) & LUMBOSACRAL_LEVELS):
        out |= {"cupping", "gua_sha", "infrared"}
    return out


def offered(case: dict[str, Any], s: Suggestion) -> list[str]:
    """Every plan or advice line, and plan value, that offers a treatment the case forbids
    (the safety rules' own lines are prohibitions, not offers)."""
    banned = forbidden_treatments(case)
    found = []
    lines = [(i["rule"], i["text"]) for i in s.plan_items] + [(a.rule, a.text) for a in s.advice]
    for rule, text in lines:
        if rule in SAFETY:
            continue
        for t in banned:
            if TREATMENT_WORDS[t].search(text):
                found.append(f"{rule}: {t} in {text!r}")
    for key, value in s.plan.items():
        if key in banned and value is not False:
            found.append(f"plan {key} is {value!r}, not off")
        if isinstance(value, list):
            found += [f"plan {key} lists {t}" for t in banned if t in value]
    return found


# -- engines over every combination of packs --------------------------------------------

#: A practitioner's own pack that tries to undo every safety decision: it selects every
#: forbidden point with a heavy weight, offers every forbidden treatment in words the
#: engine is not told of, and sets the plan at a priority far above the safety pack's.
HOSTILE = """\
pack: hostile
sources:
  H: "A practitioner's own notes (a test pack that tries to undo every safety decision)"
rules:
  - id: hostile-points
    source: H
    summary: "Forbidden points, always and on both sides"
    priority: 100000
    when: {always: true}
    select:
      - points: [LI4, SP6, BL60, BL67, GB21, CV8, ST17, BL23, BL24, BL52, BL53, BL54, GV5, KI1,
                 EX-LE10, ST44, HT7, KI3, LR3, BL40, CV4, ST25, EX-B2]
        role: local
        side: both
        weight: 5
      - query: {region: affected}
        role: local
        weight: 5
  - id: hostile-plan
    source: H
    summary: "Every treatment, at the top priority"
    priority: 100000
    when: {always: true}
    plan:
      - {key: electroacupuncture, value: true, text: "Use the current at 2 Hz on every needle."}
      - {key: infrared, value: true, text: "A lamp over the needles, as hot as tolerated."}
      - {key: technique, value: [manual, electroacupuncture], text: "Electro-acupuncture always."}
      - {key: technique, value: [manual, acupressure], text: "Needles, then acupressure."}
      - {key: adjuncts, value: [cupping, gua_sha], text: "Cups and scraping over the lower back."}
      - {key: max_points_cap, value: 60, text: "As many needles as you like."}
    advice:
      - {text: "Warm the feet in a hot bath every evening, then a sauna."}
      - {text: "Moxibustion at home on ST36 and on the lower back."}
"""
_FOLDER = Path(tempfile.mkdtemp(prefix="acupoints-hostile-"))
(_FOLDER / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
HOSTILE_PACK = _FOLDER / "hostile.yaml"

#: Every combination of the shipped packs besides safety, with and without the hostile
#: pack, each asked for by name: the safety pack is never named, and always in force.
COMBINATIONS = [
    (shipped, hostile)
    for shipped in ((), ("documents",), ("classical",), ("documents", "classical"))
    for hostile in (False, True)
]
ENGINES = {
    (shipped, hostile): Engine(
        load_rulebook([shipped_rules(), *([HOSTILE_PACK] if hostile else [])],
                      packs=[*shipped, *(["hostile"] if hostile else [])])
    )
    for shipped, hostile in COMBINATIONS
}  # fmt: skip
engines = st.sampled_from(sorted(ENGINES, key=repr)).map(lambda k: ENGINES[k])


def test_every_engine_holds_the_whole_safety_pack() -> None:
    for (shipped, hostile), engine in ENGINES.items():
        assert set(engine.rulebook.packs) == {*shipped, "safety", *(["hostile"] if hostile else [])}
        assert {r.id for r in engine.rulebook if r.pack == "safety"} == set(SAFETY)


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
        (strategies.onsets, ONSETS),
    ],
    ids=["region", "aspect", "side", "sensation", "cause", "nerve", "level", "tenderness", "flag",
         "red_flag", "onset"],
)  # fmt: skip
def test_the_generated_cases_draw_from_every_word(pool: Any, words: tuple[str, ...]) -> None:
    # The properties below are only as strong as the cases they see; each field's words
    # are drawn from the whole vocabulary of the library.
    assert tuple(pool.elements) == words
    assert set(PLACED_FLAGS) <= set(FLAGS)


@st.composite
def pictures(draw: st.DrawFn) -> dict[str, Any]:
    """A case that often reaches the boundaries of the implied red flags: a complaint of a
    leg or a hand, a compression (cervical or lumbar), chemotherapy, an age and an onset."""
    case = draw(cases(red_flags=None))
    extra = draw(st.lists(complaints(region=draw(st.sampled_from(sorted(LEG | {"hand", "fingers", "neck"})))),
                          max_size=2), label="extra complaints")  # fmt: skip
    case = {**case, "complaints": [*case["complaints"], *extra]}
    cause = draw(st.sampled_from([None, "C6", "L5", "none", "chemotherapy", "trauma"]), label="cause")
    if cause in ("C6", "L5"):
        case["cause"] = {"kind": "nerve_root_compression", "levels": [cause]}
    elif cause == "none":
        case["cause"] = {"kind": "nerve_root_compression"}
    elif cause is not None:
        case["cause"] = {"kind": cause}
    return case


def split(case: dict[str, Any]) -> dict[str, Any]:
    """The same picture with every complaint on both sides written as a left and a right one."""
    out = []
    for c in case["complaints"]:
        if c.get("side", "both") == "both":
            out += [{**c, "side": "left"}, {**c, "side": "right"}]
        else:
            out.append(c)
    return {**case, "complaints": out}


# -- properties over generated cases and engines ------------------------------------------


@given(engines, cases(red_flags=False))
def test_no_suggested_point_is_one_the_flags_exclude(engine: Engine, case: dict[str, Any]) -> None:
    s = engine.suggest(case)
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


@given(engines, cases(red_flags=False), st.data())
def test_flags_added_to_any_case_still_exclude(engine: Engine, case: dict[str, Any], data: Any) -> None:
    near = tuple(c["region"] for c in case["complaints"])
    extra = data.draw(st.lists(flag_items(near, SAFETY_FLAGS), min_size=1, max_size=3), label="flags")
    case = with_flags(case, *extra)
    assert forbidden(case, engine.suggest(case)) == []


@given(engines, pictures())
def test_a_case_is_referred_exactly_when_a_red_flag_bears_on_it(engine: Engine, case: dict[str, Any]) -> None:
    s = engine.suggest(case)
    expected = expected_referrals(case)
    assert (s.status == "refer") == bool(expected), (expected, s.referral)
    if not expected:
        return
    assert s.points == () and s.excluded == () and s.plan == {}
    assert s.referral is not None and s.referral.reason.strip()
    assert set(s.referral.rules) == set(expected)
    assert s.referral.urgency == min(expected.values(), key=URGENCY_ORDER.index)
    assert s.referral.findings == tuple(case.get("red_flags", ()))
    d = s.to_dict()
    assert d["status"] == "refer" and d["points"] == [] and d["referral"]["urgency"] == s.referral.urgency


@given(engines, pictures())
def test_the_same_picture_gets_the_same_answer_however_the_complaints_are_split(
    engine: Engine, case: dict[str, Any]
) -> None:
    whole, parts = engine.suggest(case), engine.suggest(split(case))
    assert whole.status == parts.status
    if whole.referral is not None and parts.referral is not None:
        assert set(whole.referral.rules) == set(parts.referral.rules)
        assert whole.referral.urgency == parts.referral.urgency


@given(cases(red_flags=False))
def test_distal_chemotherapy_symptoms_are_suggested_with_the_oncology_warning(case: dict[str, Any]) -> None:
    # The documented exception: a history of cancer with numb or painful hands and feet
    # under chemotherapy gets points, and the warning to agree them with the oncology team.
    distal = [c for c in case["complaints"] if c["region"] in DISTAL]
    assume(distal)
    case = {**case, "complaints": distal, "cause": {"kind": "chemotherapy"}, "red_flags": ["cancer_history"]}
    s = ENGINE.suggest(case)
    assert "red-flag-cancer-history" not in s.rules_fired
    if s.status == "suggested":
        assert any("oncology team" in w and "platelet" in w for w in s.warnings)
    else:
        assert s.referral is not None and "red-flag-cancer-history" not in s.referral.rules


@given(
    engines,
    cases(red_flags=False),
    st.lists(
        st.sampled_from(["pacemaker", "pregnancy", "anticoagulants", "bleeding_disorder", "diabetic_foot"]),
        max_size=2,
    ),
)
def test_no_plan_or_advice_line_offers_a_treatment_a_flag_forbids(
    engine: Engine, case: dict[str, Any], flags: list[str]
) -> None:  # fmt: skip
    case = with_flags(case, *flags)
    s = engine.suggest(case)
    assert offered(case, s) == []
    if s.status == "suggested" and forbidden_treatments(case):
        # Whatever was withheld is said, with the rule that forbade it.
        for c in s.conflicts:
            assert c.between and c.detail


@given(engines, cases(red_flags=False), st.data())
def test_adding_a_flag_never_adds_a_point(engine: Engine, case: dict[str, Any], data: Any) -> None:
    # A flag only removes points, so the points of the case with the flag must come
    # from the points the case had without it. The comparison must be made against
    # the *uncapped* candidates: when a flag excludes a high-ranked point, the cap
    # (max_points) lets a lower-ranked one move up into the list, and that point is
    # "new" only relative to the capped list. So the case without the flag runs at the
    # largest cap a case allows, and its dropped points count as candidates too; the
    # case with the flag keeps its own cap (needle_phobia may lower it further).
    item = data.draw(flag_items(), label="flag")
    without = engine.suggest({**case, "max_points": 60})
    candidates = set(without.codes) | set(without.dropped)
    flagged = engine.suggest(with_flags(case, item))
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


@given(engines, cases(red_flags=False), st.sampled_from(["pacemaker", {"flag": "pacemaker", "side": "left"}]))
def test_pacemaker_turns_electroacupuncture_off(engine: Engine, case: dict[str, Any], item: Any) -> None:
    # Whatever priority another pack gives its setting, the safety pack's stands.
    s = engine.suggest(with_flags(case, item))
    assume(s.status == "suggested")
    assert s.plan["electroacupuncture"] is False and s.plan["technique"] == ["manual"]
    assert any(i["rule"] == "pacemaker-no-electroacupuncture" for i in s.plan_items)


@given(engines, cases(red_flags=False), st.sampled_from(["pacemaker", "pregnancy"]))
def test_the_plan_never_offers_electroacupuncture_when_it_is_off(engine: Engine, case: dict[str, Any],
                                                                 flag: str) -> None:  # fmt: skip
    # The plan must not say "no electroacupuncture" and list it as a technique at once.
    s = engine.suggest(with_flags(case, flag))
    assume(s.status == "suggested")
    assert s.plan["electroacupuncture"] is False
    assert "electroacupuncture" not in s.plan.get("technique", []), s.plan["technique"]
    assert not [i for i in s.plan_items if i["text"] == "Electroacupuncture may be used."]


@given(engines, cases(red_flags=False))
def test_needle_phobia_caps_the_points_at_six(engine: Engine, case: dict[str, Any]) -> None:
    # Whatever the case asks for itself (its own max_points included), and whatever cap
    # another pack sets, a phobic patient gets at most 6 points.
    s = engine.suggest(with_flags(case, "needle_phobia"))
    assert len(s.points) <= 6, (case.get("max_points"), s.codes)
    if s.status == "suggested":
        assert any(i["rule"] == "needle-phobia-fewer-needles" for i in s.plan_items)


def test_an_overridden_line_goes_from_every_view() -> None:
    case = {"complaints": [{"region": "forearm", "sensations": ["pain"]}], "flags": ["pacemaker"]}
    for engine in (ENGINE, ENGINES[(("documents", "classical"), True)]):
        s = engine.suggest(case)
        views = {
            "json": s.to_json(),
            "markdown": s.to_markdown(),
            "html": s.to_html(case),
            "table": str(s),
        }
        for name, text in views.items():
            assert "Electroacupuncture may be used" not in text, name
            assert "Use the current at 2 Hz" not in text, name
            # The table shows no plan lines; the other views show the prohibition.
            assert name == "table" or "No electroacupuncture" in text, name
    # Without the pacemaker the line is there: the check above can fail.
    assert "Electroacupuncture may be used" in ENGINE.suggest({**case, "flags": []}).to_markdown()


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
    "red-flag-rapid-weakness": ("Guillain-Barre syndrome", "NICE-NG127"),
    "red-flag-sudden-weakness": ("stroke", "NICE-NG127"),
    "red-flag-myelopathy": ("myelopathy", "NICE-CKS-NECK"),
    "red-flag-infection": ("spinal infection", "FINUCANE-2020"),
    "red-flag-malignancy": ("metastasis", "NICE-NG59"),
    "red-flag-night-pain": ("cancer or infection", "NICE-CKS-SCIATICA"),
    "red-flag-cancer-history": ("spinal metastasis", "NICE-NG234"),
    "red-flag-major-trauma": ("fracture", "FINUCANE-2020"),
    "red-flag-fracture": ("spinal fracture", "FINUCANE-2020"),
    "red-flag-vertebrobasilar": ("vertebral arteries", "NICE-CKS-NECK"),
    "red-flag-implied-bilateral-leg-weakness": ("both legs", "NICE-CKS-SCIATICA"),
    "red-flag-implied-bilateral-sciatica": ("bilateral sciatica", "NICE-CKS-SCIATICA"),
    "red-flag-implied-myelopathy": ("cervical myelopathy", "NICE-CKS-NECK"),
    "red-flag-trauma-older-neck": ("Canadian C-spine rule", "STIELL-2001"),
}
SOURCE_TITLE_WORD = {
    "GIRFT-CES": "cauda equina syndrome pathway",
    "NICE-CKS-SCIATICA": "Sciatica",
    "NICE-CKS-NECK": "cervical radiculopathy",
    "NICE-NG127": "Suspected neurological conditions",
    "NICE-NG234": "Spinal metastases",
    "FINUCANE-2020": "Finucane",
    "NICE-NG59": "NG59",
    "STIELL-2001": "Canadian C-spine rule",
}


def test_every_red_flag_word_has_a_referral_rule() -> None:
    assert set(RED_FLAG_RULES) == set(RED_FLAGS)
    referring = {r.id for r in SAFETY.values() if r.rule.refer is not None}
    assert referring == set(RED_FLAG_TEXT)
    assert {rule for rule, _ in RED_FLAG_RULES.values()} <= referring


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
    assert ex.instance == "L4" and ex.rule == "pregnancy-lumbosacral-region" and "lumbosacral" in ex.reason
    assert ex.source == "WHO-1999" and ex.to_dict()["instance"] == "L4"


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
    tested = set(RED_FLAG_TEXT) | set(RULE_CASES) | {
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
    for title in {r.source for r in SAFETY.values()}:
        assert title.split(".")[0] in page, title
    assert "no good evidence that these points do harm" in page
    assert "cannot be switched off" in page


# -- the rules added for the safety issue, each with its case and source ----------------

#: A safety rule and the data-driven case (tests/data/cases) written from its source.
RULE_CASES: dict[str, str] = {
    "motor-deficit-leg": "safety-motor-deficit-foot-drop",
    "motor-deficit-arm": "safety-motor-deficit-weak-grip",
    "cancer-treatment-oncology": "safety-chemotherapy-distal-suggested",
    "age-spinal-pain": "safety-age-spinal-pain-warning",
    "pregnancy-lumbosacral-region": "safety-pregnancy-lumbosacral-graph",
    "pregnancy-low-back-no-cupping": "safety-pregnancy-low-back",
    "pregnancy-low-back-no-gua-sha": "safety-pregnancy-low-back",
    "pregnancy-low-back-no-infrared": "safety-pregnancy-low-back",
    "insensate-feet-no-heat": "safety-numb-feet-no-heat",
}
#: A word of each source's title, to check that the rule cites what its case names.
RULE_SOURCE_WORD = {
    "motor-deficit-leg": "Sciatica",
    "motor-deficit-arm": "cervical radiculopathy",
    "cancer-treatment-oncology": "cancer care",
    "age-spinal-pain": "red flags",
    "pregnancy-lumbosacral-region": "World Health Organization",
    "pregnancy-low-back-no-cupping": "cupping",
    "pregnancy-low-back-no-gua-sha": "gua sha",
    "pregnancy-low-back-no-infrared": "World Health Organization",
    "insensate-feet-no-heat": "Hot water bottles",
}


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_each_new_safety_rule_fires_in_its_case_and_cites_its_source(rule_id: str) -> None:
    import yaml

    from data.paths import CASES

    data = yaml.safe_load((CASES / f"{RULE_CASES[rule_id]}.yaml").read_text(encoding="utf-8"))
    s = ENGINE.suggest(data["case"])
    assert rule_id in s.rules_fired
    assert RULE_SOURCE_WORD[rule_id] in SAFETY[rule_id].source
    said = [i["source"] for i in s.plan_items if i["rule"] == rule_id]
    said += [a.source for a in s.advice if a.rule == rule_id]
    assert all(key == SAFETY[rule_id].source_key for key in said)


@pytest.mark.parametrize("cause", ["chemotherapy", "hiv", "hereditary", "unknown", "nerve_root_compression"])
def test_numb_feet_of_any_cause_get_the_insensate_foot_protections(cause: str) -> None:
    case = {"complaints": [{"region": "foot", "aspect": "plantar", "side": "right", "sensations": ["numbness"]}],
            "cause": {"kind": cause}}  # fmt: skip
    s = ENGINE.suggest(case)
    assert s.status == "suggested"
    assert {"insensate-feet", "insensate-feet-no-heat"} <= set(s.rules_fired)
    assert s.plan["infrared"] is False
    assert any("KI1" in w and "Bafeng" in w for w in s.warnings)
    assert offered(case, s) == []
    advice = [a for a in s.advice if a.rule == "insensate-feet-no-heat"]
    assert advice and "numb feet" in advice[0].text and advice[0].source == "JOSE-2005"


def test_heat_advice_is_given_without_the_heat_and_says_so() -> None:
    case = {"complaints": [{"region": "foot", "sensations": ["numbness"]}], "cause": {"kind": "diabetes"}}
    s = ENGINE.suggest(case)
    home = [a for a in s.advice if a.rule == "advice-home-care-neuropathy"]
    assert home and "heat" not in home[0].text and "sleep routine" in home[0].text
    assert home[0].principles == ("A6",) and home[0].source == "D4"
    heat = [c for c in s.conflicts if c.about == "heat" and "advice-home-care-neuropathy" in c.between]
    assert heat and "insensate-feet-no-heat" in heat[0].between and "given without heat" in heat[0].detail


def test_no_priority_overrides_a_safety_setting() -> None:
    engine = ENGINES[(("documents", "classical"), True)]
    s = engine.suggest({"complaints": [{"region": "forearm", "sensations": ["pain"]}],
                        "flags": ["pacemaker", "needle_phobia"]})  # fmt: skip
    assert s.plan["electroacupuncture"] is False and s.plan["technique"] == ["manual"]
    assert len(s.points) <= 6
    assert any(c.about == "electroacupuncture" and "hostile-plan" in c.between for c in s.conflicts)
    # Where no safety rule speaks, the pack's own high priority wins over the documents.
    plain = engine.suggest({"complaints": [{"region": "forearm", "sensations": ["pain"]}],
                            "cause": {"kind": "muscular"}})  # fmt: skip
    assert plain.plan["adjuncts"] == ["cupping", "gua_sha"] and plain.plan["electroacupuncture"] is True
    assert any(c.about == "adjuncts" and c.between[0] == "hostile-plan" for c in plain.conflicts)


def test_lymphoedema_of_a_hand_leaves_the_whole_arm_out() -> None:
    case = {"complaints": [{"region": "forearm", "aspect": "dorsal", "side": "left", "sensations": ["numbness"]},
                           {"region": "upper_arm", "side": "left", "sensations": ["pain"]}],
            "flags": [{"flag": "lymphedema", "region": "hand", "side": "left"}], "max_points": 60}  # fmt: skip
    s = ENGINE.suggest(case)
    assert not [p.code for p in s.points if CAT[p.code].region in ARM]
    assert s.excluded and all(e.reason.endswith("(left arm)") for e in s.excluded)
    assert forbidden(case, s) == []


@pytest.mark.parametrize(("flag", "where"), [("lymphedema", ARM | LEG), ("skin_lesion", frozenset(REGIONS))])
def test_a_flag_without_a_place_fails_closed(flag: str, where: frozenset[str]) -> None:
    case = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]},
                           {"region": "neck", "sensations": ["pain"]}], "flags": [flag], "max_points": 60}  # fmt: skip
    plain = ENGINE.suggest({**case, "flags": []})
    s = ENGINE.suggest(case)
    gone = {p.code for p in plain.points if CAT[p.code].region in where}
    assert gone and not gone & set(s.codes)
    assert set(s.codes) <= {p.code for p in plain.points} - gone
    assert any("without a region or limb" in w for w in s.warnings)
