"""The agreement benchmark: its files are valid, its split is fixed, its metrics are right.

Run with ``python -m pytest`` from the repository root (the ``benchmarks`` folder is not
part of the installed package, so it is imported from the working directory).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from benchmarks.agreement import CONDITIONS, AgreementDataError, Score, load_entries, mean_scores, score
from benchmarks.agreement.entries import CASES, problems_of, rule_source_keys
from benchmarks.agreement.ranking import (
    COMMON_POINTS,
    REACH_CAP,
    engine_ranking,
    engine_reach,
    popular_points,
)
from benchmarks.agreement.split import (
    SEED,
    SPLIT_FILE,
    assign,
    by_hash,
    draw,
    halves,
    load_split,
    load_withdrawn,
)

import acupoints

CATALOG = acupoints.Catalog.default()
FILES = sorted(CASES.glob("*.yaml"))


def _data(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path.name
    return data


# --- the files -------------------------------------------------------------------------


def test_every_file_loads_and_the_conditions_are_covered() -> None:
    entries = load_entries()
    assert len(entries) == len(FILES)
    # The knowledge issue asks for at least 8 conditions (and 60 files: not reached yet,
    # see benchmarks/agreement/README.md, "What is missing").
    assert len({e.condition for e in entries}) >= 8


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_file_is_valid(path: Path) -> None:
    data = _data(path)
    assert problems_of(path.name, data, CATALOG) == []
    acupoints.Case.from_dict(data["case"])
    assert data["condition"] in CONDITIONS
    for code in data["published_points"]:  # type: ignore[attr-defined]
        assert CATALOG[code].code == code


def test_sources_are_unique() -> None:
    # load_entries raises when two files cite one publication; it must not raise.
    entries = load_entries()
    assert len({" ".join(e.source.split()).lower() for e in entries}) == len(entries)


def test_a_broken_file_is_reported_with_every_problem(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        yaml.safe_dump(
            {
                "source": "no link here",
                "condition": "carpal",
                "design": "randomized_trial",
                "case": {"complaints": [{"region": "wrist", "sensations": ["numbnes"]}]},
                "published_points": ["PC7", "UB40", "XX99"],
                "extra": 1,
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(AgreementDataError) as caught:
        load_entries(tmp_path, CATALOG)
    text = str(caught.value)
    for part in (
        "unknown field 'extra'",
        "unknown condition 'carpal'",
        "DOI or URL",
        "case:",
        "'BL40'",
        "XX99",
    ):
        assert part in text


def test_two_files_citing_one_doi_are_refused(tmp_path: Path) -> None:
    one = _data(FILES[0])
    one["source"] = "First. https://doi.org/10.1000/xyz"
    two = dict(one, source="Second citation of the same. doi:10.1000/XYZ.")
    for name, data in (("one", one), ("two", two)):
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(AgreementDataError, match="same source"):
        load_entries(tmp_path, CATALOG)


def _rules_citing(folder: Path, doi: str) -> Path:
    rules = folder / "rules"
    rules.mkdir()
    (rules / "10-review.yaml").write_text(
        f'sources:\n  R1: "A review. https://doi.org/{doi}"\n', encoding="utf-8"
    )
    return rules


def test_a_rule_source_is_never_a_case(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    data = dict(_data(FILES[0]), source="A review of trials. https://doi.org/10.1000/review")
    (cases / "one.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    rules = _rules_citing(tmp_path, "10.1000/REVIEW")
    with pytest.raises(AgreementDataError, match="a rule's source is never a case"):
        load_entries(cases, CATALOG, rules)


def test_a_web_page_a_rule_cites_is_never_a_case(tmp_path: Path) -> None:
    # A page without a DOI is a publication too; scheme, "www." and the closing slash
    # do not make it another one.
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "10-page.yaml").write_text(
        'sources:\n  R1: "A prescription page. http://www.example.org/art/1.html"\n', encoding="utf-8"
    )
    cases = tmp_path / "cases"
    cases.mkdir()
    data = dict(_data(FILES[0]), source="The same page. https://example.org/art/1.html/")
    (cases / "page.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(AgreementDataError, match=r"example\.org/art/1\.html, a source of the shipped rules"):
        load_entries(cases, CATALOG, rules)
    other = dict(data, source="Another page. https://example.org/art/2.html")
    (cases / "page.yaml").write_text(yaml.safe_dump(other), encoding="utf-8")
    assert [e.name for e in load_entries(cases, CATALOG, rules)] == ["page"]


def test_points_read_from_a_rule_source_are_marked(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    base = _data(FILES[0])
    table = dict(
        base, source="A trial. https://doi.org/10.1000/trial-a", points_from="Table 1 of doi:10.1000/review."
    )
    own = dict(base, source="Another trial. https://doi.org/10.1000/trial-b", points_from="its abstract page")
    for name, data in (("table", table), ("own", own)):
        (cases / f"{name}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    entries = {e.name: e for e in load_entries(cases, CATALOG, _rules_citing(tmp_path, "10.1000/review"))}
    assert entries["table"].from_rule_source
    assert not entries["own"].from_rule_source


def test_the_shipped_files_read_from_rule_sources_are_named() -> None:
    # The rule-source DOIs come from the shipped rule files themselves.
    cited = rule_source_keys()
    assert cited and all(not key.endswith('"') and not key.startswith("http") for key in cited)
    assert any(key.startswith("10.") for key in cited)
    for entry in load_entries():
        if entry.from_rule_source:
            assert entry.points_from is not None
            assert any(doi in entry.points_from.lower() for doi in cited)


# --- the split -------------------------------------------------------------------------


def test_the_split_is_recorded_and_stable() -> None:
    record = load_split()
    recorded = record["check"] + record["tune"]
    assert SPLIT_FILE.exists() and recorded
    assert not set(record["check"]) & set(record["tune"])
    # The record is exactly what the fixed seed draws from the recorded names.
    assert draw(recorded) == {"check": sorted(record["check"]), "tune": sorted(record["tune"])}
    assert yaml.safe_load(SPLIT_FILE.read_text(encoding="utf-8"))["seed"] == SEED
    # Every recorded file still exists and keeps its half; about a third is checked.
    names = {p.stem for p in FILES}
    withdrawn = load_withdrawn()
    assert set(recorded) - set(withdrawn) <= names
    # A withdrawn file is gone from the benchmark and says why.
    assert not set(withdrawn) & names and all(why.strip() for why in withdrawn.values())
    assert set(withdrawn) <= set(recorded)
    split = halves(names, record)
    assert set(record["check"]) - set(withdrawn) <= set(split["check"])
    assert abs(len(record["check"]) - len(recorded) / 3) <= 1


def test_a_new_file_goes_by_hash_and_moves_no_old_one() -> None:
    record = load_split()
    before = halves(record["check"] + record["tune"], record)
    after = halves([*record["check"], *record["tune"], "zz-added-later"], record)
    assert after["check"] == before["check"] + (
        ["zz-added-later"] if by_hash("zz-added-later") == "check" else []
    )
    assert assign("zz-added-later", record) == by_hash("zz-added-later")
    # The hash sends about one name in three to the check half.
    share = sum(by_hash(f"name-{i}") == "check" for i in range(3000)) / 3000
    assert 0.3 < share < 0.37


def test_the_draw_ignores_the_order_of_names() -> None:
    names = [f"file-{i:02d}" for i in range(30)]
    assert draw(names) == draw(reversed(names))
    assert len(draw(names)["check"]) == 10


# --- the metrics -----------------------------------------------------------------------


def test_recall_and_precision_on_a_hand_example() -> None:
    ranked = ["PC7", "PC6", "LI4", "HT7", "LU9", "TE5", "LI11", "PC8", "SI3"]
    published = ["PC7", "LI4", "TE5", "GB34"]
    # Top 2: PC7 hit, PC6 miss -> 1 of 4 published, 1 of 2 proposed.
    assert score(ranked, published, 2) == Score(recall=0.25, precision=0.5)
    # Top 8: PC7, LI4, TE5 -> 3 of 4 published, 3 of 8 proposed.
    assert score(ranked, published, 8) == Score(recall=0.75, precision=0.375)
    # A list shorter than k: precision over the 9 points proposed.
    assert score(ranked, published, 16) == Score(recall=0.75, precision=3 / 9)
    # Repeated codes count once; an empty list scores nothing.
    assert score(["LI4", "LI4", "TE5"], published, 2) == Score(recall=0.5, precision=1.0)
    assert score([], published, 8) == Score(recall=0.0, precision=0.0)


def test_the_mean_weighs_each_prescription_the_same() -> None:
    assert mean_scores([Score(1.0, 1.0), Score(0.0, 0.5), Score(0.5, 0.0)]) == Score(0.5, 0.5)
    with pytest.raises(ValueError):
        mean_scores([])
    with pytest.raises(ValueError):
        score(["LI4"], [], 8)


# --- the lists -------------------------------------------------------------------------


def test_the_baselines_are_points_of_the_catalogue() -> None:
    assert len(COMMON_POINTS) == len(set(COMMON_POINTS)) == 16
    assert all(CATALOG[code].code == code for code in COMMON_POINTS)
    entries = load_entries()
    popular = popular_points(entries, CATALOG)
    assert len(popular) == 16
    counts = [sum(code in e.published_points for e in entries) for code in popular]
    assert counts == sorted(counts, reverse=True)


def test_the_engine_ranking_is_its_points_in_order() -> None:
    engine = acupoints.Engine.default()
    case = acupoints.Case.from_dict(load_entries()[0].case)
    result = engine.suggest(case).to_dict()
    expected = [p["code"] for p in result["points"]] + [a["code"] for a in result.get("alternatives", [])]
    assert engine_ranking(engine, case) == list(dict.fromkeys(expected))


def test_the_reach_is_every_supported_point_and_holds_the_ranking() -> None:
    engine = acupoints.Engine.default()
    # A lumbar root with pain down the leg: more points are supported than the cap of 12
    # and the 8 alternatives show.
    case = acupoints.Case.from_dict(
        {
            "complaints": [
                {"region": "lower_back", "side": "left", "sensations": ["pain"]},
                {"region": "leg", "aspect": "lateral", "side": "left", "sensations": ["pain", "numbness"]},
                {"region": "foot", "aspect": "dorsal", "side": "left", "sensations": ["numbness"]},
            ],
            "cause": {"kind": "nerve_root_compression", "levels": ["L5"]},
        }
    )
    ranked, reach = engine_ranking(engine, case), engine_reach(engine, case)
    # Past the cap and the alternatives, and holding every point the ranking shows.
    assert len(reach) > len(ranked) == 20 and set(ranked) <= set(reach)
    # Never cut by the lifted budget itself: then it would not be every supported point.
    assert len(reach) < REACH_CAP
    # The case's own budget is not changed for the ranking.
    assert len(engine.suggest(case).points) == 12
