"""The case format's limits: named in the error, checked before validation and "did you mean"."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import pytest

import acupoints
from acupoints import Case, CaseError, Engine
from acupoints.case import limits
from acupoints.case.read import case_lines
from acupoints.io import problems

FOOT = {"region": "foot", "sensations": ["pain"]}


def _with(**fields: Any) -> dict[str, Any]:
    return {"complaints": [FOOT], **fields}


OVER = [
    ("complaints", {"complaints": [FOOT] * 65}, "MAX_COMPLAINTS", "too-many"),
    ("tender_points", _with(tender_points=["LI4"] * 21), "MAX_TENDER_POINTS", "too-many"),
    ("flags", _with(flags=["pacemaker"] * 65), "MAX_FLAGS", "too-many"),
    ("red_flags", _with(red_flags=["fever"] * 33), "MAX_RED_FLAGS", "too-many"),
    ("complaints[0].sensations", {"complaints": [{"region": "foot", "sensations": ["pain"] * 33}]},
     "MAX_SENSATIONS", "too-many"),
    ("complaints[0].digits", {"complaints": [{"region": "hand", "sensations": ["pain"], "digits": [1] * 17}]},
     "MAX_DIGITS", "too-many"),
    ("cause.levels", _with(cause={"kind": "nerve_root_compression", "levels": ["C6"] * 33}), "MAX_LEVELS", "too-many"),
    ("id", _with(id="x" * 257), "MAX_ID_CHARS", "too-long"),
    ("notes", _with(notes="x" * 10_001), "MAX_NOTES_CHARS", "too-long"),
    ("tender_points[1]", _with(tender_points=["LI4", "x" * 65]), "MAX_TENDER_POINT_CHARS", "too-long"),
]  # fmt: skip


@pytest.mark.parametrize(("field", "data", "name", "code"), OVER, ids=[o[2] for o in OVER])
def test_each_limit_is_named_in_its_error_everywhere(
    field: str, data: dict[str, Any], name: str, code: str
) -> None:
    limit = getattr(limits, name)
    line = json.dumps(data)
    for call in (
        lambda: Case.from_dict(data),
        lambda: Case.from_text(line, "c.json"),
        lambda: Case.from_text(json.dumps(data, indent=2), "c.yaml"),  # read as JSON, placed on its lines
        lambda: Case.from_json_line(line, "c.jsonl", 9),
        lambda: acupoints.suggest(data),
    ):
        with pytest.raises(CaseError) as info:
            call()
        (p,) = info.value.problems
        assert p.code == code
        assert p.message.startswith(f"{field}: ") and p.message.endswith(f"; the limit is {limit} ({name})")


def test_a_limit_is_placed_at_its_field() -> None:
    text = "complaints:\n  - region: foot\n    sensations: [pain]\nnotes: " + "x" * 10_001 + "\n"
    with pytest.raises(CaseError) as info:
        Case.from_text(text, "c.yaml")
    assert [(p.line, p.column) for p in info.value.problems] == [(4, 1)]


def test_at_the_limits_a_case_is_valid() -> None:
    data = {
        "id": "x" * limits.MAX_ID_CHARS,
        "complaints": [
            {
                "region": "hand",
                "sensations": ["pain"] * limits.MAX_SENSATIONS,
                "digits": [1] * limits.MAX_DIGITS,
            }
        ]
        * limits.MAX_COMPLAINTS,
        "tender_points": ["LI4"] * limits.MAX_TENDER_POINTS,
        "flags": ["pacemaker"] * limits.MAX_FLAGS,
        "cause": {"kind": "nerve_root_compression", "levels": ["C6"] * limits.MAX_LEVELS},
        "notes": "é" * limits.MAX_NOTES_CHARS,
    }
    assert len(Case.from_dict(data).complaints) == limits.MAX_COMPLAINTS
    assert len(Case.from_json_line(json.dumps(data), "c.jsonl", 1).tender_points) == limits.MAX_TENDER_POINTS
    assert Engine.default().suggest(data).status in ("suggested", "refer")


def test_limits_come_before_validation_and_did_you_mean(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object) -> str:
        raise AssertionError("a did-you-mean ran before the limits")

    monkeypatch.setattr(problems, "closest", forbidden)
    monkeypatch.setattr(problems, "describe_choice", forbidden)
    unknown = {"complaints": [{"region": "fot", "sensations": ["pian"]}] * 1000}
    with pytest.raises(CaseError) as info:
        Case.from_dict(unknown)
    assert [p.code for p in info.value.problems] == ["too-many"]


@pytest.mark.parametrize("how", ["from_text", "from_dict", "suggest", "from_json_line", "engine"])
def test_twenty_thousand_unknown_tender_points_fail_well_under_a_second(how: str) -> None:
    data = _with(tender_points=[f"zz{i}" for i in range(20_000)])  # the 160 kB line
    text = json.dumps(data)
    engine = Engine.default()
    call = {
        "from_text": lambda: Case.from_text(text, "c.json"),
        "from_dict": lambda: Case.from_dict(data),
        "suggest": lambda: acupoints.suggest(data),
        "from_json_line": lambda: Case.from_json_line(text, "c.jsonl", 1),
        "engine": lambda: engine.suggest(data),
    }[how]
    start = time.process_time()  # CPU time: a busy machine cannot fail it
    with pytest.raises(CaseError) as info:
        call()
    assert time.process_time() - start < 0.5
    assert [p.code for p in info.value.problems] in (["too-many"], ["too-large"])


def test_a_million_complaints_fail_fast_as_a_dict_and_as_a_line() -> None:
    start = time.process_time()  # CPU time: a busy machine cannot fail it
    with pytest.raises(CaseError) as info:
        Case.from_dict({"complaints": [FOOT] * 1_000_000})
    assert [p.code for p in info.value.problems] == ["too-many"]
    line = b'{"complaints": [' + b'{"region": "foot", "sensations": ["pain"]}, ' * 1_000_000 + b"{}]}\n"
    assert len(line) > 40_000_000  # the 47 MB line
    ((number, raw),) = list(case_lines(io.BytesIO(line)))
    assert len(raw) == limits.MAX_CASE_BYTES + 1  # never held whole
    with pytest.raises(CaseError) as info:
        Case.from_json_line(raw, "c.jsonl", number)
    assert [p.code for p in info.value.problems] == ["too-large"]
    assert time.process_time() - start < 3


def test_a_case_of_too_many_values_is_refused_before_it_is_built() -> None:
    text = "complaints:\n" + "  - {region: foot, sensations: [pain]}\n" * 3000
    start = time.process_time()  # CPU time: a busy machine cannot fail it
    with pytest.raises(CaseError) as info:
        Case.from_text(text, "c.yaml")
    assert time.process_time() - start < 1
    (p,) = info.value.problems
    assert p.code == "too-large" and p.message.endswith(
        f"the limit is {limits.MAX_CASE_VALUES} (MAX_CASE_VALUES)"
    )
