"""The result as a contract: versioned, described by its schema, read back exactly.

- Every result says its ``schema_version``, which ``engine`` made it (library version,
  packs, one digest of the rule files and the catalogue data) and its ``alternatives``.
- The alternatives are the best of the dropped points, at most 8, each as it would have
  been chosen had the cut been longer.
- ``Suggestion.from_dict`` / ``from_json`` give back a result whose JSON is the same text,
  for any generated case; they refuse data of another major version or shape.
- The printed JSON Schema validates every result.
"""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from acupoints import Engine, LoadError, Suggestion, __version__
from acupoints.catalog.catalog import Catalog
from acupoints.engine.contract import MAX_ALTERNATIVES, SCHEMA_VERSION, result_schema
from acupoints.io.resources import data_root, rules_root
from acupoints.rulebook.book import RuleBook, load_rulebook
from data.strategies import cases

ENGINE = Engine.default()
CATALOG = Catalog.default()
C6 = {
    "complaints": [
        {"region": "forearm", "aspect": "dorsal", "side": "right", "sensations": ["numbness", "pain"]},
        {"region": "fingers", "digits": [1, 2], "side": "right", "sensations": ["numbness"]},
    ],
    "cause": {"kind": "nerve_root_compression", "levels": ["C6"]},
}


def test_every_result_says_its_version_engine_and_alternatives() -> None:
    for case in (C6, {**C6, "red_flags": ["fever"]}):
        d = ENGINE.suggest(case).to_dict()
        assert d["schema_version"] == SCHEMA_VERSION == "1.0"
        engine = d["engine"]
        assert engine is not None
        assert engine["version"] == __version__
        assert engine["packs"] == list(ENGINE.rulebook.packs)
        assert engine["digest"].startswith("sha256:") and len(engine["digest"]) == len("sha256:") + 64
        assert isinstance(d["alternatives"], list)
    assert ENGINE.suggest({**C6, "red_flags": ["fever"]}).alternatives == ()


def test_the_provenance_is_made_once_per_engine() -> None:
    first, second = ENGINE.suggest(C6), ENGINE.suggest({**C6, "flags": ["pregnancy"]})
    assert first.engine is second.engine is ENGINE.provenance


def test_alternatives_are_the_points_a_longer_cut_would_have_chosen() -> None:
    short = ENGINE.suggest({**C6, "max_points": 3})
    assert 0 < len(short.alternatives) <= MAX_ALTERNATIVES
    assert [a.code for a in short.alternatives] == list(short.dropped[:MAX_ALTERNATIVES])
    longer = ENGINE.suggest({**C6, "max_points": 3 + len(short.alternatives)})
    for alt, chosen in zip(short.alternatives, longer.points[3:], strict=True):
        assert (alt.code, alt.name, alt.side, alt.role, alt.score, alt.rules, alt.why, alt.sources,
                alt.instances, alt.cautions) == (
            chosen.code, chosen.name, chosen.side, chosen.role, chosen.score, chosen.rules, chosen.why,
            chosen.sources, chosen.instances, chosen.cautions,
        )  # fmt: skip


def test_a_group_point_among_the_alternatives_names_the_places_left_to_it() -> None:
    # Jiaji is a group point: whoever swaps it in must know at which levels, and only the
    # places the safety rules left (they may leave some out), as a chosen Jiaji shows them.
    lumbar = {
        "complaints": [{"region": "lower_back", "sensations": ["pain"]},
                       {"region": "leg", "aspect": "lateral", "side": "left", "sensations": ["numbness"]}],
        "cause": {"kind": "nerve_root_compression", "levels": ["L4", "L5"]},
    }  # fmt: skip
    plain = ENGINE.suggest(lumbar)
    n = plain.codes.index("EX-B2")
    alt = next(a for a in ENGINE.suggest({**lumbar, "max_points": n}).alternatives if a.code == "EX-B2")
    assert alt.instances == plain.point("EX-B2").instances  # type: ignore[union-attr]
    assert alt.to_dict()["instances"] == list(alt.instances)
    assert Suggestion.from_dict(ENGINE.suggest({**lumbar, "max_points": n}).to_dict()).alternatives[0] == alt


@given(cases())
def test_alternatives_are_at_most_eight_of_the_dropped_best_first(case: dict[str, Any]) -> None:
    s = ENGINE.suggest({**case, "max_points": 2})
    assert [a.code for a in s.alternatives] == list(s.dropped[:MAX_ALTERNATIVES])
    scores = [a.score for a in s.alternatives]
    assert scores == sorted(scores, reverse=True)
    # Each affected region takes only its share of the places, so only a point lying in an
    # affected region may wait below the cut with a higher score than a chosen point.
    lowest = min((p.score for p in s.points), default=0.0)
    regions = {c["region"] for c in case["complaints"]}
    for a in s.alternatives:
        if a.score > lowest and not a.instances:
            assert CATALOG[a.code].region in regions, a
    assert all(dataclasses.replace(a) == a for a in s.alternatives)  # built without __init__


@given(cases())
def test_a_result_reads_back_exactly(case: dict[str, Any]) -> None:
    for s in (ENGINE.suggest(case), ENGINE.suggest({**case, "max_points": 3})):
        d = s.to_dict()
        back = Suggestion.from_dict(d)
        assert back.to_dict() == d
        assert back.to_json(indent=None) == s.to_json(indent=None) == json.dumps(d, ensure_ascii=False)
        again = Suggestion.from_json(s.to_json())
        assert again.to_json() == s.to_json()
        assert (again.codes, again.alternatives, again.engine, again.referral) == (
            s.codes, s.alternatives, s.engine, s.referral,
        )  # fmt: skip
        assert [p.sources for p in again.points] == [p.sources for p in s.points]


def test_reading_back_keeps_values_as_written() -> None:
    d = ENGINE.suggest(C6).to_dict()
    d["points"][0]["score"] = 4  # an integer stays an integer
    assert Suggestion.from_dict(d).to_dict() == d
    assert '"score": 4,' in Suggestion.from_dict(d).to_json(indent=None)


def test_a_later_minor_version_reads_without_the_keys_it_added() -> None:
    d: dict[str, Any] = dict(ENGINE.suggest(C6).to_dict())
    later = {**d, "schema_version": "1.7", "something_new": {"x": 1}}
    back = Suggestion.from_dict(later)
    assert back.to_dict() == d


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schema_version": "2.0"}, "schema-version"),
        ({"schema_version": None}, "schema-version"),
        ({"status": "maybe"}, "status"),
        ({"points": [{"code": "LI4"}]}, "points[0].name"),
        ({"plan": {"items": [], "needles": {"a": 1}}}, "needles"),
    ],
)
def test_what_is_not_a_result_is_refused_with_where(change: dict[str, Any], message: str) -> None:
    d = {**ENGINE.suggest(C6).to_dict(), **change}
    with pytest.raises(LoadError) as err:
        Suggestion.from_dict(d)
    assert message in str(err.value)
    assert str(err.value).startswith("<result>:1:1: error[")


def test_text_that_is_not_a_result_is_refused() -> None:
    with pytest.raises(LoadError, match=r"<result>:1:2: error\[not-json\]"):
        Suggestion.from_json("{nope")
    with pytest.raises(LoadError, match="a result is a JSON object"):
        Suggestion.from_json("[]")


@given(cases())
def test_the_schema_validates_every_result(case: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = _validator(jsonschema)
    validator.validate(ENGINE.suggest(case).to_dict())
    validator.validate(ENGINE.suggest({**case, "max_points": 1}).to_dict())


_VALIDATORS: dict[str, Any] = {}


def _validator(jsonschema: Any) -> Any:
    if "result" not in _VALIDATORS:
        schema = result_schema()
        jsonschema.Draft202012Validator.check_schema(schema)
        _VALIDATORS["result"] = jsonschema.Draft202012Validator(schema)
    return _VALIDATORS["result"]


def test_the_schema_says_what_a_result_is() -> None:
    schema = result_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:acupoints:schema:result:1.0"
    assert set(schema["required"]) == set(ENGINE.suggest(C6).to_dict())
    assert set(schema["$defs"]["Alternative"]["required"]) >= {"code", "score", "rules", "why"}
    assert schema["$defs"]["Plan"]["additionalProperties"]  # settings beside the items


# -- the digest ----------------------------------------------------------------------------
def _copy(folder: Any, to: Path) -> Path:
    to.mkdir()
    for f in folder.iterdir():
        if f.is_file():
            (to / f.name).write_bytes(f.read_bytes())
        elif f.name == "points":
            _copy(f, to / "points")
    return to


def test_the_digest_follows_the_files(tmp_path: Path) -> None:
    catalog = Catalog.default()
    rules = _copy(rules_root(), tmp_path / "rules")
    same = Engine(load_rulebook([rules], catalog), catalog).provenance
    assert same == ENGINE.provenance  # the same files, wherever they are
    first = sorted(rules.glob("*.yaml"))[0]
    first.write_bytes(first.read_bytes() + b"\n# an edit\n")
    edited = Engine(load_rulebook([rules], catalog), catalog).provenance
    assert edited.digest != ENGINE.provenance.digest and edited.packs == ENGINE.provenance.packs


@pytest.mark.parametrize("table", ["categories.yaml", "roots.yaml", "cautions.yaml", "points/lu.yaml"])
def test_the_digest_covers_the_catalogue_data(tmp_path: Path, table: str) -> None:
    folder = _copy(data_root(), tmp_path / "data")
    unchanged = Catalog.from_folder(folder)
    assert unchanged.digest == Catalog.default().digest
    path = folder / table
    path.write_bytes(path.read_bytes() + b"\n# an edit\n")
    assert Catalog.from_folder(folder).digest != unchanged.digest


def test_the_digest_travels_with_a_pickled_engine() -> None:
    copy = pickle.loads(pickle.dumps(ENGINE))
    assert copy.provenance == ENGINE.provenance
    assert copy.suggest(C6).to_json() == ENGINE.suggest(C6).to_json()


def test_a_rulebook_in_memory_gets_a_digest_of_its_content() -> None:
    book = RuleBook(ENGINE.rulebook.rules, ENGINE.rulebook.packs)
    catalog = Catalog(list(ENGINE.catalog), list(ENGINE.catalog.meridians.values()),
                      list(ENGINE.catalog.cautions.values()))  # fmt: skip
    one, two = Engine(book, catalog).provenance, Engine(book, catalog).provenance
    assert one == two and one.digest != ENGINE.provenance.digest
    # (The first rule, not the last: an engine adds back any rule of the safety pack.)
    fewer = RuleBook(ENGINE.rulebook.rules[1:], ENGINE.rulebook.packs)
    assert Engine(fewer, catalog).provenance.digest != one.digest
