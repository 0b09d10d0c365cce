"""The linter's ``key-unused`` warning is true: a query key it calls unused changes nothing
the query finds, on any case (hypothesis).

A query takes its candidate points from the first source it gives (levels, region,
neighbours_of, category, its channels), and each source reads only some keys
(:func:`acupoints.rulebook.check.unused_keys`). Here every key the model calls unused is
taken out of generated queries, and the points found on generated cases must not move.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from acupoints import Case, Engine, lint
from acupoints.base.vocab import ASPECTS, LEVELS, MERIDIANS, REGIONS
from acupoints.engine.binding import Binding
from acupoints.engine.selection import Finder
from acupoints.rulebook.conditions import CaseView
from acupoints.rulebook.query_keys import WHY_UNUSED, query_source, unused_keys
from acupoints.rulebook.schema import Query
from data.strategies import cases

ENGINE = Engine.default()
FINDER = Finder(ENGINE.rulebook, ENGINE.catalog)
RULE = ENGINE.rulebook["cervical-compression-named-points"]

_regions = st.lists(st.sampled_from(REGIONS), min_size=1, max_size=2, unique=True).map(tuple)


def _affected_or(fixed: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just("affected"), fixed)


#: Each key of a query with the values a rule may give it (``among`` needs a rule's sets).
KEYS: dict[str, st.SearchStrategy[Any]] = {
    "region": _affected_or(_regions),
    "aspect": _affected_or(
        st.lists(st.sampled_from(ASPECTS), min_size=1, max_size=2, unique=True).map(tuple)
    ),
    "surface": st.sampled_from(["yin", "yang"]),
    "meridians": st.lists(st.sampled_from(MERIDIANS), min_size=1, max_size=2, unique=True).map(tuple),
    "through": _affected_or(_regions),
    "digits": st.just("affected"),
    "channels": st.just("root_territory"),
    "levels": _affected_or(
        st.lists(st.sampled_from(LEVELS), min_size=1, max_size=2, unique=True).map(tuple)
    ).map(lambda v: "compressed" if v == "affected" else v),
    "above": st.integers(0, 2),
    "below": st.integers(0, 2),
    "groups": st.just(("EX-B2",)),
    "neighbours_of": st.sampled_from([("LI4",), ("ST36", "GB34"), ("BL40",)]),
    "distance": st.integers(1, 3),
    "limit": st.integers(1, 6),
    "category": st.sampled_from([("shu_stream",), ("yuan_source", "luo_connecting"), ("he_sea",)]),
    "outside": _affected_or(_regions),
    "within": st.integers(0, 3),
    "link": st.sampled_from(["partner", "same_name"]),
    "rank": st.just("importance"),
    "couple": st.just(True),
}


@st.composite
def queries(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(sorted(KEYS)), min_size=1, max_size=6, unique=True))
    return {k: draw(KEYS[k]) for k in chosen}


def _valid(fields: dict[str, Any]) -> Query | None:
    try:
        return Query.model_validate(fields)
    except ValidationError:
        return None


def _found(q: Query, view: CaseView) -> tuple[str, ...]:
    return FINDER.query.run(q, RULE, Binding.of(view, frozenset()), view)[0]


@settings(max_examples=300, deadline=None)
@given(queries(), cases(red_flags=False, max_complaints=2))
def test_a_key_called_unused_changes_nothing_found(fields: dict[str, Any], case: dict[str, Any]) -> None:
    q = _valid(fields)
    assume(q is not None)
    assert q is not None
    view = CaseView.of(Case.from_dict(case))
    found = _found(q, view)
    unused = unused_keys(q)
    for key in unused:
        assert key in WHY_UNUSED, key  # the warning says why
        without = _valid({k: v for k, v in fields.items() if k != key})
        if without is not None:
            assert _found(without, view) == found, (key, query_source(q))
    rest = _valid({k: v for k, v in fields.items() if k not in unused})
    if unused and rest is not None:
        assert _found(rest, view) == found


@pytest.mark.parametrize(
    ("fields", "unused"),
    [
        ({"region": ("leg",), "neighbours_of": ("ST36",), "distance": 2}, ("neighbours_of", "distance")),
        ({"neighbours_of": ("ST36",), "meridians": ("GB",), "surface": "yang"}, ("surface", "meridians")),
        ({"levels": ("L4",), "surface": "yang", "groups": ("EX-B2",)}, ("surface",)),
        ({"through": ("leg",), "aspect": ("lateral",)}, ("aspect",)),
        ({"through": "affected", "aspect": "affected"}, ()),
        ({"levels": "compressed", "through": "affected", "aspect": "affected"}, ()),
        ({"region": "affected", "aspect": "affected", "surface": "yang", "groups": ("EX-B2",)}, ()),
        ({"through": ("leg",), "within": 1, "neighbours_of": ("ST36",)}, ()),
        ({"neighbours_of": ("ST36",), "distance": 3, "through": ("foot",), "rank": "importance"}, ()),
    ],
)
def test_which_keys_each_source_reads(fields: dict[str, Any], unused: tuple[str, ...]) -> None:
    assert unused_keys(Query.model_validate(fields)) == unused


def test_rank_counts_from_the_through_regions_whatever_the_source() -> None:
    # So `through` is read beside neighbours_of when the query ranks: the order moves.
    view = CaseView.of(Case.from_dict({"complaints": [{"region": "foot", "sensations": ["pain"]}]}))
    ranked = {"neighbours_of": ("ST36",), "distance": 3, "rank": "importance"}
    near_foot = _found(Query.model_validate({**ranked, "through": ("foot",)}), view)
    plain = _found(Query.model_validate(ranked), view)
    assert sorted(near_foot) == sorted(plain) and near_foot != plain


def test_the_linter_warns_at_each_unused_key(tmp_path: Path) -> None:
    rule = {"id": "r", "principles": ["P11"], "source": "S", "summary": "Keys that filter nothing",
            "when": {"always": True},
            "select": [{"query": {"region": ["leg"], "neighbours_of": ["ST36"]}, "role": "distal"}]}  # fmt: skip
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump({"pack": "mine", "sources": {"S": "a source"}, "rules": [rule]}))
    problems = lint([path])
    assert [(p.code, p.severity) for p in problems] == [("key-unused", "warning")]
    assert (
        "'neighbours_of' changes nothing here: this query takes its points by region" in problems[0].message
    )
