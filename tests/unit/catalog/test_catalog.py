"""The point catalogue: counts, order, lookups, vocabulary, levels, cautions, loading."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import sys
import textwrap
from importlib.resources import as_file
from pathlib import Path

import pytest

from acupoints.base.errors import LoadError, UnknownPointError, UnknownWordError
from acupoints.base.vocab import ASPECTS, LEVELS, MERIDIANS, REGIONS, SURFACES
from acupoints.catalog.catalog import Catalog
from acupoints.catalog.records import Caution, Instance, Meridian, Point
from acupoints.io.resources import data_root

COUNTS = {
    "LU": 11, "LI": 20, "ST": 45, "SP": 21, "HT": 9, "SI": 19, "BL": 67,
    "KI": 27, "PC": 9, "TE": 23, "GB": 44, "LR": 14, "GV": 28, "CV": 24,
}  # fmt: skip
EXTRA_GROUPS = (("HN", 15), ("CA", 1), ("B", 9), ("UE", 11), ("LE", 12))
EXTRA_CODES = [f"EX-{group}{i}" for group, n in EXTRA_GROUPS for i in range(1, n + 1)]
YIN = {"LU", "HT", "PC", "SP", "KI", "LR", "CV"}


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.default()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder."""
    target = tmp_path / "data"
    with as_file(data_root()) as source:
        shutil.copytree(source, target)
    return target


# -- counts and order ---------------------------------------------------------------


def test_default_is_cached(cat: Catalog) -> None:
    assert Catalog.default() is cat


@pytest.mark.parametrize(("meridian", "count"), COUNTS.items())
def test_count_per_meridian(cat: Catalog, meridian: str, count: int) -> None:
    assert len(cat.points_of(meridian)) == count
    assert len(cat.meridian(meridian).points) == count
    assert sum(1 for p in cat if p.meridian == meridian) == count


def test_total_counts(cat: Catalog) -> None:
    assert sum(COUNTS.values()) == 361
    assert sum(1 for p in cat if not p.is_extra) == 361
    assert sum(1 for p in cat if p.is_extra) == 48
    assert len(cat) == 409
    assert len(cat.codes) == 409
    assert len(set(cat.codes)) == 409


def test_meridians_in_flow_order_then_gv_cv(cat: Catalog) -> None:
    assert list(cat.meridians) == list(MERIDIANS)


@pytest.mark.parametrize("meridian", COUNTS)
def test_channel_order(cat: Catalog, meridian: str) -> None:
    points = cat.points_of(meridian)
    n = COUNTS[meridian]
    assert [p.code for p in points] == [f"{meridian}{i}" for i in range(1, n + 1)]
    assert [p.number for p in points] == list(range(1, n + 1))
    assert all(p.meridian == meridian for p in points)
    orders = [p.order for p in points]
    assert orders == sorted(orders)


def test_extra_points_order(cat: Catalog) -> None:
    extras = [p for p in cat if p.is_extra]
    assert [p.code for p in extras] == EXTRA_CODES
    assert all(p.meridian is None for p in extras)
    assert [p.number for p in extras] == [i for _, n in EXTRA_GROUPS for i in range(1, n + 1)]


def test_catalogue_order_is_meridians_then_extras(cat: Catalog) -> None:
    expected = [f"{m}{i}" for m, n in COUNTS.items() for i in range(1, n + 1)] + EXTRA_CODES
    assert list(cat.codes) == expected
    assert [p.order for p in cat] == list(range(409))


# -- lookups ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("TE5", "TE5"),
        ("SJ5", "TE5"),
        ("TW5", "TE5"),
        ("TH5", "TE5"),
        ("TE-5", "TE5"),
        ("te 5", "TE5"),
        ("sj-5", "TE5"),
        ("Du14", "GV14"),
        ("DU-14", "GV14"),
        ("Ren4", "CV4"),
        ("REN 4", "CV4"),
        ("UB40", "BL40"),
        ("LIV3", "LR3"),
        ("LV3", "LR3"),
        ("K1", "KI1"),
        ("KID1", "KI1"),
        ("HE7", "HT7"),
        ("H7", "HT7"),
        ("P6", "PC6"),
        ("LI04", "LI4"),
        ("ex-b2", "EX-B2"),
        ("EX B2", "EX-B2"),
        ("EX-HN3", "EX-HN3"),
        ("Ci Liao", "BL32"),
        ("Ciliao", "BL32"),
        ("ciliao", "BL32"),
        ("Tian Zhu", "BL10"),
        ("Tiānzhù", "BL10"),
        ("Hegu", "LI4"),
        ("合谷", "LI4"),
        ("次髎", "BL32"),
        ("天柱", "BL10"),
        ("攢竹", "BL2"),
        ("Jiaji", "EX-B2"),
        ("Bright Eyes", "BL1"),
    ],
)
def test_alias_forms_resolve(cat: Catalog, query: str, code: str) -> None:
    assert cat.resolve(query) == code
    assert cat[query].code == code
    assert cat.get(query) is cat[code]
    assert query in cat


@pytest.mark.parametrize(
    ("prefix", "code"), [("SJ", "TE"), ("Du", "GV"), ("ren", "CV"), ("UB", "BL"), ("LU", "LU")]
)
def test_meridian_aliases(cat: Catalog, prefix: str, code: str) -> None:
    assert cat.meridian(prefix).code == code


def test_normalize_code(cat: Catalog) -> None:
    assert cat.normalize_code("te 5") == "TE5"
    assert cat.normalize_code("Du14") == "GV14"
    assert cat.normalize_code("ex-le10") == "EX-LE10"
    assert cat.normalize_code("Hegu") is None
    assert cat.normalize_code("XX9") is None


def test_resolve_instance(cat: Catalog) -> None:
    point, inst = cat.resolve_instance("EX-B2@C5")
    assert point.code == "EX-B2"
    assert inst is not None
    assert inst.code == "EX-B2@C5"
    assert inst.levels == ("C5",)
    assert cat.resolve_instance("LI4") == (cat["LI4"], None)
    with pytest.raises(UnknownPointError):
        cat.resolve_instance("EX-B2@S4")


def test_wangu_is_ambiguous(cat: Catalog) -> None:
    first = [p.code for p in cat.search("Wangu")]
    assert first[:2] == ["SI4", "GB12"]
    assert cat.resolve("Wangu") is None
    assert cat.get("Wangu") is None
    assert "Wangu" not in cat
    for _ in range(3):
        assert [p.code for p in cat.search("Wangu")] == first
    with pytest.raises(UnknownPointError) as info:
        cat["Wangu"]
    assert {"SI4", "GB12"} <= set(info.value.suggestions)


def test_search_ranks_exact_code_first(cat: Catalog) -> None:
    assert cat.search("LI4")[0].code == "LI4"
    assert cat.search("SJ5")[0].code == "TE5"
    assert len(cat.search("Zhong", limit=3)) <= 3


def test_unknown_code_raises_lookup_error(cat: Catalog) -> None:
    with pytest.raises(UnknownPointError) as info:
        cat["XX99"]
    assert isinstance(info.value, LookupError)
    with pytest.raises(LookupError):
        cat["LI44"]
    assert cat.get("XX99") is None
    assert cat.get("XX99", cat["LI4"]) is cat["LI4"]
    assert "XX99" not in cat
    assert 42 not in cat


def test_unknown_code_did_you_mean(cat: Catalog) -> None:
    with pytest.raises(UnknownPointError) as info:
        cat["LI-44"]
    assert info.value.query == "LI-44"
    assert "LI4" in info.value.suggestions
    assert "did you mean" in str(info.value)
    assert "'LI4'" in str(info.value)


def test_unknown_meridian(cat: Catalog) -> None:
    with pytest.raises(UnknownWordError, match="did you mean 'LU'") as info:
        cat.meridian("LUX")
    assert isinstance(info.value, ValueError)
    assert "allowed: LU, LI" in str(info.value)


def test_unknown_point_error_pickles() -> None:
    err = UnknownPointError("LI-44", ("LI4",))
    back = pickle.loads(pickle.dumps(err))
    assert (back.query, back.suggestions, str(back)) == (err.query, err.suggestions, str(err))


# -- records and vocabulary ---------------------------------------------------------


def test_every_point_uses_the_vocabulary(cat: Catalog) -> None:
    for p in cat:
        assert p.region in REGIONS, p.code
        assert p.aspect in ASPECTS, p.code
        assert p.surface in SURFACES, p.code
        assert all(lv in LEVELS for lv in p.levels), p.code
        for inst in p.instances:
            assert inst.region is None or inst.region in REGIONS, inst.code
            assert all(lv in LEVELS for lv in inst.levels), inst.code
            assert all(1 <= d <= 5 for d in inst.digits), inst.code


def test_surface_agrees_with_meridian(cat: Catalog) -> None:
    for code, meridian in cat.meridians.items():
        expected = "yin" if code in YIN else "yang"
        assert meridian.surface == expected, code
        assert {p.surface for p in cat.points_of(code)} == {expected}, code


def test_pinyin_is_one_capitalised_ascii_word(cat: Catalog) -> None:
    for p in cat:
        assert p.pinyin.isascii(), p.code
        assert re.fullmatch(r"[A-Z][a-z]+", p.pinyin), (p.code, p.pinyin)
        assert p.name == p.pinyin


def test_records_have_text(cat: Catalog) -> None:
    for p in cat:
        assert p.chinese and not p.chinese.isascii(), p.code
        assert len(p.location) >= 10, p.code
        assert "\n" not in p.location and "  " not in p.location, p.code


def test_record_types(cat: Catalog) -> None:
    assert isinstance(cat["LI4"], Point)
    assert isinstance(cat.meridian("LI"), Meridian)
    assert all(isinstance(c, Caution) for c in cat.cautions.values())
    assert all(isinstance(i, Instance) for i in cat["EX-B2"].instances)


def test_to_dict(cat: Catalog) -> None:
    d = cat["BL10"].to_dict()
    assert d["code"] == "BL10"
    assert d["levels"] == ["C1", "C2"]
    assert json.loads(json.dumps(d)) == d
    assert len(cat["EX-B2"].to_dict()["instances"]) == 24


# -- spinal levels and group points -------------------------------------------------


@pytest.mark.parametrize(
    ("code", "levels"),
    [
        ("BL10", ("C1", "C2")),
        ("GV14", ("C7", "T1")),
        ("SI15", ("C7", "T1")),
        ("GV3", ("L4", "L5")),
        ("BL32", ("S2",)),
        ("BL23", ("L2",)),
        ("BL25", ("L4",)),
    ],
)
def test_spinal_levels(cat: Catalog, code: str, levels: tuple[str, ...]) -> None:
    assert cat[code].levels == levels


def test_every_back_shu_point_has_a_level(cat: Catalog) -> None:
    indexes = []
    for n in range(13, 29):
        point = cat[f"BL{n}"]
        assert len(point.levels) == 1, point.code
        level = point.lowest_level()
        assert level is not None
        indexes.append(level)
    assert indexes == sorted(indexes)
    assert len(set(indexes)) == len(indexes)


def test_lowest_level(cat: Catalog) -> None:
    assert cat["GV14"].lowest_level() == LEVELS.index("C7")
    assert cat["LI4"].lowest_level() is None


def test_jiaji_has_every_level_c1_to_l5(cat: Catalog) -> None:
    jiaji = cat["EX-B2"]
    expected = [lv for lv in LEVELS if lv[0] in "CTL" and lv != "C8"]
    assert len(expected) == 24
    assert [i.key for i in jiaji.instances] == expected
    assert [i.levels for i in jiaji.instances] == [(lv,) for lv in expected]
    assert all(i.point == "EX-B2" for i in jiaji.instances)
    assert jiaji.instance("c6").code == "EX-B2@C6"
    with pytest.raises(KeyError):
        jiaji.instance("S1")


@pytest.mark.parametrize(
    ("code", "pinyin", "digits"),
    [
        ("EX-UE9", "Baxie", [(1, 2), (2, 3), (3, 4), (4, 5)]),
        ("EX-LE10", "Bafeng", [(1, 2), (2, 3), (3, 4), (4, 5)]),
        ("EX-UE11", "Shixuan", [(1,), (2,), (3,), (4,), (5,)]),
    ],
)
def test_digit_groups(cat: Catalog, code: str, pinyin: str, digits: list[tuple[int, ...]]) -> None:
    point = cat[code]
    assert point.pinyin == pinyin
    assert cat[pinyin] is point
    assert [i.digits for i in point.instances] == digits


# -- cautions -----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["LI4", "SP6", "BL60", "BL67", "GB21"])
def test_pregnancy_caution(cat: Catalog, code: str) -> None:
    assert "pregnancy" in cat[code].cautions


@pytest.mark.parametrize("code", ["GB21", "SI15", "LU1", "LU2", "ST12"])
def test_deep_chest_caution(cat: Catalog, code: str) -> None:
    assert "deep_chest" in cat[code].cautions


def test_every_caution_used_is_defined_with_a_source(cat: Catalog) -> None:
    defined = cat.cautions
    assert {"pregnancy", "deep_chest"} <= set(defined)
    used = {c for p in cat for c in p.cautions}
    assert used <= set(defined), used - set(defined)
    for cid, caution in defined.items():
        assert caution.id == cid
        assert caution.title.strip() and caution.reason.strip(), cid
        assert len(caution.sources) >= 1, cid
        assert all(s.strip() for s in caution.sources), cid


# -- pickling -----------------------------------------------------------------------


def test_catalogue_pickles(cat: Catalog) -> None:
    back = pickle.loads(pickle.dumps(cat))
    assert isinstance(back, Catalog)
    assert back is not cat
    assert back.codes == cat.codes
    assert list(back) == list(cat)
    assert [p.order for p in back] == [p.order for p in cat]
    assert back.meridians == cat.meridians
    assert back.cautions == cat.cautions
    assert back["SJ5"] == cat["TE5"]
    assert back["次髎"].code == "BL32"
    assert back.resolve("Wangu") is None
    assert back.graph.channel("LI") == cat.graph.channel("LI")


# -- loading ------------------------------------------------------------------------


def test_from_folder_on_a_copy(data_copy: Path) -> None:
    for folder in (data_copy, str(data_copy)):
        loaded = Catalog.from_folder(folder)
        assert loaded.codes == Catalog.default().codes


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first line that contains ``needle``."""
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _set_region(path: Path, code: str, region: str) -> int:
    """Set the region of one point in a data file; return the 1-based line changed."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- code: {code}")
    idx = next(i for i in range(start + 1, len(lines)) if lines[i].strip().startswith("region:"))
    lines[idx] = f"    region: {region}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return idx + 1


def _problem_lines(exc: LoadError) -> list[str]:
    return str(exc).splitlines()


def test_broken_files_list_every_problem(data_copy: Path) -> None:
    """An unknown region in one file and a duplicate key in another: both reported."""
    lu = data_copy / "points" / "lu.yaml"
    li = data_copy / "points" / "li.yaml"
    region_row = _set_region(lu, "LU5", "elbw")
    _break(li, "    pinyin: Hegu\n", "    pinyin: Hegu\n    pinyin: Hegu\n")
    dup_row = _line_of(li.read_text(encoding="utf-8"), "pinyin: Hegu") + 1

    with pytest.raises(LoadError) as info:
        Catalog.from_folder(data_copy)
    problems = info.value.problems
    codes = {p.code for p in problems}
    assert "duplicate-key" in codes
    assert "unknown-word" in codes
    assert isinstance(info.value, ValueError)

    out = _problem_lines(info.value)
    assert any(
        line.startswith(f"{lu}:{region_row}:5: error[unknown-word]") and "elbow" in line for line in out
    ), out
    assert any(line.startswith(f"{li}:{dup_row}:5: error[duplicate-key]") for line in out), out
    for p in problems:
        assert p.path in (str(lu), str(li))
        assert p.line >= 1 and p.column >= 1


def test_one_broken_file_lists_both_problems(data_copy: Path) -> None:
    """A duplicate key and an unknown region in the same file are both reported.

    Fails today: the YAML loader stops at the duplicate key, so the schema (and its
    unknown-region problem) is never checked for that file.
    """
    lu = data_copy / "points" / "lu.yaml"
    _break(lu, "    pinyin: Yunmen\n", "    pinyin: Yunmen\n    pinyin: Yunmen\n")
    dup_row = _line_of(lu.read_text(encoding="utf-8"), "pinyin: Yunmen") + 1
    region_row = _set_region(lu, "LU5", "elbw")

    with pytest.raises(LoadError) as info:
        Catalog.from_folder(data_copy)
    out = _problem_lines(info.value)
    assert any(line.startswith(f"{lu}:{dup_row}:5: error[duplicate-key]") for line in out), out
    assert any(line.startswith(f"{lu}:{region_row}:5: error[unknown-word]") for line in out), out


def test_a_crossing_on_an_unknown_surface_is_reported(data_copy: Path) -> None:
    li = data_copy / "points" / "li.yaml"
    _break(
        li,
        "    - region: shoulder\n      aspect: anterior\n",
        "    - region: shoulder\n      aspect: anteror\n",
    )
    row = _line_of(li.read_text(encoding="utf-8"), "aspect: anteror")
    with pytest.raises(LoadError) as info:
        Catalog.from_folder(data_copy)
    (problem,) = info.value.problems
    assert problem.code == "unknown-word" and problem.line == row
    assert "'anterior'" in str(info.value) and str(li) in str(info.value)


def test_unknown_caution_is_reported(data_copy: Path) -> None:
    lu = data_copy / "points" / "lu.yaml"
    _break(lu, "cautions: [deep_chest]", "cautions: [deep_chets]")
    with pytest.raises(LoadError) as info:
        Catalog.from_folder(data_copy)
    (problem,) = info.value.problems
    assert problem.code == "unknown-caution"
    assert problem.path == str(lu)
    assert problem.line == _line_of(lu.read_text(encoding="utf-8"), "deep_chets")


def test_surface_mismatch_is_reported(data_copy: Path) -> None:
    ht = data_copy / "points" / "ht.yaml"
    text = ht.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    idx = next(
        i for i, line in enumerate(lines) if line.strip() == "surface: yin" and line.startswith("    ")
    )
    lines[idx] = lines[idx].replace("yin", "yang")
    ht.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        Catalog.from_folder(data_copy)
    assert [(p.code, p.line) for p in info.value.problems] == [("surface-mismatch", idx + 1)]


def test_loading_is_lazy(tmp_path: Path) -> None:
    """Importing the module reads no data; the first Catalog.default() does."""
    script = textwrap.dedent(
        """
        import json, sys

        opened = []

        def hook(event, args):
            if event == "open" and isinstance(args[0], (str, bytes)):
                name = args[0].decode() if isinstance(args[0], bytes) else args[0]
                if name.endswith(".yaml"):
                    opened.append(name)

        sys.addaudithook(hook)
        import acupoints.catalog.catalog as mod

        at_import = list(opened)
        default_before = mod.Catalog._default is None
        cat = mod.Catalog.default()
        print(json.dumps([default_before, at_import, opened, len(cat)]))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    default_before, at_import, opened, count = json.loads(run.stdout.strip().splitlines()[-1])
    assert default_before is True
    assert [name for name in at_import if "data" in Path(name).parts] == []
    assert any(name.endswith("cautions.yaml") for name in opened)
    assert count == 409
