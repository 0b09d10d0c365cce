"""Clinical correctness of selection (issue 15): roots, choices, tender filters, explanations.

Each test reads what a source says: the nerve root table for where a root leaves the
spine and what skin it supplies, D3 for "Tianzhu, Dazhui or Jianzhongshu" and for the
tender points of the posterior neck and of the lumbosacral area, D0 for motor points.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from acupoints import Case, Engine, lint
from acupoints.base.vocab import ASPECTS, REGIONS, UPPER_LIMB
from acupoints.engine.binding import ASPECT_MATCH, FOOT_REGIONS, same_surface
from acupoints.engine.selection import SELECTION_KINDS, Finder, tender_takes
from acupoints.rulebook.conditions import CaseView
from acupoints.rulebook.query_keys import unused_keys
from acupoints.rulebook.schema import Query, Select, TenderWhere
from data.paths import CASES

ENGINE = Engine.default()
FINDER = Finder(ENGINE.rulebook, ENGINE.catalog)
RULE = ENGINE.rulebook["cervical-compression-named-points"]


def _view(**fields: Any) -> CaseView:
    case = {"complaints": [{"region": "neck", "sensations": ["pain"]}], **fields}
    return CaseView.of(Case.from_dict(case))


def _compressed(*levels: str, **fields: Any) -> CaseView:
    return _view(cause={"kind": "nerve_root_compression", "levels": list(levels)}, **fields)


# -- roots, not vertebrae ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("root", "jiaji"),
    [("C5", "EX-B2@C4"), ("C6", "EX-B2@C5"), ("C7", "EX-B2@C6"), ("C8", "EX-B2@C7"), ("T1", "EX-B2@T1"),
     ("L4", "EX-B2@L4"), ("L5", "EX-B2@L5")],
)  # fmt: skip
def test_compressed_levels_are_the_exits_of_the_roots(root: str, jiaji: str) -> None:
    found, how = FINDER.query.run(
        Query(levels="compressed", groups=("EX-B2",)), RULE, None, _compressed(root)
    )
    assert found == (jiaji,)
    assert f"exit of the root(s) {root}" in how


def test_fixed_levels_stay_vertebral_segments() -> None:
    # The safety pack's "Jiaji at L2 to L5" names vertebrae, not roots.
    found, _ = FINDER.query.run(Query(levels=("L2", "L5"), groups=("EX-B2",)), RULE, None, None)
    assert found == ("EX-B2@L2", "EX-B2@L5")


def test_the_root_territory_is_the_filter_of_last_resort() -> None:
    q = Query(region=("forearm", "wrist"), surface="yin", channels="root_territory")
    c8 = _compressed("C8")
    run = FINDER.query.run

    def channels(b: Any, view: CaseView) -> set[str | None]:
        return {ENGINE.catalog[n].meridian for n in run(q, RULE, b, view)[0]} - {None}

    from acupoints.engine.binding import Binding

    plain = Binding(frozenset({"forearm"}), frozenset(), frozenset(), frozenset(), frozenset({"left"}))
    assert channels(plain, c8) == {"HT"}  # the C8 skin: the Heart channel on the yin side
    thumb = plain.__class__(plain.regions, frozenset(), frozenset({1}), frozenset(), plain.side)
    assert channels(thumb, c8) == {"LU"}  # the case's digits win
    radial = plain.__class__(
        plain.regions, frozenset({"radial", "lateral"}), frozenset(), frozenset(), plain.side
    )
    assert channels(radial, c8) == {"LU"}  # and so does its aspect
    assert channels(plain, _view()) == {"LU", "HT", "PC"}  # nothing known: every yin channel


def test_the_root_territory_names_only_the_roots_whose_skin_reaches_the_complaint() -> None:
    # A C6 and an L5 root with a forearm and a leg: each complaint's channels, and its words,
    # come from the root that reaches it (the forearm's "C6, L5 root territory" was wrong).
    case = {
        "complaints": [
            {"region": "forearm", "side": "left", "sensations": ["pain"]},
            {"region": "leg", "side": "left", "sensations": ["pain"]},
        ],
        "cause": {"kind": "nerve_root_compression", "levels": ["C6", "L5"]},
    }
    found_by = [f for p in ENGINE.suggest(case).to_dict()["points"] for f in p["found_by"]]
    said = {m.group(0) for f in found_by for m in re.finditer(r"the [A-Z0-9, ]+ root territory in \w+", f)}
    assert said == {"the C6 root territory in forearm", "the L5 root territory in leg"}
    # The same complaints with the C6 root alone find the same forearm points, said alike.
    only_c6 = {**case, "cause": {"kind": "nerve_root_compression", "levels": ["C6"]}}
    forearm = [
        f for p in ENGINE.suggest(only_c6).to_dict()["points"] for f in p["found_by"] if "in forearm" in f
    ]
    assert forearm and all(f in found_by for f in forearm)


# -- "Tianzhu, Dazhui or Jianzhongshu" (D3) ------------------------------------------------------
ONE_OF = Select(one_of=("BL10", "GV14", "SI15"), role="segmental")


@pytest.mark.parametrize(
    ("fields", "chosen", "why"),
    [
        ({"tender_points": ["BL10", "GB20"]}, ("BL10",), "the tender one"),
        ({"tender_points": ["SI15", "GV14"]}, ("GV14", "SI15"), "the tender ones"),
        ({}, ("GV14",), "nearest the exit of C8"),
    ],
)
def test_one_of_prefers_the_tender_then_the_level(
    fields: dict[str, Any], chosen: tuple[str, ...], why: str
) -> None:
    found, how = SELECTION_KINDS["one_of"].find(FINDER, RULE, ONE_OF, None, _compressed("C8", **fields))
    assert found == chosen and why in how


def test_one_of_takes_the_one_at_the_level() -> None:
    find = SELECTION_KINDS["one_of"].find
    assert find(FINDER, RULE, ONE_OF, None, _compressed("C2"))[0] == ("BL10",)
    assert find(FINDER, RULE, ONE_OF, None, _compressed("C7"))[0] == ("GV14",)
    assert find(FINDER, RULE, ONE_OF, None, _view())[0] == ("BL10",)  # no level: the first


# -- tender points where they are --------------------------------------------------------------
def test_tender_points_are_taken_by_region_and_aspect() -> None:
    case = {"complaints": [{"region": "neck", "side": "right", "sensations": ["pain"]}],
            "cause": {"kind": "nerve_root_compression", "levels": ["C6"]},
            "tenderness": "mild", "tender_points": ["BL10", "ST36", "SI16", "BL25"]}  # fmt: skip
    s = ENGINE.suggest({**case, "max_points": 60})

    def tender_rules(code: str) -> set[str]:
        p = s.point(code)
        return {x.rule for x in p.supports if x.found_by.startswith("the case's tender")} if p else set()

    # Tianzhu is a tender point of the posterior neck (P7) and of the affected region (P2).
    assert tender_rules("BL10") == {"cervical-compression-neck-tender-points", "local-tender-points"}
    # Tianchuang lies on the side of the neck: P2's, not P7's; Zusanli on the leg and
    # Dachangshu on the low back are no tender points of this case's areas.
    assert tender_rules("SI16") == {"local-tender-points"}
    assert tender_rules("ST36") == set() and "BL25" not in s.codes
    low = ENGINE.suggest({**case, "cause": {"kind": "nerve_root_compression", "levels": ["L5"]},
                          "complaints": [{"region": "leg", "side": "right", "sensations": ["pain"]}]})  # fmt: skip
    bl25 = low.point("BL25")
    assert bl25 is not None and "lumbosacral-compression-named-points" in bl25.rules
    assert "BL10" not in low.codes


def test_one_tender_finding_adds_its_weight_once() -> None:
    # The example: a cervical case with a tender Zusanli on the leg and a leg
    # complaint. Zusanli is taken by P2 (a tender point of the affected limb) once.
    case = {"complaints": [{"region": "neck", "side": "right", "sensations": ["pain"]},
                           {"region": "leg", "side": "right", "sensations": ["pain"]}],
            "cause": {"kind": "nerve_root_compression", "levels": ["C6"]},
            "tenderness": "pronounced", "tender_points": ["ST36"]}  # fmt: skip
    st36 = ENGINE.suggest(case).point("ST36")
    assert st36 is not None
    tender = [x for x in st36.supports if x.found_by.startswith("the case's tender points")]
    assert [x.score for x in tender if x.score] == [1.5]
    assert "cervical-compression-neck-tender-points" not in st36.rules


# -- surfaces of the foot, the arm and the body ------------------------------------------------
@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("aspect", ASPECTS)
def test_an_aspect_widens_only_to_its_own_surface(region: str, aspect: str) -> None:
    same = same_surface(aspect, region)
    assert aspect in same
    if region in FOOT_REGIONS:
        # The dorsum of the foot faces up: the heel and the back of the ankle are another
        # surface, and the foot has no palmar, radial or ulnar side.
        assert ("posterior" in same) == (aspect == "posterior")
        assert same <= {aspect, "dorsal", "anterior"}
    elif region in UPPER_LIMB:
        assert same == ASPECT_MATCH.get(aspect, {aspect})
    else:
        # No palm, radius or ulna here: the hand's words are read as the body's, and the
        # body's words never widen to the hand's (a lateral thigh is no "radial" one).
        hand = {"dorsal": "posterior", "palmar": "anterior", "radial": "lateral", "ulnar": "medial"}
        assert same == ({aspect, hand[aspect]} if aspect in hand else {aspect})


def _skin_lines(region: str, aspect: str) -> set[str]:
    s = ENGINE.suggest({"complaints": [{"region": region, "aspect": aspect, "side": "left",
                                        "sensations": ["numbness"]}], "cause": {"kind": "diabetes"}})  # fmt: skip
    return {x.found_by for p in s.points for x in p.supports if "channels through the" in x.found_by}


def test_the_front_of_the_ankle_is_the_stomach_channel_s_skin() -> None:
    # Jiexi (ST41) lies at the middle of the front of the ankle (WHO 2008); the catalogue
    # files it on the ankle's dorsal side, which an "anterior" complaint now reaches.
    lines = _skin_lines("ankle", "anterior")
    assert lines and all("the anterior/dorsal ankle (ST)" in line for line in lines)


def test_a_heel_complaint_is_not_read_as_the_dorsum() -> None:
    lines = _skin_lines("foot", "posterior")
    assert not any("dorsal" in line for line in lines)
    dorsum = _skin_lines("foot", "dorsal")
    assert dorsum and all("posterior" not in line for line in dorsum)


# -- a rule's aspects are the catalogue's words, read as written --------------------------------
ANTEROLATERAL = Query(region=("leg", "ankle", "foot", "knee"), aspect=("anterior", "lateral", "dorsal"))


@pytest.mark.parametrize("aspect", ["dorsal", "anterior", "posterior", "lateral", None])
def test_a_written_query_aspect_keeps_only_points_on_it(aspect: str | None) -> None:
    # P8's query for a numb dorsal foot, without its list: the front and outer side of the
    # leg and the dorsum, never the back of the leg (the hand's table would read the
    # rule's `dorsal` as `posterior` there) whatever the complaint's own aspect.
    complaint = {"region": "foot", "sensations": ["numbness"], **({"aspect": aspect} if aspect else {})}
    view = CaseView.of(Case.from_dict({"complaints": [complaint]}))
    found, how = FINDER.query.run(ANTEROLATERAL, RULE, None, view)
    aspects = {ENGINE.catalog[code.split("@")[0]].aspect for code in found}
    assert found and aspects <= {"anterior", "lateral", "dorsal"}
    assert "on the anterior/dorsal/lateral aspect" in how


def test_a_written_tender_aspect_keeps_only_points_on_it() -> None:
    # A tender point's place is the catalogue's, so the filter's words are compared as written.
    back_of_hand = tender_takes(TenderWhere(region=("hand",), aspect=("dorsal",)), frozenset())
    assert back_of_hand("hand", "dorsal") and not back_of_hand("hand", "posterior")
    assert not back_of_hand("wrist", "dorsal")
    front_of_foot = tender_takes(TenderWhere(region=("foot", "ankle"), aspect=("anterior",)), frozenset())
    assert not front_of_foot("foot", "dorsal") and front_of_foot("ankle", "anterior")


def test_aspects_in_lists_where_the_points_of_regions_lie() -> None:
    cat, graph = ENGINE.catalog, ENGINE.catalog.graph
    assert cat.aspects_in(["leg", "knee"]) == {"anterior", "lateral", "medial", "posterior"}
    assert {"dorsal", "plantar"} <= cat.aspects_in(["foot"]) and "posterior" not in cat.aspects_in(["foot"])
    # Jiaji's places lie on the back, the aspect of the group point.
    assert "posterior" in cat.aspects_in(["lower_back"])
    # The same as the graph's points and places, region by region.
    for region in REGIONS:
        nodes = graph.in_region([region], instances=True)
        on = {graph.attrs(graph.attrs(n).get("point", n))["aspect"] for n in nodes}
        assert cat.aspects_in([region]) == on - {None}, region


@pytest.mark.parametrize(
    "query",
    [
        {"through": ["leg"], "aspect": ["lateral"]},  # a channel query: no region to read it on
        {"levels": ["L4"], "region": ["lower_back"], "aspect": "affected", "groups": ["EX-B2"]},
        {"meridians": ["GB"], "aspect": "affected"},
    ],
)
def test_an_aspect_the_query_does_not_read_changes_nothing_and_the_linter_says_so(
    query: dict[str, Any], tmp_path: Path
) -> None:
    view = CaseView.of(
        Case.from_dict({"complaints": [{"region": "leg", "aspect": "medial", "sensations": ["pain"]}]})
    )
    plain = {k: v for k, v in query.items() if k != "aspect"}
    assert (
        FINDER.query.run(Query(**query), RULE, None, view)[0]
        == FINDER.query.run(Query(**plain), RULE, None, view)[0]
    )
    rule = {"id": "r", "principles": ["P11"], "source": "S", "summary": "An aspect that filters nothing",
            "when": {"always": True}, "select": [{"query": query, "role": "distal"}]}  # fmt: skip
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump({"pack": "mine", "sources": {"S": "a source"}, "rules": [rule]}))
    assert [(p.code, p.severity) for p in lint([path])] == [("key-unused", "warning")]


def test_an_aspect_the_query_reads_is_no_warning() -> None:
    assert not unused_keys(Query(region=("leg",), aspect=("lateral",)))
    assert not unused_keys(Query(region="affected", aspect="affected"))
    assert not unused_keys(Query(through="affected", aspect="affected"))
    assert unused_keys(Query(through=("leg",), aspect=("lateral",))) == ("aspect",)


ON_ASPECT = re.compile(r"on the ([a-z/]+) aspect")


@pytest.mark.parametrize("region", REGIONS)
def test_the_words_never_put_a_point_on_an_aspect_it_is_not_on(region: str) -> None:
    # A query's aspect keeps points only where it takes them by region; elsewhere (the
    # distal points of the channels through the skin) it only chooses the channels, and
    # the words say so instead of "points on the posterior aspect" for Kunlun (BL60), which
    # lies on the outer ankle.
    for aspect in ASPECTS:
        case = {"complaints": [{"region": region, "aspect": aspect, "side": "left",
                                "sensations": ["pain", "numbness"]}], "max_points": 40}  # fmt: skip
        for p in ENGINE.suggest(case).points:
            on = ENGINE.catalog[p.code].aspect
            for s in p.supports:
                for named in ON_ASPECT.findall(s.found_by):
                    assert on in named.split("/"), (region, aspect, p.code, s.found_by)


def test_distal_points_name_the_skin_their_channels_run_through() -> None:
    s = ENGINE.suggest({"complaints": [{"region": "neck", "aspect": "posterior", "side": "left",
                                        "sensations": ["pain"]}], "max_points": 40})  # fmt: skip
    distal = [x.found_by for p in s.points for x in p.supports if x.rule == "method-distal-points"]
    assert distal and all(
        "points on the channels through the posterior neck (BL, GB, GV)" in f for f in distal
    )


# -- motor points: a muscular cause only (D0) -----------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "fires"), [("muscular", True), ("nerve_root_compression", False), ("unknown", False)]
)
def test_motor_points_need_a_muscular_cause(kind: str, fires: bool) -> None:
    case = {"complaints": [{"region": "leg", "sensations": ["weakness"]}], "cause": {"kind": kind}}
    assert ("motor-points-weakness" in ENGINE.suggest(case).rules_fired) is fires


# -- explanations of group points -----------------------------------------------------------
def _case(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))["case"]
    return data


def test_a_group_point_is_explained_by_its_places() -> None:
    e = ENGINE.explain(_case("correct-explain-group-point"), "EX-B2")
    assert e.status == "chosen"
    assert "EX-B2@C7" in e.detail
    (rule, _, how, _), *_ = e.chosen_by
    assert rule == "jiaji-at-compressed-level" and "exit of the root(s) C8 (C7-T1)" in how


def test_a_fired_rule_says_what_it_looked_for_and_found() -> None:
    e = ENGINE.explain(_case("correct-explain-group-point"), "BL31")
    assert e.status == "not-chosen" and "No rule that fired" not in e.detail
    (c,) = [c for c in e.candidates if c.rule == "compression-reflex-area"]
    assert c.fired and "exit of the root(s) C8" in c.looked_for and c.found == ("GV14",)
    text = str(e)
    assert "compression-reflex-area fired: it looked for points at the exit of the root(s) C8" in text
    assert e.to_dict()["candidates"][0]["found"] == ["GV14"]


def test_a_rule_that_did_not_fire_is_still_explained_by_its_condition() -> None:
    e = ENGINE.explain(_case("correct-explain-group-point"), "GV20")
    assert e.status == "not-chosen" and e.detail == "No rule that fired selects it."
