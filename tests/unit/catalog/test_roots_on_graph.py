"""The nerve root table on the meridian graph, and the catalogue's points at region borders.

The graph's ``at_exits`` must find what the knowledge table's ``exit_points`` finds, its
``territory`` the channels of each root's table entry; the border points are filed where
WHO 2008 (and, for the extra points, GB/T 12346-2006) puts them.
"""

from __future__ import annotations

import pickle

import pytest

from acupoints import Catalog
from acupoints.base.vocab import LEVELS
from acupoints.catalog.graph import MeridianGraph
from acupoints.catalog.knowledge import Knowledge
from acupoints.catalog.roots import exit_of

CAT = Catalog.default()
G = CAT.graph
K = Knowledge.default()


@pytest.mark.parametrize("level", list(K.roots))
def test_the_graph_finds_the_points_at_each_roots_exit(level: str) -> None:
    assert tuple(G.at_exits([level])) == K.exit_points(level)


@pytest.mark.parametrize("level", LEVELS)
def test_every_root_exits_as_the_convention_says(level: str) -> None:
    assert G.exit_of(level) == exit_of(level)
    # The points at the exit are exactly those whose levels the exit rule admits.
    seg = exit_of(level)[0]
    want = {
        node
        for node, data in G.nodes(data="levels")
        if data is not None and tuple(data) in {(seg,), exit_of(level)}
    }
    assert set(G.at_exits([level])) == want
    assert all(level in G.roots_at(G.nodes[n]["levels"]) for n in want)


def test_the_c8_root_has_its_own_exit() -> None:
    # No C8 vertebra: the root leaves between C7 and T1, where Dazhui and Jiaji at C7 lie.
    assert G.exit_of("C8") == ("C7", "T1")
    assert {"GV14", "EX-B2@C7"} <= set(G.at_exits(["C8"]))
    assert G.at_exits(["C8"], groups=["EX-B2"]) == ["EX-B2@C7"]
    # GV3, between L4 and L5, names L5 but is at the exit of L4.
    assert "GV3" in G.at_exits(["L4"]) and "GV3" not in G.at_exits(["L5"])
    # One root above and below: C7 and T1 around C8.
    assert G.at_exits(["C8"], above=1, below=1, groups=["EX-B2"]) == ["EX-B2@C6", "EX-B2@C7", "EX-B2@T1"]


@pytest.mark.parametrize("level", list(K.roots))
def test_the_territory_is_the_tables(level: str) -> None:
    root = K.root(level)
    assert set(G.territory([level])) == set(root.channel_codes)
    assert set(G.territory([level], main=True)) == set(root.main_channels)
    assert G.dermatome(level) == {a.region: a.aspects for a in root.dermatome.areas}
    for region in root.dermatome.regions:
        assert set(G.territory([level], [region])) == set(root.channel_codes)


def test_the_territory_reads_only_the_regions_of_the_dermatome() -> None:
    assert G.territory(["C8"], ["shoulder"]) == []
    assert G.territory(["S1"], ["leg"], main=True) == ["BL"]
    assert G.territory(["C4"]) == []  # a root the table does not cover adds nothing
    assert set(G.roots) == set(K.roots)


def test_the_roots_survive_pickling_and_a_catalogue_without_the_table() -> None:
    again = pickle.loads(pickle.dumps(G))
    assert again.territory(["C6"]) == G.territory(["C6"])
    assert again.at_exits(["C8"]) == G.at_exits(["C8"])
    bare = MeridianGraph.from_catalog(CAT, roots=())
    assert bare.roots == () and bare.territory(["C8"]) == []
    assert bare.at_exits(["C8"]) == G.at_exits(["C8"])  # the exits need no table


# -- points at region borders, filed where WHO 2008 puts them -----------------------------
BORDERS = {
    # WHO 2008: "On the dorsum of the foot, between the ... toes, proximal to the web margin".
    "ST44": ("foot", "dorsal"),
    "GB43": ("foot", "dorsal"),
    "LR2": ("foot", "dorsal"),
    # WHO 2008: "On the dorsum of the hand, ... superior to the web margin".
    "TE2": ("hand", "dorsal"),
    # WHO 2008: "On the medial aspect of the foot" / "On the lateral aspect of the foot".
    "KI6": ("foot", "medial"),
    "SP5": ("foot", "medial"),
    "BL62": ("foot", "lateral"),
    # WHO 2008: "On the tibial aspect of the leg, ... 1 B-cun posterior to SP9".
    "LR7": ("leg", "medial"),
    # WHO 2008: "In the posterior region of the neck, at the midpoint of the line
    # connecting the spinous process of C7 with the lateral end of the acromion".
    "GB21": ("shoulder", "posterior"),
    # GB/T 12346-2006: Baxie on the back of the hand, Bafeng on the dorsum of the foot.
    "EX-UE9": ("hand", "dorsal"),
    "EX-LE10": ("foot", "dorsal"),
}


@pytest.mark.parametrize(("code", "place"), list(BORDERS.items()))
def test_border_points_are_filed_where_the_standard_puts_them(code: str, place: tuple[str, str]) -> None:
    p = CAT[code]
    assert (p.region, p.aspect) == place
    assert p.note, "a point moved across a border says why in its note"


def test_no_point_on_the_top_of_the_foot_or_the_back_of_the_hand_is_filed_on_a_digit() -> None:
    for p in CAT:
        if p.location.startswith(("On the top of the foot", "On the back of the hand")):
            assert p.region in ("foot", "hand"), p.code


def test_bailao_has_a_spinal_level() -> None:
    # 2 cun above the lower border of C7 (see its note): at the exit of the C5 root.
    assert CAT["EX-HN15"].levels == ("C4",)
    assert "EX-HN15" in G.at_exits(["C5"])


def test_superior_is_kept_for_the_top_of_the_head_and_of_the_shoulder() -> None:
    top = {p.code for p in CAT if p.aspect == "superior"}
    assert all(CAT[c].region == "head" for c in top - {"LI16"})
