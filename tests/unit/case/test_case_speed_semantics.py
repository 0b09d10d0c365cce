"""The fast case validation keeps the messages and values of the slow one.

Vocabulary words are checked by pydantic-core and their errors translated afterwards;
tender points that resolved once are remembered. These tests pin what must not change:
the message of every unknown word, the values accepted, and the tender-point checks.
"""

from __future__ import annotations

import copy
import enum
from typing import Any

import pytest

from acupoints import Case, CaseError, Catalog, Engine, load_rulebook
from acupoints.base.vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    NERVES,
    RED_FLAGS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TENDERNESS,
    describe_choice,
)

BASE: dict[str, Any] = {
    "complaints": [{"region": "forearm", "aspect": "dorsal", "side": "right", "sensations": ["numbness"]}],
    "cause": {"kind": "nerve_root_compression", "levels": ["C6"], "nerve": "median"},
    "tenderness": "mild",
    "flags": ["pregnancy", {"flag": "lymphedema", "region": "hand", "limb": "arm", "side": "left"}],
    "red_flags": ["fever"],
}

#: Where each kind of word sits in BASE, with its allowed words and what the message calls it.
PLACES: list[tuple[tuple[Any, ...], tuple[str, ...], str]] = [
    (("complaints", 0, "region"), REGIONS, "region"),
    (("complaints", 0, "aspect"), ASPECTS, "aspect"),
    (("complaints", 0, "side"), SIDES, "side"),
    (("complaints", 0, "sensations", 0), SENSATIONS, "sensation"),
    (("cause", "kind"), CAUSE_KINDS, "cause kind"),
    (("cause", "levels", 0), LEVELS, "spinal level"),
    (("cause", "nerve"), NERVES, "nerve"),
    (("tenderness",), TENDERNESS, "tenderness"),
    (("flags", 0), FLAGS, "flag"),
    (("flags", 1, "flag"), FLAGS, "flag"),
    (("flags", 1, "region"), REGIONS, "region"),
    (("flags", 1, "limb"), ("arm", "leg"), "limb"),
    (("flags", 1, "side"), SIDES, "side"),
    (("red_flags", 0), RED_FLAGS, "red flag"),
]


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    cur: Any = data
    for part in path[:-1]:
        cur = cur[part]
    cur[path[-1]] = value
    return data


def _pretty(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@pytest.mark.parametrize(("path", "allowed", "what"), PLACES, ids=[_pretty(p[0]) for p in PLACES])
@pytest.mark.parametrize("word", ["zzzz", "Left", "", "o'neil"])
def test_an_unknown_word_names_the_closest_and_the_allowed(
    path: tuple[Any, ...], allowed: tuple[str, ...], what: str, word: str
) -> None:
    with pytest.raises(CaseError) as exc:
        Case.from_dict(_with(path, word))
    where = _pretty(path + ("flag",) if path == ("flags", 0) else path)
    assert [(p.code, p.message) for p in exc.value.problems] == [
        ("unknown-word", f"{where}: {describe_choice(word, allowed, what)}")
    ]


@pytest.mark.parametrize("path", [p[0] for p in PLACES[:3]], ids=["region", "aspect", "side"])
def test_a_word_that_is_not_text_is_a_type_error(path: tuple[Any, ...]) -> None:
    with pytest.raises(CaseError) as exc:
        Case.from_dict(_with(path, 5))
    assert [(p.code, p.message) for p in exc.value.problems] == [
        ("invalid-value", f"{_pretty(path)}: Input should be a valid string")
    ]


class _Word(str, enum.Enum):
    HEAD = "head"


@pytest.mark.parametrize("given", [b"head", _Word.HEAD, "head"])
def test_words_coerce_to_plain_text(given: object) -> None:
    region = Case.from_dict(_with(("complaints", 0, "region"), given)).complaints[0].region
    assert region == "head" and type(region) is str


def test_tender_points_are_kept_as_written_on_every_call() -> None:
    data = _with(("tender_points",), ["LI 4", "Du14", "sj5"])
    for _ in range(3):
        assert Case.from_dict(data).tender_points == ("LI 4", "Du14", "sj5")


def test_a_remembered_point_does_not_hide_an_unknown_one() -> None:
    # Tender points are resolved by the engine against its own catalogue.
    engine = Engine.default()
    engine.suggest(_with(("tender_points",), ["LI4"]))
    with pytest.raises(CaseError) as exc:
        engine.suggest(_with(("tender_points",), ["LI4", "LI44", "Wangu"]))
    messages = [p.message for p in exc.value.problems]
    assert len(messages) == 2
    assert messages[0].startswith("tender_points[1]: unknown tender point 'LI44' (did you mean ")
    assert messages[1].startswith("tender_points[2]: tender point 'Wangu' names more than one point (")


def test_the_case_model_keeps_any_tender_point_and_leaves_it_to_the_engine() -> None:
    assert Case.from_dict(_with(("tender_points",), ["LI44"])).tender_points == ("LI44",)


def test_an_engine_on_another_catalogue_refuses_what_it_cannot_resolve() -> None:
    catalog = Catalog.default()
    few = Catalog(
        [p for p in catalog if p.meridian != "LI"],
        list(catalog.meridians.values()),
        list(catalog.cautions.values()),
    )
    engine = Engine(load_rulebook(None, catalog), few)
    with pytest.raises(CaseError, match="unknown tender point 'LI4'"):
        engine.suggest(_with(("tender_points",), ["LI4"]))


def test_an_empty_list_is_reported_by_name() -> None:
    data = _with(("complaints", 0, "sensations"), [])
    with pytest.raises(CaseError) as exc:
        Case.from_dict(data)
    assert [p.message for p in exc.value.problems] == [
        "complaints[0].sensations: sensations needs at least one entry"
    ]
    with pytest.raises(CaseError) as exc:
        Case.from_dict({"complaints": []})
    assert [p.message for p in exc.value.problems] == ["complaints: complaints needs at least one entry"]
