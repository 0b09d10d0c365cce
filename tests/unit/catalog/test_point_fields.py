"""One source for a catalogue field.

A field is declared in the schema of the data files and, typed, on its record. The loader,
``to_dict``, the graph and the docs table are derived from those declarations. These tests
pin that: each schema's fields are exactly its record's (less the derived ones), with the
same types; the JSON and the graph follow the records' declarations in every point; and a
field added to the schema reaches the record, ``to_dict``, the graph and the docs table
with no other edit, while a schema field the record lacks stops the load.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import operator
import pickle
import sys
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from acupoints import Catalog, Caution, Instance, Meridian, Point
from acupoints.catalog import graph as graph_module
from acupoints.catalog.fields import InJson, carried, derived_fields, json_rule, record_dict
from acupoints.catalog.graph import MERIDIAN_ATTRIBUTES, POINT_ATTRIBUTES, MeridianGraph
from acupoints.catalog.load import read_point_file
from acupoints.catalog.records import Crossing
from acupoints.catalog.schema import CautionData, CrossingData, InstanceData, MeridianData, PointData
from acupoints.io.resources import data_root

DOCS = Path(__file__).resolve().parents[3] / "docs"

#: Each record and the schema it holds the fields of.
RECORDS: list[tuple[type, type[BaseModel]]] = [
    (Point, PointData),
    (Instance, InstanceData),
    (Meridian, MeridianData),
    (Caution, CautionData),
    (Crossing, CrossingData),
]
_RECORD_OF: dict[Any, type] = {schema: record for record, schema in RECORDS}


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.default()


def _names(record: type) -> list[str]:
    return [f.name for f in dataclasses.fields(record)]


def _as_held(tp: Any) -> Any:
    """A schema annotation as its record holds it: no checks, records for data models,
    plain text for a choice of words."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _as_held(typing.get_args(tp)[0])
    if origin is typing.Literal:
        return functools.reduce(operator.or_, {type(v) for v in typing.get_args(tp)})
    if origin is None:
        return _RECORD_OF.get(tp, tp)
    args = tuple(_as_held(a) for a in typing.get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return functools.reduce(operator.or_, args)
    return origin[args]


# -- the record holds the schema ---------------------------------------------------------
@pytest.mark.parametrize(("record", "schema"), RECORDS, ids=lambda x: x.__name__)
def test_a_record_holds_every_schema_field_and_only_those_besides_the_derived(
    record: type, schema: type[BaseModel]
) -> None:
    made = set(derived_fields(record))
    assert set(_names(record)) - made == set(schema.model_fields)
    assert not made & set(schema.model_fields)


@pytest.mark.parametrize(("record", "schema"), RECORDS, ids=lambda x: x.__name__)
def test_a_record_field_has_the_schema_type_without_its_checks(record: type, schema: type[BaseModel]) -> None:
    hints = typing.get_type_hints(record)
    for name, info in schema.model_fields.items():
        assert hints[name] == _as_held(info.annotation), (record.__name__, name)


def test_records_keep_the_order_of_the_published_json() -> None:
    # The order of the fields is the order of to_dict, which users' JSON already has.
    assert _names(Point) == [
        *("code", "pinyin", "chinese", "english", "also", "meridian", "number", "region", "aspect"),
        *("surface", "levels", "location", "cautions", "instances", "note", "order"),
    ]
    assert _names(Instance) == ["point", "key", "levels", "digits", "location", "region"]


# -- to_dict -----------------------------------------------------------------------------
def test_to_dict_takes_each_field_by_its_declared_rule(cat: Catalog) -> None:
    for p in cat:
        d = p.to_dict()
        expected = [
            f.name
            for f in dataclasses.fields(Point)
            if json_rule(f) is InJson.ALWAYS or (json_rule(f) is InJson.IF_SET and getattr(p, f.name))
        ]
        assert list(d) == expected, p.code
        for name in expected:
            value = getattr(p, name)
            if name == "instances":
                assert d[name] == [record_dict(i) for i in value]
            else:
                assert d[name] == (list(value) if isinstance(value, tuple) else value), (p.code, name)


def test_to_dict_is_the_json_it_always_was(cat: Catalog) -> None:
    assert cat["BL10"].to_dict() == {
        "code": "BL10",
        "pinyin": "Tianzhu",
        "chinese": "天柱",
        "english": cat["BL10"].english,
        "meridian": "BL",
        "region": "neck",
        "aspect": "posterior",
        "surface": "yang",
        "levels": ["C1", "C2"],
        "location": cat["BL10"].location,
        "cautions": list(cat["BL10"].cautions),
    }
    jiaji = cat["EX-B2"].to_dict()
    assert list(jiaji)[-2:] == ["instances", "note"]
    assert jiaji["meridian"] is None
    assert list(jiaji["instances"][0]) == ["key", "levels", "digits", "location"]


# -- the graph ---------------------------------------------------------------------------
def test_graph_nodes_carry_the_named_record_fields(cat: Catalog) -> None:
    assert set(POINT_ATTRIBUTES) <= set(_names(Point))
    assert set(MERIDIAN_ATTRIBUTES) <= set(_names(Meridian))
    # The order too: the attribute dicts are what users print.
    assert POINT_ATTRIBUTES == ("meridian", "region", "aspect", "surface", "levels", "order", "pinyin")
    g = cat.graph
    for p in cat:
        assert list(g.nodes[p.code].items()) == [
            ("kind", "point"),
            *((a, getattr(p, a)) for a in POINT_ATTRIBUTES),
        ]
    for m in cat.meridians.values():
        assert list(g.nodes[m.code].items()) == [
            ("kind", "meridian"),
            *((a, getattr(m, a)) for a in MERIDIAN_ATTRIBUTES),
        ]


def test_records_pickle_whole(cat: Catalog) -> None:
    back = pickle.loads(pickle.dumps(cat))
    for p in cat:
        assert back[p.code] == p and back[p.code].order == p.order


# -- a new field -------------------------------------------------------------------------
class _PointDataPlus(PointData):
    depth: str = Field("0.3 cun", description="How deep the needle goes.")


@dataclasses.dataclass(frozen=True, kw_only=True)
class _PointPlus(Point):
    depth: str = "0.3 cun"


def _loaded(record: type) -> list[Any]:
    """The LU points as the loader makes them, from a schema with one more field."""
    parsed = read_point_file(data_root() / "points" / "lu.yaml", trusted=True)
    points = []
    for i, raw in enumerate(parsed.points):
        plus = _PointDataPlus(**raw.model_dump(), depth=f"{i + 1} fen")
        points.append(
            record(
                **carried(
                    plus,
                    location=" ".join(plus.location.split()),
                    instances=(),
                    meridian="LU",
                    number=i + 1,
                    order=i,
                )
            )
        )
    return points


def test_a_schema_field_the_record_lacks_stops_the_load() -> None:
    with pytest.raises(TypeError, match="depth"):
        _loaded(Point)


def test_a_new_field_reaches_the_record_the_json_and_the_graph(
    cat: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    points = _loaded(_PointPlus)
    assert [p.depth for p in points[:2]] == ["1 fen", "2 fen"]
    assert list(points[0].to_dict())[-1] == "depth" and points[0].to_dict()["depth"] == "1 fen"
    assert {k: v for k, v in points[0].to_dict().items() if k != "depth"} == cat["LU1"].to_dict()

    # The rest of the catalogue as records of the wider kind, so the graph is whole.
    rest = [_PointPlus(**{n: getattr(p, n) for n in _names(Point)}) for p in cat if p.meridian != "LU"]
    wider = Catalog([*points, *rest], list(cat.meridians.values()), list(cat.cautions.values()))
    monkeypatch.setattr(graph_module, "POINT_ATTRIBUTES", (*POINT_ATTRIBUTES, "depth"))
    g = MeridianGraph.from_catalog(wider)
    assert g.nodes["LU2"]["depth"] == "2 fen"
    assert g.nodes["LU2"] == {**cat.graph.nodes["LU2"], "depth": "2 fen"}


# -- the docs table ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def docs_tables() -> types.ModuleType:
    sys.path.insert(0, str(DOCS))
    try:
        return importlib.import_module("gen.catalogue_fields")
    finally:
        sys.path.remove(str(DOCS))


def _rows(table: str) -> dict[str, list[str]]:
    rows = [line.strip("|").split(" | ") for line in table.split("\n") if line.startswith("| `")]
    return {cells[0].strip(" `"): [c.strip() for c in cells[1:]] for cells in rows}


def test_the_docs_table_lists_every_field_as_declared(docs_tables: types.ModuleType) -> None:
    rows = _rows(docs_tables.fields_table(Point, PointData, POINT_ATTRIBUTES))
    assert list(rows) == _names(Point)
    shown = {InJson.ALWAYS: "yes", InJson.IF_SET: "when set", InJson.NEVER: "no"}
    for f in dataclasses.fields(Point):
        assert rows[f.name][2] == shown[json_rule(f)], f.name
        assert (rows[f.name][3] == "yes") == (f.name in POINT_ATTRIBUTES), f.name
    for name, how in derived_fields(Point).items():
        assert rows[name][-1] == how


def test_a_new_field_reaches_the_docs_table(docs_tables: types.ModuleType) -> None:
    rows = _rows(docs_tables.fields_table(_PointPlus, _PointDataPlus, (*POINT_ATTRIBUTES, "depth")))
    assert rows["depth"] == ["text", '`"0.3 cun"`', "yes", "yes", "How deep the needle goes."]


def test_the_docs_table_refuses_a_field_without_a_description(docs_tables: types.ModuleType) -> None:
    class Undescribed(PointData):
        depth: str = "0.3 cun"

    with pytest.raises(ValueError, match=r"Undescribed\.depth has no description"):
        docs_tables.fields_table(_PointPlus, Undescribed, POINT_ATTRIBUTES)
