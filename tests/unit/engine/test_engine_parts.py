"""The engine's parts: the registries of query sources and selection kinds, the tender
points' fast path against the plain ``tender_points`` kind, and the size of each part."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acupoints import Case, Engine
from acupoints.engine.query import SOURCES
from acupoints.engine.selection import SELECTION_KINDS, Finder, kind_of
from acupoints.engine.tender import TenderPoints
from acupoints.rulebook.conditions import CaseView
from acupoints.rulebook.schema import Query, Select
from data.strategies import tender_point_names

ENGINE = Engine.default()
FINDER = Finder(ENGINE.rulebook, ENGINE.catalog)
RULE = next(iter(ENGINE.rulebook))
ENGINE_DIR = Path(importlib.import_module("acupoints.engine").__file__ or "").parent


@pytest.mark.parametrize(
    ("fields", "source"),
    [
        ({"levels": ("L4",), "region": ("lower_back",)}, "levels"),
        ({"region": ("forearm",), "meridians": ("TE",)}, "region"),
        ({"neighbours_of": ("LI4",), "meridians": ("LI",)}, "neighbours_of"),
        ({"meridians": ("LU",)}, "meridians"),
    ],
)
def test_the_first_source_that_applies_gathers_the_points(fields: dict[str, Any], source: str) -> None:
    q = Query.model_validate(fields)
    bound = FINDER.query.filters(q, None)
    first = next(s for s in SOURCES if s.applies(q, bound))
    assert first.name == source
    found, _ = FINDER.query.run(q, RULE, None, None)
    assert found == tuple(dict.fromkeys(first.gather(FINDER.query, q, FINDER.query.filters(q, None), None)))


def test_a_source_of_whole_channels_gives_them_in_order() -> None:
    found, _ = FINDER.query.run(Query(meridians=("LU", "LI")), RULE, None, None)
    assert found == tuple(ENGINE.catalog.graph.channel("LU") + ENGINE.catalog.graph.channel("LI"))


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"points": ("LI4",)}, "points"),
        ({"set": "any"}, "set"),
        ({"query": {"meridians": ("LU",)}}, "query"),
        ({"tender_points": True}, "tender_points"),
    ],
)
def test_a_selection_has_the_kind_of_the_field_it_gives(fields: dict[str, Any], kind: str) -> None:
    found = kind_of(Select.model_validate({**fields, "role": "local"}))
    assert found is SELECTION_KINDS[kind]
    assert found.per_case == (kind == "tender_points")


@given(st.lists(tender_point_names, min_size=1, max_size=6))
def test_remembered_tender_points_are_what_the_tender_kind_finds(written: list[str]) -> None:
    # The per-case path reads each written form once per engine (TenderPoints); the plain
    # meaning is the tender_points kind, which resolves every one afresh.
    case = Case.from_dict(
        {"complaints": [{"region": "neck", "sensations": ["pain"]}], "tender_points": written}
    )
    tender = TenderPoints(ENGINE.catalog, FINDER.order, FINDER.midline)
    tender.check(case)
    sel = Select(tender_points=True, role="local")
    for _ in range(2):  # the second time from what it remembers
        entries = tender.entries(case)
        found, how = SELECTION_KINDS["tender_points"].find(FINDER, RULE, sel, None, CaseView.of(case))
        assert entries == FINDER.entries((code, ()) for code in found)
        assert how == "the case's tender points"


MODULES = sorted(ENGINE_DIR.glob("*.py"))


def test_the_engine_has_its_parts() -> None:
    assert {p.stem for p in MODULES} >= {"engine", "query", "among", "selection", "exclusion", "ranking"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_each_part_is_small_and_states_its_names(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    assert len(text.splitlines()) <= 600, path.name
    assert ast.get_docstring(tree), path.name
    names = [t.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
             for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
             if isinstance(t, ast.Name)]  # fmt: skip
    assert "__all__" in names, path.name
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            assert (node.end_lineno or 0) - node.lineno + 1 <= 400, f"{path.name}: {node.name}"
