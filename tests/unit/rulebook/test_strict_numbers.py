"""Every number of the rule and case formats refuses ``true`` and ``false``.

Pydantic reads ``true`` as 1 wherever a model wants a number, so ``priority: true``
would outrank other rules. Each numeric field must carry ``NOT_BOOL``; this walks every
field of a rule file (every condition kind included) and of a case, so that a field
added later without it fails here, and then checks the refusal and its hint.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from acupoints import Case, CaseError
from acupoints.io.scalars import NOT_BOOL
from acupoints.rulebook.book import lint
from acupoints.rulebook.schema import RuleFile


def _unguarded(tp: Any, where: str, meta: tuple[Any, ...], seen: set[type]) -> list[str]:
    """The places under ``tp`` where a number is wanted without NOT_BOOL."""
    if tp in (int, float):
        return [] if NOT_BOOL in meta else [where]
    origin = get_origin(tp)
    if origin is Annotated:
        base, *extra = get_args(tp)
        return _unguarded(base, where, (*meta, *extra), seen)
    if origin is Literal:
        return []
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in seen:
            return []
        seen.add(tp)
        found = []
        for name, field in tp.model_fields.items():
            found += _unguarded(field.annotation, f"{tp.__name__}.{name}", tuple(field.metadata), seen)
        return found
    if origin in (Union, types.UnionType) and bool in get_args(tp):
        return []  # a value that may be true or false on purpose (a plan item's value)
    if origin in (Union, types.UnionType, tuple, list, dict, frozenset):
        # Constraints written on an optional field (`Annotated[int, ...] | None`) stay on
        # the int; those on the field itself apply to each of its types.
        return [x for arg in get_args(tp) if arg is not Ellipsis for x in _unguarded(arg, where, meta, seen)]
    return []


def test_the_walk_finds_a_bare_number() -> None:
    class Bare(BaseModel):
        count: int = 0
        many: tuple[Annotated[int, NOT_BOOL], ...] = ()
        maybe: Annotated[float, NOT_BOOL] | None = None

    assert _unguarded(Bare, "", (), set()) == ["Bare.count"]


@pytest.mark.parametrize("model", [RuleFile, Case], ids=lambda m: m.__name__)
def test_every_number_of_the_format_refuses_true_and_false(model: type[BaseModel]) -> None:
    assert _unguarded(model, "", (), set()) == []


RULE = """\
pack: strict
sources: {{D3: "Understanding and Treating Peripheral Neuropathy with Acupuncture"}}
rules:
  - id: strict-forearm
    principles: [P5]
    source: D3
    summary: "Forearm numbness: Yang-surface points"
    {field}
    when: {when}
    select:
      - query: {{region: [forearm], surface: yang}}
        role: local
"""


@pytest.mark.parametrize(
    ("field", "when", "line"),
    [
        ("priority: true", "{complaint: {region: [forearm]}}", 8),
        ("priority: 1", "{both_sides: {min_severity: false}}", 9),
        ("priority: 1", "{age: {at_least: true}}", 9),
    ],
)
def test_a_boolean_number_is_refused_with_a_hint(field: str, when: str, line: int, tmp_path: Path) -> None:
    path = tmp_path / "strict.yaml"
    path.write_text(RULE.format(field=field, when=when), encoding="utf-8")
    problems = [p for p in lint([path]) if p.severity == "error"]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.code, problem.line) == ("invalid-value", line)
    assert "true or false is not a number" in problem.message
    assert "write the number itself" in problem.message


def test_a_case_refuses_true_as_a_severity() -> None:
    with pytest.raises(CaseError) as info:
        Case.from_text("complaints:\n  - {region: foot, sensations: [pain], severity: true}\n", "case.yaml")
    assert "true or false is not a number" in str(info.value)


@pytest.mark.parametrize(
    "value", ["", "value: null", "value: true", "value: 12.5", "value: '12'", "value: 0", "value: 61"]
)
@pytest.mark.parametrize("key", ["max_points", "max_points_cap"])
def test_a_plan_number_of_points_is_a_whole_number_in_range(key: str, value: str, tmp_path: Path) -> None:
    # The engine cuts the points at it: anything but a count a case could ask for is an
    # error at its line, never a failure when a case fires the rule.
    item = f"plan:\n      - key: {key}\n        {value}\n        text: 'At most some points.'"
    path = tmp_path / "strict.yaml"
    path.write_text(RULE.format(field=item, when="{always: true}"), encoding="utf-8")
    problems = [p for p in lint([path]) if p.severity == "error"]
    assert len(problems) == 1, problems
    assert (problems[0].code, problems[0].line) == ("invalid-value", 9)
    assert f"{key} is a number of points: give a whole number from 1 to 60" in problems[0].message


@pytest.mark.parametrize("key", ["max_points", "max_points_cap"])
def test_a_plan_number_of_points_in_range_loads(key: str, tmp_path: Path) -> None:
    item = f"plan:\n      - key: {key}\n        value: 8\n        text: 'At most eight points.'"
    path = tmp_path / "strict.yaml"
    path.write_text(RULE.format(field=item, when="{always: true}"), encoding="utf-8")
    assert [p for p in lint([path]) if p.severity == "error"] == []
