"""The knowledge tables: point categories and nerve roots, checked against the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from acupoints import Catalog
from acupoints.base.errors import LoadError, UnknownPointError, UnknownWordError
from acupoints.base.vocab import ASPECTS, FLOW, LEVELS, REGIONS
from acupoints.catalog.categories import ORGANS, TISSUES, VESSELS
from acupoints.catalog.knowledge import (
    Knowledge,
    categories_of,
    category,
    exit_points,
    pair_of,
    points_in_category,
    root,
    serving,
)
from acupoints.catalog.roots import disc_of, exit_of
from acupoints.io.resources import data_root

TRANSPORT = ("jing_well", "ying_spring", "shu_stream", "jing_river", "he_sea")
YIN = ("LU", "SP", "HT", "KI", "PC", "LR")
ROOTS = ("C5", "C6", "C7", "C8", "T1", "L2", "L3", "L4", "L5", "S1", "S2")


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge.default()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.default()


# -- categories ----------------------------------------------------------------------------------
def test_every_code_is_written_as_the_catalogue_writes_it(knowledge: Knowledge, catalog: Catalog) -> None:
    for cat in knowledge.categories.values():
        for m in cat.members:
            assert catalog.resolve(m.code) == m.code, (cat.id, m.code)
            if m.pair:
                assert catalog.resolve(m.pair) == m.pair, (cat.id, m.pair)


@pytest.mark.parametrize("name", TRANSPORT)
def test_each_channel_has_one_point_of_each_transport_kind(
    knowledge: Knowledge, catalog: Catalog, name: str
) -> None:
    cat = knowledge.category(name)
    assert sorted(m.serves for m in cat.members) == sorted(FLOW)
    for m in cat.members:
        assert catalog[m.code].meridian == m.serves, m.code
    assert cat.group == "transport"


def test_the_five_transport_points_of_a_channel_are_distinct_and_run_from_the_digit(
    knowledge: Knowledge, catalog: Catalog
) -> None:
    for channel in FLOW:
        codes = [knowledge.serving(name, channel)[0] for name in TRANSPORT]
        assert len(set(codes)) == 5, channel
        # From the digit towards the elbow or knee: one direction along the channel,
        # whichever way the channel is numbered.
        numbers = [catalog[c].number for c in codes]
        assert numbers in (sorted(numbers), sorted(numbers, reverse=True)), (channel, codes)


def test_the_counts_of_each_category(knowledge: Knowledge) -> None:
    counts = {cid: len(cat.members) for cid, cat in knowledge.categories.items()}
    assert counts == {
        **dict.fromkeys(TRANSPORT, 12),
        "yuan_source": 12,
        "luo_connecting": 15,
        "xi_cleft": 16,
        "back_shu": 12,
        "front_mu": 12,
        "lower_he_sea": 6,
        "hui_meeting": 8,
        "confluent": 8,
    }


def test_yuan_source_is_the_shu_stream_point_on_yin_channels_only(knowledge: Knowledge) -> None:
    for channel in FLOW:
        same = knowledge.serving("yuan", channel) == knowledge.serving("shu_stream", channel)
        assert same == (channel in YIN), channel


def test_luo_points_cover_the_channels_and_the_three_extra(knowledge: Knowledge) -> None:
    luo = knowledge.category("luo")
    assert sorted({m.serves for m in luo.members}) == sorted((*FLOW, "GV", "CV"))
    assert {"GV1", "CV15", "SP21"} <= set(luo.codes)
    assert knowledge.serving("luo", "SP") == ("SP4", "SP21")


def test_xi_cleft_points_of_the_four_vessels(knowledge: Knowledge) -> None:
    xi = knowledge.category("xi-cleft")
    vessels = {m.serves: m.code for m in xi.members if m.kind == "vessel"}
    assert vessels == {"yin_qiao": "KI8", "yang_qiao": "BL59", "yin_wei": "KI9", "yang_wei": "GB35"}
    assert sorted(m.serves for m in xi.members if m.kind == "channel") == sorted(FLOW)


@pytest.mark.parametrize("name", ["back_shu", "front_mu"])
def test_back_shu_and_front_mu_serve_each_organ_once(knowledge: Knowledge, name: str) -> None:
    cat = knowledge.category(name)
    assert sorted(m.serves for m in cat.members) == sorted(ORGANS)
    assert {m.channel for m in cat.members} == set(FLOW)


def test_back_shu_points_are_the_bladder_organ_points(knowledge: Knowledge) -> None:
    assert points_in_category("back-shu") == (
        "BL13", "BL14", "BL15", "BL18", "BL19", "BL20", "BL21", "BL22", "BL23", "BL25", "BL27", "BL28",
    )  # fmt: skip
    assert knowledge.serving("back_shu", "LU") == ("BL13",)
    assert knowledge.serving("front_mu", "kidney") == ("GB25",)


def test_lower_he_sea_points(knowledge: Knowledge) -> None:
    lower = {m.serves: m.code for m in knowledge.category("lower he-sea").members}
    assert lower == {
        "stomach": "ST36", "large_intestine": "ST37", "small_intestine": "ST39",
        "bladder": "BL40", "sanjiao": "BL39", "gall_bladder": "GB34",
    }  # fmt: skip


def test_hui_meeting_points(knowledge: Knowledge) -> None:
    hui = {m.serves: m.code for m in knowledge.category("influential").members}
    assert sorted(hui) == sorted(TISSUES)
    assert hui == {
        "zang": "LR13", "fu": "CV12", "qi": "CV17", "blood": "BL17",
        "sinews": "GB34", "marrow": "GB39", "bone": "BL11", "vessels": "LU9",
    }  # fmt: skip


def test_confluent_points_open_each_vessel_once_in_symmetric_pairs(knowledge: Knowledge) -> None:
    confluent = knowledge.category("confluent")
    assert sorted(m.serves for m in confluent.members) == sorted(VESSELS)
    for m in confluent.members:
        assert m.pair is not None
        assert knowledge.pair_of(m.pair) == m.code, m.code
    pairs = {frozenset((m.code, m.pair)) for m in confluent.members if m.pair}
    assert pairs == {frozenset(p) for p in (("SI3", "BL62"), ("PC6", "SP4"), ("TE5", "GB41"), ("LU7", "KI6"))}
    assert serving("confluent", "GV") == ("SI3",) and serving("confluent", "ren") == ("LU7",)


def test_categories_of_a_point(knowledge: Knowledge) -> None:
    assert [m.category for m in categories_of("GB34")] == ["he_sea", "lower_he_sea", "hui_meeting"]
    assert [(m.category, m.serves) for m in categories_of("SJ5")] == [
        ("luo_connecting", "TE"), ("confluent", "yang_wei"),
    ]  # fmt: skip
    assert categories_of("Hegu")[0].category == "yuan_source"
    assert categories_of("EX-B2") == ()
    assert pair_of("LI4") is None and pair_of("te 5") == "GB41"
    with pytest.raises(UnknownPointError, match="did you mean"):
        categories_of("LU99")


def test_members_name_their_channel(knowledge: Knowledge) -> None:
    by_category = {m.category: m for m in knowledge.categories_of("BL62")}
    assert by_category["confluent"].channel is None
    assert knowledge.categories_of("SI3")[-1].channel == "GV"
    assert knowledge.categories_of("BL23")[0].channel == "KI"
    assert knowledge.categories_of("CV17")[-1].channel is None  # the hui point of qi


@pytest.mark.parametrize(
    "name", ["shu_stream", "Shu-stream points", "SHU STREAM", "stream", "shu-stream point"]
)
def test_categories_are_found_by_any_written_name(name: str) -> None:
    assert category(name).id == "shu_stream"


def test_an_unknown_category_names_the_closest(knowledge: Knowledge) -> None:
    with pytest.raises(UnknownWordError, match="did you mean 'xi_cleft'"):
        knowledge.category("xi_clef")


def test_every_category_is_cited() -> None:
    for cat in Knowledge.default().categories.values():
        assert cat.sources and all("Deadman" in s or "Cheng" in s or "WHO" in s for s in cat.sources)
        assert len(cat.summary) > 40


# -- nerve roots -------------------------------------------------------------------------------------
def test_the_roots_covered(knowledge: Knowledge) -> None:
    assert tuple(knowledge.roots) == ROOTS


@pytest.mark.parametrize(
    ("level", "exit_", "disc"),
    [
        ("C2", ("C1", "C2"), ("C1", "C2")),
        ("C6", ("C5", "C6"), ("C5", "C6")),
        ("C7", ("C6", "C7"), ("C6", "C7")),
        ("C8", ("C7", "T1"), ("C7", "T1")),
        ("T1", ("T1", "T2"), ("T1", "T2")),
        ("T6", ("T6", "T7"), None),
        ("T12", ("T12", "L1"), None),
        ("L1", ("L1", "L2"), ("T12", "L1")),
        ("L4", ("L4", "L5"), ("L3", "L4")),
        ("L5", ("L5", "S1"), ("L4", "L5")),
        ("S1", ("S1",), ("L5", "S1")),
        ("S2", ("S2",), None),
    ],
)
def test_the_exit_and_disc_conventions(
    level: str, exit_: tuple[str, ...], disc: tuple[str, str] | None
) -> None:
    assert exit_of(level) == exit_
    assert disc_of(level) == disc


def test_each_entry_follows_the_conventions(knowledge: Knowledge) -> None:
    for r in knowledge.roots.values():
        assert r.exit == exit_of(r.level) and r.disc == disc_of(r.level), r.level
        assert r.segment == r.exit[0]


@pytest.mark.parametrize(
    ("level", "expected", "absent"),
    [
        ("C6", {"EX-B2@C5"}, {"EX-B2@C6"}),
        ("C8", {"EX-B2@C7", "GV14", "SI15"}, {"BL11"}),
        ("T1", {"EX-B2@T1", "BL11", "GV13"}, {"GV14"}),
        ("L4", {"EX-B2@L4", "BL25", "GV3"}, {"BL26"}),
        ("L5", {"EX-B2@L5", "BL26", "EX-B8"}, {"GV3", "BL25"}),
        ("S1", {"BL27", "BL31"}, {"EX-B8", "BL26", "BL32"}),
    ],
)
def test_the_segmental_points_follow_the_exit(level: str, expected: set[str], absent: set[str]) -> None:
    found = set(exit_points(level))
    assert expected <= found
    assert not absent & found


def test_every_root_has_points_at_its_exit(knowledge: Knowledge) -> None:
    for level in knowledge.roots:
        assert knowledge.exit_points(level), level


def test_at_exit_wants_the_exact_levels() -> None:
    l5 = root("L5")
    assert l5.at_exit(["L5"]) and l5.at_exit(("L5", "S1"))
    assert not l5.at_exit(("L4", "L5")) and not l5.at_exit(()) and not l5.at_exit(["S1"])


@pytest.mark.parametrize(
    ("level", "main", "others", "never"),
    [
        ("C5", {"LI", "LU"}, {"TE"}, {"HT", "SI"}),
        ("C6", {"LI", "LU"}, set(), {"HT", "SI", "PC"}),
        ("C7", {"PC"}, {"TE"}, {"LU", "LI"}),
        ("C8", {"HT", "SI"}, set(), {"LU", "LI"}),
        ("L4", {"SP"}, {"LR", "KI"}, {"GB", "BL"}),
        ("L5", {"GB", "ST"}, {"LR"}, {"BL"}),
        ("S1", {"BL"}, {"KI"}, {"ST", "LR", "GB"}),
    ],
)
def test_the_channels_of_each_root(level: str, main: set[str], others: set[str], never: set[str]) -> None:
    r = root(level)
    assert set(r.main_channels) == main
    assert set(r.channel_codes) == main | others
    assert not never & set(r.channel_codes)


def test_dermatomes_use_the_case_vocabulary_and_their_digits(knowledge: Knowledge) -> None:
    for r in knowledge.roots.values():
        d = r.dermatome
        for area in d.areas:
            assert area.region in REGIONS and set(area.aspects) <= set(ASPECTS), r.level
        assert bool(d.fingers) == ("fingers" in d.regions) and bool(d.toes) == ("toes" in d.regions)
    assert root("C6").dermatome.fingers == (1,) and root("C7").dermatome.fingers == (3,)
    assert root("C8").dermatome.fingers == (5,) and root("L5").dermatome.toes == (1,)
    assert root("S1").dermatome.toes == (5,)
    assert root("C8").dermatome.aspects_of("forearm") == ("ulnar",)
    assert root("C8").dermatome.aspects_of("leg") == ()


def _named_points(text: str) -> list[str]:
    """The codes a `where` text names, with ranges ("LU6 to LU9") expanded."""
    out = []
    for prefix, first, last in re.findall(r"\b([A-Z]{2})(\d+)(?: to [A-Z]{2}(\d+))?", text):
        out += [f"{prefix}{n}" for n in range(int(first), int(last or first) + 1)]
    return out


def test_each_channel_named_crosses_the_dermatome(knowledge: Knowledge, catalog: Catalog) -> None:
    for r in knowledge.roots.values():
        for link in r.channels:
            assert link.code in catalog.meridians, (r.level, link.code)
            named = _named_points(link.where)
            assert named, (r.level, link.code)
            for code in named:
                assert catalog[code].meridian == link.code, (r.level, code)
            # At least one of the points named lies in a region of the root's skin.
            assert any(catalog[c].region in r.dermatome.regions for c in named), (r.level, link.code)


def test_every_root_is_cited_for_skin_muscle_and_channels(knowledge: Knowledge) -> None:
    for r in knowledge.roots.values():
        assert any("Lee MWL" in s for s in r.dermatome.sources), r.level
        assert any("Kirshblum" in s or "Hoppenfeld" in s for s in r.myotome.sources), r.level
        assert any("WHO" in s for s in r.sources), r.level
    assert root("C7").myotome.reflex == "triceps" and root("S1").myotome.reflex == "ankle (Achilles)"
    assert root("S2").myotome.key_muscle is None


def test_unknown_and_uncovered_roots() -> None:
    assert root("c6").level == "C6"
    with pytest.raises(UnknownWordError, match="spinal level"):
        root("C9")
    with pytest.raises(UnknownWordError, match="covers C5, C6"):
        root("T6")
    assert set(ROOTS) <= set(LEVELS)


# -- broken files ---------------------------------------------------------------------------------
def _edited(tmp_path: Path, name: str, edits: list[tuple[str, str]]) -> Path:
    text = (data_root() / name).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_category_mistakes_are_all_reported_with_positions(tmp_path: Path) -> None:
    path = _edited(tmp_path, "categories.yaml", [
        ("{code: LU11, serves: LU}", "{code: SJ1, serves: LU}"),
        ("{code: LI6, serves: LI}", "{code: LI6, serves: LU}"),
        ("{code: KI6, serves: yin_qiao, pair: LU7}", "{code: KI6, serves: yin_qio, pair: SP4}"),
        ("{code: BL11, serves: bone}", "{code: XX11, serves: bone}"),
        ("aliases: [river,", "aliases: [stream, river,"),
        ("sources: [deadman, cheng, who2008]", "sources: [deadmen, cheng, who2008]"),
    ])  # fmt: skip
    with pytest.raises(LoadError) as info:
        Knowledge.from_files(path)
    codes = sorted(p.code for p in info.value.problems)
    assert codes == sorted([
        "code-form", "wrong-channel", "unknown-word", "pair-mismatch", "pair-mismatch",
        "unknown-point", "duplicate-name", "unknown-source",
    ])  # fmt: skip
    assert all(p.path == str(path) and p.line > 1 for p in info.value.problems)
    assert "write 'SJ1' as the catalogue does: 'TE1'" in str(info.value)


def test_root_mistakes_are_all_reported_with_positions(tmp_path: Path) -> None:
    path = _edited(tmp_path, "roots.yaml", [
        ("    exit: [C5, C6]", "    exit: [C6, C7]"),
        ("    disc: [L4, L5]", "    disc: [L5, S1]"),
        ("      fingers: [5]", "      toes: [5]"),
        ("      - code: KI\n        main: false\n        where: The sole", "      - code: BL\n        main: false\n        where: The sole"),
    ])  # fmt: skip
    with pytest.raises(LoadError) as info:
        Knowledge.from_files(roots=path)
    codes = sorted(p.code for p in info.value.problems)
    assert codes == sorted([
        "wrong-exit", "wrong-disc", "digits-mismatch", "digits-mismatch", "duplicate-channel",
    ])  # fmt: skip
    assert "the C6 root exits at [C5, C6], not [C6, C7]" in str(info.value)


def test_schema_mistakes_name_the_field(tmp_path: Path) -> None:
    path = _edited(tmp_path, "roots.yaml", [("      reflex: triceps", "      reflexx: triceps")])
    with pytest.raises(LoadError, match="did you mean 'reflex'"):
        Knowledge.from_files(roots=path)
