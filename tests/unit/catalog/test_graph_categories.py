"""The point categories on the meridian graph: nodes and edges as the tables say, and the
queries the selection methods ask of them."""

from __future__ import annotations

import pickle

import pytest

from acupoints import Catalog, Knowledge
from acupoints.catalog.graph import MeridianGraph
from acupoints.catalog.graph_categories import SAME_NAME


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.default()


@pytest.fixture(scope="module")
def g(cat: Catalog) -> MeridianGraph:
    return cat.graph


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge.default()


def test_a_node_per_category_with_its_names(g: MeridianGraph, knowledge: Knowledge) -> None:
    nodes = {n: d for n, d in g.nodes(data=True) if d["kind"] == "category"}
    assert list(nodes) == list(knowledge.categories)
    for c in knowledge.categories.values():
        assert nodes[c.id] == {"kind": "category", "name": c.name, "chinese": c.chinese, "pinyin": c.pinyin,
                               "group": c.group}  # fmt: skip


def test_member_edges_are_the_memberships_of_the_tables(
    cat: Catalog, g: MeridianGraph, knowledge: Knowledge
) -> None:
    for p in cat:
        members = knowledge.categories_of(p.code)
        assert g.categories_of(p.code) == tuple(m.category for m in members), p.code
        for m in members:
            assert g.get_edge_data(p.code, m.category, key="member") == {
                "serves": m.serves,
                "channel": m.channel,
            }


def test_confluent_couples_both_ways(cat: Catalog, g: MeridianGraph, knowledge: Knowledge) -> None:
    couples = {(u, v) for u, v, k in g.edges(keys=True) if k == "couple"}
    assert couples == {(a, b) for a, b in couples} == {(b, a) for a, b in couples}
    assert {frozenset(c) for c in couples} == {
        frozenset(p) for p in (("SI3", "BL62"), ("PC6", "SP4"), ("TE5", "GB41"), ("LU7", "KI6"))
    }
    for p in cat:
        assert g.couple(p.code) == knowledge.pair_of(p.code), p.code


def test_same_name_channels_both_ways(g: MeridianGraph) -> None:
    for hand, foot in SAME_NAME:
        assert g.same_name(hand) == foot and g.same_name(foot) == hand
        assert g.has_edge(hand, foot, key="same_name") and g.has_edge(foot, hand, key="same_name")
    assert g.same_name("GV") is None and g.same_name("CV") is None


def test_the_points_of_a_category_that_serve_channels(g: MeridianGraph, knowledge: Knowledge) -> None:
    assert g.in_category("shu_stream", ["ST", "LU", "LI"]) == ["LU9", "LI3", "ST43"]
    # A back-shu point serves its organ's channel, though it lies on the Bladder channel.
    assert g.in_category("back_shu", ["KI"]) == ["BL23"] == list(knowledge.serving("back-shu", "KI"))
    # SP21, the great luo of the spleen, is a luo-connecting point of the spleen too.
    assert g.in_category(["yuan_source", "luo_connecting"], ["SP"]) == ["SP3", "SP4", "SP21"]
    order = {p.code: p.order for p in Catalog.default()}
    assert g.in_category("hui_meeting") == sorted(knowledge.points_in_category("hui-meeting"), key=order.get)
    assert g.in_category("xi_cleft", []) == []


def test_distances_along_a_channel(g: MeridianGraph) -> None:
    d = g.distances("GB", frozenset({"leg"}))
    chain = g.channel("GB")
    inside = [c for c in chain if g.attrs(c)["region"] == "leg"]
    assert inside and all(d[c] == 0 for c in inside)
    assert d["GB30"] > d["GB31"] > d["GB33"] > 0 and 0 < d["GB40"] < d["GB44"]
    assert g.presence("GB", frozenset({"leg"})) == len(inside)
    assert g.distances("LU", frozenset({"leg"})) == {}


def test_a_pickled_graph_keeps_its_categories(g: MeridianGraph) -> None:
    back = pickle.loads(pickle.dumps(g))
    assert back.categories_of("LU9") == g.categories_of("LU9")
    assert back.couple("PC6") == "SP4" and back.same_name("TE") == "GB"
    assert back.in_category("back_shu", ["LU", "SP"]) == ["BL13", "BL20"]


def test_a_catalogue_of_its_own_gets_the_shipped_categories(cat: Catalog) -> None:
    # The extra points belong to no category; a catalogue without them keeps every edge.
    channels_only = Catalog(
        [p for p in cat if p.meridian], list(cat.meridians.values()), list(cat.cautions.values())
    )
    g = channels_only.graph
    assert g is not cat.graph
    assert g.categories_of("LU9") == ("shu_stream", "yuan_source", "hui_meeting")
    assert g.in_category("back_shu", ["KI"]) == ["BL23"] and g.couple("LU7") == "KI6"
