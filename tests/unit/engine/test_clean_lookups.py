"""A point asked for by something that is not text, or a case that is not a mapping: a
clean project error, never a TypeError from deep inside."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from acupoints import AcupointsError, CaseError, Catalog, Engine, UnknownPointError

CASE = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]}
NOT_TEXT: list[Any] = [None, 5, 2.5, b"LI4", ["LI4"], ("LI4",), {"code": "LI4"}]


@pytest.mark.parametrize("query", NOT_TEXT, ids=repr)
def test_catalog_lookup_of_a_non_text_query(query: Any) -> None:
    cat = Catalog.default()
    with pytest.raises(UnknownPointError) as info:
        cat[query]
    assert isinstance(info.value, LookupError) and isinstance(info.value, AcupointsError)
    assert str(info.value) == f"a point is named by a code or a name (text), not {query!r}"
    assert info.value.suggestions == ()
    assert cat.get(query) is None and query not in cat
    assert str(pickle.loads(pickle.dumps(info.value))) == str(info.value)


@pytest.mark.parametrize("query", NOT_TEXT, ids=repr)
def test_explain_a_non_text_point(query: Any) -> None:
    with pytest.raises(UnknownPointError, match="not "):
        Engine.default().explain(CASE, query)


@pytest.mark.parametrize("case", [None, 5, "forearm", ["forearm"]], ids=repr)
def test_explain_a_case_that_is_not_a_mapping(case: Any) -> None:
    with pytest.raises(CaseError) as info:
        Engine.default().explain(case, "TE5")
    assert info.value.problems[0].code == "not-a-mapping"


def test_explain_still_answers_for_text() -> None:
    assert Engine.default().explain(CASE, "TE5").status == "chosen"
    with pytest.raises(UnknownPointError, match="did you mean"):
        Engine.default().explain(CASE, "TE55")
