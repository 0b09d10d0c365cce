"""The query keys of the selection methods (category, outside, within, link, rank, couple) and the
share of places each affected region gets when the list is cut."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from acupoints import Catalog, Engine
from acupoints.catalog.knowledge import serving
from acupoints.engine.query import Filters, GraphQuery
from acupoints.engine.ranking import CODE, INSTANCES, NEG, Ranker, region_share
from acupoints.rulebook.book import load_rulebook
from acupoints.rulebook.schema import Query

CAT = Catalog.default()
G = CAT.graph
RUN = GraphQuery(CAT)


class _Rule:
    """What the plain query reads of a rule (only ``among`` needs more)."""

    order = -1
    sets: ClassVar[dict[str, tuple[str, ...]]] = {}


def found(b: tuple[frozenset[str], frozenset[str]] | None = None, **query: Any) -> list[str]:
    """The nodes a query finds, with ``b`` as the affected regions and aspects."""
    q = Query(**query)
    regions, aspects = b or (frozenset(), frozenset())
    nodes, _ = RUN.gather(q, _Rule(), Filters(q, G).bind(regions, aspects, None), None)  # type: ignore[arg-type]
    return list(nodes)


def test_a_category_with_channels_gives_the_point_of_each_channel() -> None:
    assert found(category=["shu_stream"], meridians=["LI", "LU"]) == ["LU9", "LI3"]
    assert found(category="back-shu", meridians=["KI", "LU"]) == ["BL13", "BL23"]  # names and aliases work
    assert found(category="alarm", meridians=["ST"]) == ["CV12"]


def test_a_category_keeps_the_points_of_another_source() -> None:
    assert found(region=["wrist"], category=["yuan_source"]) == [
        c for c in G.in_region(["wrist"]) if "yuan_source" in G.categories_of(c)
    ]


def test_outside_and_within_along_the_channels_of_the_complaint() -> None:
    leg = (frozenset({"leg"}), frozenset({"lateral", "radial"}))
    near = found(leg, through="affected", aspect="affected", outside="affected", within=2)
    assert near and all(G.attrs(c)["region"] != "leg" for c in near)
    assert {"GB33", "GB40"} <= set(near) and not {"GB30", "GB44"} & set(near)


def test_link_swaps_the_channels_for_partners_or_same_name_channels() -> None:
    assert found(meridians=["LU"], link="partner", category=["luo_connecting"]) == ["LI6"]
    assert found(meridians=["GB", "BL"], link="same_name", category=["shu_stream"]) == ["SI3", "TE3"]


def test_couple_puts_each_confluent_point_before_its_pair() -> None:
    hand = dict(region=["hand", "forearm"], category=["confluent"], couple=True)
    assert found(meridians=["SI"], **hand) == ["SI3", "BL62"]
    assert found(meridians=["PC", "LU"], **hand) == ["LU7", "KI6", "PC6", "SP4"]
    # A point already found is not repeated, and a point with no pair stays alone.
    assert found(region=["hand", "ankle"], meridians=["SI", "BL"], category=["confluent"], couple=True) == [
        "SI3", "BL62"]  # fmt: skip
    assert found(region=["hand"], meridians=["LI"], category=["yuan_source"], couple=True) == ["LI4"]
    q = Query(meridians=["TE"], region=["forearm"], category=["confluent"], couple=True)
    _, how = RUN.gather(q, _Rule(), Filters(q, G).bind(frozenset(), frozenset(), None), None)  # type: ignore[arg-type]
    assert how.endswith("each with the point of its confluent pair (TE5 with GB41)")


def test_rank_importance_puts_the_points_of_more_categories_first() -> None:
    ranked = found(region=["foot", "ankle"], meridians=["KI"], rank="importance")
    counts = [len(G.categories_of(c)) for c in ranked]
    assert counts == sorted(counts, reverse=True) and ranked[0] in ("KI3", "KI6")
    # Among equals, the nearer point along the channel to the through regions comes first.
    leg = (frozenset({"leg"}), frozenset())
    distal = found(leg, through="affected", outside="affected", category=["shu_stream", "yuan_source"],
                   meridians=["GB"], rank="importance")  # fmt: skip
    assert distal == ["GB40", "GB41"]


def test_the_engine_runs_the_method_rules_through_the_plain_query() -> None:
    engine = Engine.default()
    s = engine.suggest({"complaints": [{"region": "neck", "side": "both", "sensations": ["pain"]}]})
    parts = [part for p in s.points for part in p.supports if part.rule == "method-distal-points"]
    assert parts and all("the most important first" in part.found_by for part in parts)


# -- the share of places -------------------------------------------------------------------
def test_region_share() -> None:
    assert [region_share(12, n) for n in (0, 1, 2, 3, 5)] == [12, 6, 4, 4, 4]
    assert region_share(6, 1) == 3 and region_share(1, 4) == 1


@pytest.fixture(scope="module")
def ranker() -> Ranker:
    return Ranker(load_rulebook(), CAT)


def _row(code: str, score: float, places: tuple[str, ...] = ()) -> list[Any]:
    row: list[Any] = [0.0] * 9
    row[NEG], row[CODE], row[INSTANCES] = -score, code, places
    return row


def test_one_region_waits_after_its_share(ranker: Ranker) -> None:
    back = [_row(c, 5 - i * 0.1) for i, c in enumerate(["GV3", "BL23", "BL25", "BL24", "BL26"])]
    rest = [_row("GB34", 1.0), _row("BL40", 0.9)]
    ranked = ranker.shared(back + rest, 4, frozenset({"lower_back"}))
    assert [r[CODE] for r in ranked[:4]] == ["GV3", "BL23", "GB34", "BL40"]
    assert [r[CODE] for r in ranked[4:]] == ["BL25", "BL24", "BL26"]


def test_waiting_points_fill_the_places_nobody_else_wants(ranker: Ranker) -> None:
    back = [_row(c, 5 - i * 0.1) for i, c in enumerate(["GV3", "BL23", "BL25", "BL24", "BL26"])]
    ranked = ranker.shared(back + [_row("GB34", 1.0)], 4, frozenset({"lower_back"}))
    assert [r[CODE] for r in ranked[:4]] == ["GV3", "BL23", "BL25", "GB34"]


def test_a_group_point_lies_where_its_places_are(ranker: Ranker) -> None:
    rows = [_row("GV3", 3), _row("BL23", 2.9), _row("EX-B2", 2.8, ("L5",)), _row("GB34", 1)]
    ranked = ranker.shared(rows, 3, frozenset({"lower_back"}))
    assert [r[CODE] for r in ranked[:3]] == ["GV3", "BL23", "GB34"]
    ranked = ranker.shared(rows, 3, frozenset({"leg"}))
    assert [r[CODE] for r in ranked[:3]] == ["GV3", "BL23", "EX-B2"]


def test_a_case_keeps_places_for_each_region() -> None:
    lumbar = {
        "complaints": [
            {"region": "lower_back", "side": "left", "sensations": ["pain"]},
            {"region": "leg", "aspect": "lateral", "side": "left", "sensations": ["pain", "numbness"]},
        ],
        "cause": {"kind": "nerve_root_compression", "levels": ["L5"]},
    }
    s = Engine.default().suggest(lumbar)
    assert s.dropped
    regions = [G.attrs(f"{p.code}@{p.instances[0]}" if p.instances else p.code)["region"] for p in s.points]
    assert regions.count("lower_back") <= region_share(len(s.points), 2)
    assert "leg" in regions


def test_the_named_meeting_point_of_the_sinews_is_the_one_the_categories_give() -> None:
    # hui-meeting-sinews names its point because no query key asks for a tissue; the
    # category data decide which point that is.
    book = Engine.default().rulebook
    rule = next(r for r in book.rules if r.id == "hui-meeting-sinews")
    named = {code for sel in rule.rule.select for code in (sel.points or ())}
    assert named == set(serving("hui_meeting", "sinews")) == {"GB34"}
