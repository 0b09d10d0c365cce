"""The registry of condition kinds drives every reading of a condition.

- The condition model has one field per registered kind, in the registry's order, and
  every kind implements every part (schema, meaning, fast form, description, index).
- The keys of a condition run, and are described, in the order explanations and speed
  depend on; pinned here for a condition that uses every shipped kind.
- A kind added in a test, with no other edit, is validated, interpreted, compiled (and
  the two agree), described, traced, checked and indexed, on its own and nested.
- Outside the kinds, the modules that read conditions name no kind.
"""

from __future__ import annotations

import inspect
import pickle
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from acupoints import Case
from acupoints.base.vocab import LEVELS
from acupoints.rulebook import check, compiled, conditions, language
from acupoints.rulebook.kinds.base import (
    BRANCHES,
    CASE_WIDE,
    LEADING,
    NESTED,
    PER_COMPLAINT,
    TRAILING,
    WORD_LIST,
    ConditionKind,
    ConditionModel,
    Emitted,
    Source,
)
from acupoints.rulebook.language import ConditionLanguage
from acupoints.rulebook.registry import CONDITIONS, KINDS, Condition
from acupoints.rulebook.schema import Rule, RuleFile
from acupoints.rulebook.view import NONE, CaseView, Feature, Test
from data.strategies import cases

#: A condition that uses every shipped kind once.
EVERY_KIND: dict[str, Any] = {
    "all": [{"always": True}, {"cause": ["diabetes"]}],
    "any": [{"flag": ["pregnancy"]}, {"complaint": {"region": ["hand"], "digits": [1, 2]}}],
    "not": {"red_flag": ["fever"]},
    "always": True,
    "complaint": {"region": ["forearm"], "side": "left", "min_severity": 3},
    "cause": ["diabetes"],
    "nerve": ["median"],
    "levels": ["C6"],
    "level_between": ["C5", "T1"],
    "tenderness": ["mild"],
    "has_tender_points": True,
    "flag": ["pacemaker"],
    "red_flag": ["fever"],
    "min_complaints": 1,
    "regions_count": 1,
}


# -- the registry and the model ---------------------------------------------------------------
def test_the_condition_model_has_one_field_per_kind_in_registry_order() -> None:
    assert Condition is CONDITIONS.model
    assert list(Condition.model_fields) == [kind.attribute or key for key, kind in KINDS.items()]
    schema = RuleFile.model_json_schema(by_alias=True)["$defs"]["Condition"]
    assert list(schema["properties"]) == list(KINDS)
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("key", list(KINDS))
def test_every_kind_implements_every_part(key: str) -> None:
    kind = KINDS[key]
    assert kind.key == key
    assert not inspect.isabstract(kind), f"{kind.__name__} leaves out {sorted(kind.__abstractmethods__)}"
    assert kind.schema is not None
    assert kind.cost in (CASE_WIDE, PER_COMPLAINT, NESTED, BRANCHES)
    assert kind.phrase in (LEADING, WORD_LIST, TRAILING)
    # The part the registry built is the kind itself, bound to the shipped language.
    made = CONDITIONS.kinds[key]
    assert type(made) is kind and made.language is CONDITIONS


def test_a_registry_key_must_be_the_kinds_own() -> None:
    with pytest.raises(ValueError, match="has the key 'regions_count', not 'regions'"):
        ConditionLanguage({"regions": KINDS["regions_count"]})


def test_a_kind_without_a_fast_form_is_refused_when_the_language_is_built() -> None:
    class Halfway(ConditionKind[bool]):
        key = "halfway"
        schema = bool

        def interpret(self, value: bool) -> Test:
            return lambda v: (value, NONE)

        def describe(self, value: bool) -> str:
            return "halfway"

    with pytest.raises(TypeError, match="emit"):
        ConditionLanguage({**KINDS, "halfway": Halfway})


# -- the orders explanations and speed depend on ------------------------------------------------
def test_cheap_tests_of_the_whole_case_run_first_then_complaints_then_nested_ones() -> None:
    cond = Condition.model_validate(EVERY_KIND)
    assert [kind.key for kind, _ in CONDITIONS.parts(cond)] == [
        "always", "cause", "nerve", "levels", "level_between", "tenderness", "has_tender_points",
        "flag", "red_flag", "min_complaints", "regions_count", "complaint", "not", "all", "any",
    ]  # fmt: skip


def test_the_description_keeps_the_order_explanations_have_shown() -> None:
    cond = Condition.model_validate(EVERY_KIND)
    assert conditions.describe(cond) == (
        "all(always; cause in [diabetes]) and any(flag in [pregnancy]; complaint(region in [hand], "
        "digits in [1, 2])) and not(red_flag in [fever]) and always and complaint(region in "
        "[forearm], side=left, min_severity=3) and cause in [diabetes] and nerve in [median] and "
        "levels in [C6] and tenderness in [mild] and flag in [pacemaker] and red_flag in [fever] "
        "and level between C5 and T1 and has tender points is True and at least 1 complaints and "
        "at least 1 regions"
    )


def test_the_checks_of_every_kind_report_where_a_condition_can_never_hold() -> None:
    cond = Condition.model_validate(
        {
            "cause": ["trauma"],
            "all": [{"cause": ["diabetes"]}, {"not": {"always": True}}],
            "any": [{"level_between": ["L5", "C1"]}],
            "complaint": {"region": ["forearm"], "limb": "leg", "digits": [1]},
        }
    )
    assert CONDITIONS.never_true(cond) == [
        (("all",), "the causes required here cannot all hold at once"),
        (("complaint",), "no region in [forearm] is on the leg: this condition can never be true"),
        (("complaint",), "digits are given only for hands, fingers, feet and toes"),
        (("all", 1, "not"), "'not: {always: true}' can never be true"),
        (("any", 0, "level_between"), "L5 lies below C1: the range is empty"),
    ]


# -- a kind added without any other edit ------------------------------------------------------------
def _spine_levels(region: str) -> frozenset[str]:
    return frozenset(lv for lv in LEVELS if lv[0] == region[0].upper())


class SpineRegion(ConditionKind[str]):
    """``spine_region: lumbar``: the case names a level of that part of the spine."""

    key = "spine_region"
    schema = Literal["cervical", "thoracic", "lumbar", "sacral"]

    def interpret(self, value: str) -> Test:
        levels = _spine_levels(value)
        return lambda v: (not levels.isdisjoint(v.levels), NONE)

    def emit(self, value: str, src: Source, indent: int) -> Emitted:
        return f"(not {src.const(_spine_levels(value))}.isdisjoint(v.levels))", None

    def describe(self, value: str) -> str:
        return f"a {value} level"

    def options(self, value: str) -> list[frozenset[Feature]]:
        return [frozenset(("level", lv) for lv in _spine_levels(value))]

    def decided(self, value: str) -> bool:
        return True


EXTENDED = ConditionLanguage({**KINDS, "spine_region": SpineRegion})
SPINE_REGIONS = ("cervical", "thoracic", "lumbar", "sacral")


def _shapes(region: str) -> list[dict[str, Any]]:
    """The new kind alone, beside shipped kinds, and nested in each combinator."""
    return [
        {"spine_region": region},
        {"spine_region": region, "complaint": {"sensation": ["pain", "numbness"]}},
        {"any": [{"spine_region": region}, {"flag": ["pregnancy"]}]},
        {"not": {"spine_region": region}},
        {"all": [{"spine_region": region}, {"cause": ["nerve_root_compression"]}], "min_complaints": 1},
    ]


def test_a_new_kind_is_a_field_of_its_languages_model_only() -> None:
    assert list(EXTENDED.model.model_fields)[-1] == "spine_region"
    assert "spine_region" not in Condition.model_fields
    EXTENDED.model.model_validate({"all": [{"spine_region": "sacral"}]})
    with pytest.raises(ValidationError, match="spine_region"):
        EXTENDED.model.model_validate({"spine_region": "coccyx"})
    with pytest.raises(ValidationError, match="spine_region"):
        Condition.model_validate({"spine_region": "sacral"})


@given(st.sampled_from(SPINE_REGIONS), cases())
def test_a_new_kind_means_the_same_interpreted_and_compiled(region: str, case: dict[str, Any]) -> None:
    view = CaseView.of(Case.from_dict(case))
    for shape in _shapes(region):
        cond = EXTENDED.model.model_validate(shape)
        assert EXTENDED.compile(cond)(view) == EXTENDED.interpret(cond)(view), shape


@given(st.sampled_from(SPINE_REGIONS), cases())
def test_a_new_kind_the_index_settles_holds_exactly_when_its_needs_are_met(
    region: str, case: dict[str, Any]
) -> None:
    view = CaseView.of(Case.from_dict(case))
    cond = EXTENDED.model.model_validate({"any": [{"spine_region": region}, {"flag": ["pregnancy"]}]})
    assert EXTENDED.decides(cond)
    met = all(not need.isdisjoint(view.features) for need in EXTENDED.options(cond))
    assert EXTENDED.interpret(cond)(view) == (met, NONE)


def test_a_new_kind_is_described_traced_and_indexed() -> None:
    cond = EXTENDED.model.model_validate(_shapes("sacral")[4])
    assert EXTENDED.describe(cond) == (
        "all(a sacral level; cause in [nerve_root_compression]) and at least 1 complaints"
    )
    view = CaseView.of(
        Case.from_dict(
            {
                "complaints": [{"region": "leg", "sensations": ["pain"]}],
                "cause": {"kind": "nerve_root_compression", "levels": ["S1"]},
            }
        )
    )
    assert EXTENDED.trace(cond, view) == [
        "TRUE  all(a sacral level; cause in [nerve_root_compression]) and at least 1 complaints",
        "  TRUE  a sacral level",
        "  TRUE  cause in [nerve_root_compression]",
    ]
    assert EXTENDED.options(cond) == [
        frozenset({("cause", "nerve_root_compression")}),
        frozenset(("level", lv) for lv in ("S1", "S2", "S3", "S4", "S5")),
    ]
    # The count is no feature, so the index alone cannot settle the whole condition.
    assert not EXTENDED.decides(cond)
    assert EXTENDED.decides(EXTENDED.model.model_validate({"spine_region": "sacral"}))
    assert EXTENDED.never_true(cond) == []


# -- nothing else names a kind -----------------------------------------------------------------------
@pytest.mark.parametrize("module", [language, conditions, check, compiled])
def test_the_modules_that_read_conditions_name_no_kind(module: Any) -> None:
    text = Path(module.__file__).read_text(encoding="utf-8")
    named = sorted(key for key in KINDS if f'"{key}"' in text or f"'{key}'" in text)
    assert not named, f"{module.__name__} names the kinds {named}: ask the kinds instead"


def test_a_rules_condition_is_the_model_the_registry_built_and_pickles() -> None:
    rule = Rule.model_validate(
        {"id": "r", "source": "s", "summary": "a summary", "when": EVERY_KIND, "warn": ["a warning"]}
    )
    assert type(rule.when) is CONDITIONS.model and isinstance(rule.when, ConditionModel)
    assert pickle.loads(pickle.dumps(rule)) == rule
