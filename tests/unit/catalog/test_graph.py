"""The meridian graph: node and edge kinds, channels, flow, pairs, and the rule queries."""

from __future__ import annotations

import itertools
import pickle
from collections import Counter

import networkx as nx
import pytest

from acupoints.base.vocab import FLOW, LEVELS, MERIDIANS, REGIONS
from acupoints.catalog.catalog import Catalog
from acupoints.catalog.graph import PAIRS, MeridianGraph, segment_range

HAND_CHANNELS = ["LU", "LI", "HT", "SI", "PC", "TE"]
CYCLE = ["LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR"]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.default()


@pytest.fixture(scope="module")
def g(cat: Catalog) -> MeridianGraph:
    return cat.graph


def _edges(g: MeridianGraph, key: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, k in g.edges(keys=True) if k == key}


# -- structure ----------------------------------------------------------------------


def test_graph_is_built_once(cat: Catalog, g: MeridianGraph) -> None:
    assert isinstance(g, MeridianGraph)
    assert isinstance(g, nx.MultiDiGraph)
    assert cat.graph is g


def test_node_kinds(cat: Catalog, g: MeridianGraph) -> None:
    kinds = Counter(kind for _, kind in g.nodes(data="kind"))
    instances = sum(len(p.instances) for p in cat)
    assert kinds == {
        "point": 409, "instance": instances, "meridian": 14, "region": 24, "segment": 30, "category": 13,
    }  # fmt: skip
    assert g.kind("LI4") == "point"
    assert g.kind("EX-B2@C5") == "instance"
    assert g.kind("TE") == "meridian"
    assert g.kind("forearm") == "region"
    assert g.kind("C6") == "segment"
    assert all(g.kind(r) == "region" for r in REGIONS)
    assert all(g.kind(s) == "segment" for s in LEVELS)
    assert all(g.kind(m) == "meridian" for m in MERIDIANS)
    assert all(g.kind(p.code) == "point" for p in cat)
    assert g.nodes["LI4"]["meridian"] == "LI"
    assert g.nodes["EX-B2@C5"]["point"] == "EX-B2"


def test_edge_kinds(cat: Catalog, g: MeridianGraph) -> None:
    kinds = Counter(k for _, _, k in g.edges(keys=True))
    roots = {"exit", "dermatome", "territory"}  # the nerve roots (test_roots_on_graph.py)
    categories = {"member", "couple", "same_name"}  # the point categories
    courses = {"crosses"}  # skin a channel's course runs over with no point of its own
    assert (
        set(kinds)
        == {"on", "next", "flow", "pair", "in", "level", "of", "below"} | roots | categories | courses
    )
    assert kinds["crosses"] == sum(len(m.crosses) for m in cat.meridians.values()) == 8
    assert kinds["on"] == 361
    assert kinds["next"] == 361 - 14
    assert kinds["flow"] == 12
    assert kinds["pair"] == 12
    assert kinds["below"] == len(LEVELS) - 1
    assert kinds["of"] == sum(len(p.instances) for p in cat)
    assert kinds["in"] == 409 + kinds["of"]


def test_on_edges(cat: Catalog, g: MeridianGraph) -> None:
    for p in cat:
        if p.meridian:
            assert g.has_edge(p.code, p.meridian, key="on"), p.code
        else:
            assert not any(k == "on" for _, _, k in g.out_edges(p.code, keys=True)), p.code


@pytest.mark.parametrize("meridian", MERIDIANS)
def test_next_edges_follow_each_channel(cat: Catalog, g: MeridianGraph, meridian: str) -> None:
    codes = [p.code for p in cat.points_of(meridian)]
    assert g.channel(meridian) == codes
    for a, b in itertools.pairwise(codes):
        assert g.has_edge(a, b, key="next"), (a, b)
        assert not g.has_edge(b, a, key="next"), (b, a)
    assert not any(k == "next" for _, _, k in g.out_edges(codes[-1], keys=True))
    assert not any(k == "next" for _, _, k in g.in_edges(codes[0], keys=True))


def test_extras_have_no_channel(g: MeridianGraph) -> None:
    nexts = _edges(g, "next")
    assert not any(u.startswith("EX-") or v.startswith("EX-") for u, v in nexts)
    assert g.channel("EX") == []
    assert g.neighbours("EX-B2") == []


def test_flow_cycle_closes(g: MeridianGraph) -> None:
    assert list(FLOW) == CYCLE
    seen = ["LU"]
    node = g.flow_next("LU")
    while node != "LU":
        assert node is not None
        seen.append(node)
        assert len(seen) <= 12
        node = g.flow_next(node)
    assert seen == CYCLE
    assert g.flow_next("LR") == "LU"
    assert g.flow_next("GV") is None
    assert g.flow_next("CV") is None
    flow = _edges(g, "flow")
    assert flow == {(a, CYCLE[(i + 1) % 12]) for i, a in enumerate(CYCLE)}
    cycles = nx.find_cycle(nx.DiGraph(list(flow)), "LU")
    assert len(cycles) == 12


def test_interior_exterior_pairs_both_ways(g: MeridianGraph) -> None:
    expected = {("LU", "LI"), ("ST", "SP"), ("HT", "SI"), ("BL", "KI"), ("PC", "TE"), ("GB", "LR")}
    assert set(PAIRS) == expected
    for a, b in expected:
        assert g.has_edge(a, b, key="pair")
        assert g.has_edge(b, a, key="pair")
        assert g.partner(a) == b
        assert g.partner(b) == a
    assert g.partner("GV") is None
    assert g.partner("CV") is None


def test_in_edges_carry_aspect(cat: Catalog, g: MeridianGraph) -> None:
    for p in cat:
        data = g.get_edge_data(p.code, p.region, key="in")
        assert data == {"aspect": p.aspect}, p.code
        for inst in p.instances:
            data = g.get_edge_data(inst.code, inst.region or p.region, key="in")
            assert data == {"aspect": p.aspect}, inst.code
    assert g.get_edge_data("LI10", "forearm", key="in") == {"aspect": "radial"}


def test_level_edges(cat: Catalog, g: MeridianGraph) -> None:
    assert g.has_edge("GV14", "C7", key="level")
    assert g.has_edge("GV14", "T1", key="level")
    assert g.has_edge("EX-B2@C5", "C5", key="level")
    assert g.has_edge("EX-B2@C5", "EX-B2", key="of")
    assert g.has_edge("C1", "C2", key="below")
    assert g.has_edge("L5", "S1", key="below")
    assert g.nodes["T1"]["index"] == LEVELS.index("T1")


# -- queries ------------------------------------------------------------------------


def test_at_levels_gv(g: MeridianGraph) -> None:
    assert g.at_levels(["L4"], meridians=["GV"]) == ["GV3"]
    assert g.at_levels(["C7"], meridians=["GV"]) == ["GV14"]


def test_at_levels_jiaji(g: MeridianGraph) -> None:
    assert g.at_levels(["C6"], 1, 1, groups=["EX-B2"]) == ["EX-B2@C5", "EX-B2@C6", "EX-B2@C7"]
    assert g.at_levels(["C6"], groups=["EX-B2"]) == ["EX-B2@C6"]
    assert g.at_levels(["C1"], 2, 0, groups=["EX-B2"]) == ["EX-B2@C1"]


def test_at_levels_filters(g: MeridianGraph) -> None:
    bl = g.at_levels(["L2"], meridians=["BL"])
    assert "BL23" in bl
    assert all(g.kind(n) == "point" and g.nodes[n]["meridian"] == "BL" for n in bl)
    everything = g.at_levels(["L2"])
    assert "BL23" in everything and "EX-B2@L2" in everything
    # Top to bottom by segment, then in catalogue order within a segment.
    lumbar = g.at_levels(["L3"], 1, 1, meridians=["BL"])
    assert {"BL23", "BL24", "BL25"} <= set(lumbar)
    firsts = [LEVELS.index(g.nodes[n]["levels"][0]) for n in lumbar]
    assert firsts == sorted(firsts)
    assert lumbar.index("BL23") < lumbar.index("BL24") < lumbar.index("BL25")


def test_segment_range() -> None:
    assert segment_range(["C6"], 1, 1) == ["C5", "C6", "C7"]
    assert segment_range(["C1"], 3, 0) == ["C1"]
    assert segment_range(["S5"], 0, 3) == ["S5"]
    assert segment_range(["L5", "C8"]) == ["C8", "L5"]
    assert segment_range(["C8"], 0, 1) == ["C8", "T1"]


def test_in_region_forearm_yang(g: MeridianGraph) -> None:
    found = g.in_region(["forearm"], surface="yang")
    assert "LI10" in found
    assert "TE5" in found
    assert not [n for n in found if n[:2] in ("LU", "PC", "HT")]
    assert all(g.nodes[n]["surface"] == "yang" for n in found)
    assert len(found) == len(set(found))
    yin = g.in_region(["forearm"], surface="yin")
    assert "PC6" in yin and "LU7" in yin
    assert not set(found) & set(yin)


def test_in_region_filters(g: MeridianGraph) -> None:
    radial = g.in_region(["forearm"], aspects=["radial"])
    assert "LI10" in radial
    assert all(g.nodes[n]["aspect"] == "radial" for n in radial)
    te = g.in_region(["forearm"], meridians=["TE"])
    assert "TE5" in te
    assert all(n.startswith("TE") for n in te)
    assert te == sorted(te, key=lambda n: g.nodes[n]["order"])
    back = g.in_region(["upper_back"], instances=True)
    assert any(g.kind(n) == "instance" for n in back)
    assert not any(g.kind(n) == "instance" for n in g.in_region(["upper_back"]))


def test_in_region_with_no_channel_keeps_no_point(g: MeridianGraph) -> None:
    # None is no channel filter; an empty set of channels (say, the partners of the
    # midline vessels, which have none) keeps none, as the query's words "(none)" say.
    assert g.in_region(["forearm"], meridians=None) == g.in_region(["forearm"])
    assert g.in_region(["forearm"]) != []
    assert g.in_region(["forearm"], meridians=[]) == []
    assert g.in_region(["forearm"], meridians=frozenset(), instances=True) == []


def test_channels_of_digits(g: MeridianGraph) -> None:
    assert g.channels_of_digits([1], "hand") == ["LU"]
    assert {"HT", "SI"} <= set(g.channels_of_digits([5], "hand"))
    assert g.channels_of_digits([2], "hand") == ["LI"]
    assert "BL" in g.channels_of_digits([5], "foot")
    assert g.channels_of_digits([1, 2, 3, 4, 5], "hand") == HAND_CHANNELS


def test_every_digit_has_a_channel(g: MeridianGraph) -> None:
    # The middle toe has no point; the Stomach channel's course ends on it (Lingshu 10).
    assert g.channels_of_digits([3], "foot") == ["ST"]
    assert g.channels_of_digits([2], "foot") == ["ST"]
    assert g.channels_of_digits([4], "foot") == ["GB"]
    for limb in ("hand", "foot"):
        for digit in range(1, 6):
            assert g.channels_of_digits([digit], limb), (limb, digit)


def test_a_channel_crosses_skin_where_none_of_its_points_is_filed(g: MeridianGraph) -> None:
    # Lingshu 10: the Large Intestine channel comes out at the front edge of the acromion,
    # the Gallbladder channel meets at the greater trochanter, and the Liver channel begins
    # (and a Gallbladder branch ends) on the hairy back of the big toe. No point of theirs
    # is filed on those surfaces: Jianyu is on the lateral shoulder, Huantiao on the
    # posterior buttock, the toe points at the nail corners.
    assert g.channels_through(["shoulder"], ["anterior"]) == ["LI"]
    assert g.channels_through(["buttock"], ["lateral"]) == ["GB"]
    assert g.channels_through(["toes"], ["dorsal"]) == ["GB", "LR"]
    # The Bladder channel passes behind the outer ankle bone, the Kidney channel behind the
    # inner one, sending a branch into the heel; the Kidney channel begins under the little
    # toe. Kunlun (BL60) and Taixi (KI3) are filed on the ankle's sides, Yongquan on the sole.
    assert g.channels_through(["ankle"], ["posterior"]) == ["BL", "KI"]
    assert g.channels_through(["foot"], ["posterior"]) == ["KI"]
    assert g.channels_through(["toes"], ["plantar"]) == ["KI"]
    assert g.nodes["LI"]["kind"] == "meridian" and g.has_edge("LI", "shoulder", key="crosses")
    # A crossing adds a channel to the skin, never a point to the region.
    assert all(not g.in_region([r], aspects=[a]) for r, a in (("shoulder", "anterior"), ("toes", "dorsal")))


def test_a_crossing_lists_only_skin_without_a_point_of_its_channel(cat: Catalog) -> None:
    for m in cat.meridians.values():
        for c in m.crosses:
            filed = [p.code for p in cat.points_of(m.code) if (p.region, p.aspect) == (c.region, c.aspect)]
            assert not filed, (m.code, c.region, c.aspect, filed)


def test_channels_through(g: MeridianGraph) -> None:
    assert set(HAND_CHANNELS) <= set(g.channels_through(["fingers"]))
    through = g.channels_through(["forearm", "fingers"])
    assert through == [m for m in MERIDIANS if m in through]
    assert g.channels_through([]) == []


def test_neighbours(g: MeridianGraph) -> None:
    assert g.neighbours("LI10") == ["LI9", "LI11"]
    assert g.neighbours("LI1") == ["LI2"]
    assert g.neighbours("LI20") == ["LI19"]
    assert g.neighbours("LI10", 2) == ["LI9", "LI11", "LI8", "LI12"]


def test_graph_pickles(g: MeridianGraph) -> None:
    back = pickle.loads(pickle.dumps(g))
    assert isinstance(back, MeridianGraph)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert sorted(back.edges(keys=True)) == sorted(g.edges(keys=True))
    assert dict(back.nodes(data="kind")) == dict(g.nodes(data="kind"))
    assert back.neighbours("LI10") == ["LI9", "LI11"]
    assert back.at_levels(["C6"], 1, 1, groups=["EX-B2"]) == ["EX-B2@C5", "EX-B2@C6", "EX-B2@C7"]
    assert back.channel("BL") == g.channel("BL")
    assert back.in_region(["forearm"], surface="yang") == g.in_region(["forearm"], surface="yang")
    assert back.flow_next("LR") == "LU"


def test_networkx_algorithms_work(g: MeridianGraph) -> None:
    chain = nx.subgraph_view(g, filter_edge=lambda u, v, k: k == "next")
    path = nx.shortest_path(chain, "LI1", "LI20")
    assert path == [f"LI{i}" for i in range(1, 21)]
    assert not nx.has_path(chain, "LI20", "LI1")
    assert not nx.has_path(chain, "LI20", "ST1")
    spine = nx.subgraph_view(g, filter_edge=lambda u, v, k: k == "below")
    assert nx.shortest_path_length(spine, "C1", "S5") == len(LEVELS) - 1
    assert nx.is_directed_acyclic_graph(nx.DiGraph(chain))
