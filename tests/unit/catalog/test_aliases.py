"""Lookups by the names people say: English channel names, abbreviations, other numberings."""

from __future__ import annotations

import pickle
import shutil
from importlib.resources import as_file
from pathlib import Path

import pytest

from acupoints.base.errors import LoadError, UnknownPointError
from acupoints.catalog.aliases import fold, read_aliases
from acupoints.catalog.catalog import Catalog
from acupoints.catalog.knowledge import points_in_category
from acupoints.io.resources import data_root

#: Each channel's English names as textbooks write them, with one of its point numbers.
ENGLISH = [
    ("Lung 7", "LU7"),
    ("Large Intestine 4", "LI4"),
    ("large intestine-11", "LI11"),
    ("Stomach 36", "ST36"),
    ("Spleen 6", "SP6"),
    ("Heart 7", "HT7"),
    ("Small Intestine 3", "SI3"),
    ("Bladder 40", "BL40"),
    ("Urinary Bladder 60", "BL60"),
    ("Kidney 1", "KI1"),
    ("Kidney 3", "KI3"),
    ("Pericardium 6", "PC6"),
    ("Triple Energizer 5", "TE5"),
    ("Triple Burner 5", "TE5"),
    ("Triple Warmer 5", "TE5"),
    ("Triple Heater 5", "TE5"),
    ("San Jiao 5", "TE5"),
    ("Sanjiao 5", "TE5"),
    ("Gallbladder 20", "GB20"),
    ("Gall Bladder 34", "GB34"),
    ("Liver 3", "LR3"),
    ("Governor Vessel 14", "GV14"),
    ("Governing Vessel 20", "GV20"),
    ("Du Mai 4", "GV4"),
    ("Conception Vessel 4", "CV4"),
    ("Ren Mai 12", "CV12"),
]
#: Abbreviations beyond the WHO codes: the ones the point files give and the table's.
ABBREVIATIONS = [
    ("LU 9", "LU9"), ("CO4", "LI4"), ("St 36", "ST36"), ("Sp-6", "SP6"), ("HE7", "HT7"), ("H7", "HT7"),
    ("SI 3", "SI3"), ("UB40", "BL40"), ("BL 23", "BL23"), ("KD3", "KI3"), ("K1", "KI1"), ("KID 3", "KI3"),
    ("P6", "PC6"), ("PC 6", "PC6"), ("SJ5", "TE5"), ("TW5", "TE5"), ("TH5", "TE5"), ("TB5", "TE5"),
    ("T.B. 5", "TE5"), ("GB 20", "GB20"), ("LIV3", "LR3"), ("LV3", "LR3"), ("Du 20", "GV20"),
    ("Ren 17", "CV17"), ("RN 6", "CV6"),
]  # fmt: skip
#: Back-shu points: each is named in English after an organ ("Spleen Shu").
BACK_SHU = frozenset(points_in_category("back-shu"))


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.default()


@pytest.mark.parametrize(("query", "code"), ENGLISH + ABBREVIATIONS)
def test_channel_names_and_abbreviations_resolve(cat: Catalog, query: str, code: str) -> None:
    assert cat.resolve(query) == code
    assert cat[query].code == code
    assert cat.search(query)[0].code == code


def test_the_reported_lookups(cat: Catalog) -> None:
    assert cat["Spleen 6"].code == "SP6"
    assert cat["Large Intestine 4"].code == "LI4"
    assert Catalog.default()["Kidney 1"].code == "KI1"


@pytest.mark.parametrize(
    "query", ["Lung", "Spleen", "San Jiao", "Gall Bladder", "Governing Vessel", "Ren Mai"]
)
def test_a_channel_name_is_a_channel(cat: Catalog, query: str) -> None:
    channel = cat.channel_named(query)
    assert channel is not None
    assert cat.meridian(query) == channel
    assert query not in cat
    message = cat.unknown_message(query)
    assert f"names the {channel.name} channel ({channel.code})" in message
    assert f"{channel.points[0]} to {channel.points[-1]}" in message


def test_no_channel_name_or_number_finds_a_back_shu_point(cat: Catalog) -> None:
    """Typing "Spleen 6" once printed BL20 (Spleen Shu) and "Kidney 1" suggested BL23: a channel
    named in English, with any number or none, never lands on another channel's point."""
    names = [m.name for m in cat.meridians.values()]
    names += [a.text for a in cat.aliases.channels if a.kind == "name"]
    assert len(BACK_SHU) >= 12
    renumbered = {a.point for a in cat.aliases.points}  # GV29 is Yintang, an extra point
    for name in names:
        channel = cat.meridian(name)
        assert [p.code for p in cat.search(name)] == [], name
        for number in range(0, 70):
            query = f"{name} {number}"
            point = cat.get(query)
            if point is not None:
                assert point.meridian == channel.code or point.code in renumbered, query
                continue
            assert set(cat.suggest_codes(query)) <= set(channel.points), query
            assert not BACK_SHU & {p.code for p in cat.search(query)}, query


def test_an_out_of_range_number_names_the_channel_range(cat: Catalog) -> None:
    with pytest.raises(UnknownPointError) as info:
        cat["Kidney 30"]
    assert info.value.suggestions and set(info.value.suggestions) <= set(cat.meridian("KI").points)
    message = cat.unknown_message("Kidney 30", "tender point")
    assert message.startswith("unknown tender point 'Kidney 30' (did you mean 'KI3'")
    assert message.endswith("the Kidney channel has KI1 to KI27")


def test_english_point_names_still_resolve(cat: Catalog) -> None:
    # The WHO English name of a point is still a name of that point; only loose matching
    # on a channel's name is gone.
    assert cat["Spleen Shu"].code == "BL20"
    assert cat["Bright Eyes"].code == "BL1"


@pytest.mark.parametrize(
    "query", ["GV29", "GV 29", "gv-29", "Du29", "DU 29", "Governor Vessel 29", "Yintang"]
)
def test_yintang_as_gv29(cat: Catalog, query: str) -> None:
    assert cat[query].code == "EX-HN3"
    assert cat.normalize_code("GV29") == "EX-HN3"


def test_every_alias_names_its_sources(cat: Catalog) -> None:
    table = cat.aliases
    assert table.channels and table.points
    for a in (*table.channels, *table.points):
        assert a.sources and all(len(s) > 20 for s in a.sources), a
    gv29 = next(a for a in table.points if a.alias == "GV29")
    assert (gv29.point, gv29.name) == ("EX-HN3", "Yintang")
    assert any("GB/T 12346-2006" in s for s in gv29.sources)


def test_no_alias_is_a_who_code_or_a_point_name(cat: Catalog) -> None:
    names = {fold(n) for p in cat for n in (p.pinyin, p.english or "", *p.also)}
    for a in cat.aliases.channels:
        assert fold(a.text) not in names, a
    for a in cat.aliases.points:
        assert a.alias not in cat.codes, a


def test_aliases_survive_pickling(cat: Catalog) -> None:
    back = pickle.loads(pickle.dumps(cat))
    assert back.aliases == cat.aliases
    assert back["GV29"].code == "EX-HN3"
    assert back["Spleen 6"].code == "SP6"


# -- the reader -------------------------------------------------------------------------------


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    with as_file(data_root()) as source:
        shutil.copytree(source, target)
    return target


def test_a_folder_without_the_table_loads_without_its_aliases(data_copy: Path) -> None:
    (data_copy / "aliases.yaml").unlink()
    loaded = Catalog.from_folder(data_copy)
    assert loaded.codes == Catalog.default().codes
    assert loaded.get("GV29") is None
    assert loaded["Spleen 6"].code == "SP6"  # the WHO English names come from the point files
    assert loaded.get("San Jiao 5") is None


_SOURCES = """\
sources:
  book: A book that names the channels the way this test needs them named.
"""


@pytest.mark.parametrize(
    ("body", "code", "needle"),
    [
        ("channels:\n  - {code: LU, names: [Hegu], sources: [book]}\n", "alias-clash", "point LI4"),
        ("channels:\n  - {code: LU, abbreviations: [SJ], sources: [book]}\n", "alias-clash", "channel TE"),
        ("channels:\n  - {code: LU, names: [Kidney], sources: [book]}\n", "alias-clash", "channel KI"),
        ("channels:\n  - {code: XX, names: [Nowhere], sources: [book]}\n", "unknown-word", "channel"),
        ("channels:\n  - {code: LU, names: [Hand Taiyin], sources: [bok]}\n", "unknown-source", "book"),
        (
            "points:\n  - {alias: BL54, point: BL40, name: Weizhong, note: an old Bladder number, sources: [book]}\n",
            "alias-clash",
            "WHO code",
        ),
        (
            "points:\n  - {alias: GV29, point: EX-HN3, name: Taiyang, note: a wrong name here, sources: [book]}\n",
            "name-mismatch",
            "Yintang",
        ),
        (
            "points:\n  - {alias: GV29, point: EX-HN99, name: Yintang, note: no such point, sources: [book]}\n",
            "unknown-point",
            "EX-HN99",
        ),
        (
            "points:\n  - {alias: QQ29, point: EX-HN3, name: Yintang, note: not a channel, sources: [book]}\n",
            "alias-form",
            "channel",
        ),
    ],
)
def test_the_reader_refuses_an_alias_that_would_mislead(
    tmp_path: Path, cat: Catalog, body: str, code: str, needle: str
) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text(_SOURCES + body, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        read_aliases(path, list(cat), list(cat.meridians.values()))
    (problem,) = info.value.problems
    assert problem.code == code
    assert needle in problem.message
    assert problem.path == str(path) and problem.line >= 3


def test_a_broken_table_fails_the_catalogue_with_its_position(data_copy: Path) -> None:
    path = data_copy / "aliases.yaml"
    text = path.read_text(encoding="utf-8").replace("    name: Yintang\n", "    name: Taiyang\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        Catalog.from_folder(data_copy)
    (problem,) = info.value.problems
    assert problem.code == "name-mismatch"
    assert problem.line == text.splitlines().index("    name: Taiyang") + 1
