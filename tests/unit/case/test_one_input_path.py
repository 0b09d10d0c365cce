"""Every way a case comes in reads it the same: a file, a stream, a text, a batch line, a dict."""

from __future__ import annotations

import io
import json
from collections import OrderedDict, UserDict
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

import acupoints
from acupoints import Case, CaseError

GOOD = '{"id": "%s", "complaints": [{"region": "foot", "sensations": ["numbness"]}]%s}'


def _outcome(call: Any) -> Any:
    """A case's dict, or the codes and columns of its problems."""
    try:
        return call().to_dict()
    except CaseError as exc:
        return sorted((p.code, p.column) for p in exc.problems)


def _every_way(raw: bytes, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "case.json"
    path.write_bytes(raw)
    return {
        "text": _outcome(lambda: Case.from_text(raw, "case.json")),
        "file": _outcome(lambda: Case.from_file(path)),
        "stream": _outcome(lambda: Case.from_stream(io.BytesIO(raw), "<stdin>")),
        "line": _outcome(lambda: Case.from_json_line(raw, "cases.jsonl", 7)),
    }


HOSTILE = {
    # The example: a second red_flags used to win in a batch line and hide the first.
    "duplicate-red-flags": GOOD.replace('{"id"', '{"red_flags": ["saddle_anesthesia"], "id"')
    % ("x", ', "red_flags": []'),
    "bom": "\ufeff" + GOOD % ("x", ""),
    "surrogate-pair-escape": GOOD % ("\\ud83d\\ude00", ""),
    "lone-surrogate-escape": GOOD % ("\\ud83d", ""),
    "nan": GOOD % ("x", ', "max_points": NaN'),
    "long-integer": GOOD % ("x", ', "max_points": ' + "9" * 5000),
    "huge-float": GOOD % ("x", ', "max_points": 1e400'),
    "deep": GOOD % ("x", ', "notes": ' + "[" * 50_000 + "]" * 50_000),
    "bare-cr": (GOOD % ("x", "")).replace(", ", ",\r"),
    "true-as-a-number": GOOD % ("x", ', "max_points": true'),
    "unknown-word": (GOOD % ("x", "")).replace("numbness", "numbnes"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_same_text_has_the_same_outcome_everywhere(name: str, tmp_path: Path) -> None:
    outcomes = _every_way(HOSTILE[name].encode("utf-8"), tmp_path)
    assert len({json.dumps(o, sort_keys=True) for o in outcomes.values()}) == 1, outcomes


def test_what_the_hostile_lines_come_to() -> None:
    def codes(name: str) -> Any:
        return _outcome(lambda: Case.from_json_line(HOSTILE[name], "cases.jsonl", 1))

    assert codes("duplicate-red-flags") == [("duplicate-key", 113)]
    assert codes("bom")["id"] == "x" and codes("bare-cr")["id"] == "x"
    assert codes("surrogate-pair-escape")["id"] == "\U0001f600"
    assert [c for c, _ in codes("lone-surrogate-escape")] == ["encoding"]
    assert [c for c, _ in codes("nan")] == ["bad-json"]
    assert [c for c, _ in codes("long-integer")] == ["too-long"]
    assert [c for c, _ in codes("deep")] == ["too-deep"]
    assert [c for c, _ in codes("true-as-a-number")] == ["invalid-value"]


def test_a_bad_line_is_placed_at_its_own_line_number() -> None:
    with pytest.raises(CaseError) as info:
        Case.from_json_line(HOSTILE["unknown-word"], "cases.jsonl", 4012)
    (p,) = info.value.problems
    assert str(p).startswith("cases.jsonl:4012:62: error[unknown-word] complaints[0].sensations[0]")
    assert "did you mean 'numbness'" in p.message


@pytest.mark.parametrize("raw", [b"\xff", b'{"id": "caf\xe9"}', b"{}\xc3"])
def test_non_utf8_is_a_problem_not_a_traceback(raw: bytes, tmp_path: Path) -> None:
    for outcome in _every_way(raw, tmp_path).values():
        assert [code for code, _ in outcome] == ["encoding"]


def test_a_line_must_be_json_but_a_file_may_be_yaml() -> None:
    yaml_flow = "{complaints: [{region: foot, sensations: [pain]}]}"
    assert Case.from_text(yaml_flow).regions == {"foot"}
    with pytest.raises(CaseError) as info:
        Case.from_json_line(yaml_flow, "cases.jsonl", 2)
    assert [(p.line, p.code) for p in info.value.problems] == [(2, "bad-json")]


# -- mappings of every kind -------------------------------------------------------------

PLAIN = {
    "complaints": [{"region": "foot", "sensations": ["numbness"], "side": "left"}],
    "flags": ["pacemaker"],
    "tender_points": ["SP6"],
}


@pytest.mark.parametrize(
    "make",
    [
        MappingProxyType,
        UserDict,
        OrderedDict,
        lambda d: MappingProxyType(
            {**d, "complaints": (MappingProxyType(d["complaints"][0]),), "flags": ("pacemaker",)}
        ),
    ],
    ids=["mappingproxy", "userdict", "ordereddict", "nested-proxies-and-tuples"],
)
def test_any_mapping_is_a_case(make: Any) -> None:
    given = make(PLAIN)
    assert Case.from_dict(given) == Case.from_dict(PLAIN)
    assert acupoints.suggest(given).to_dict() == acupoints.suggest(PLAIN).to_dict()


def test_a_bad_mapping_gets_the_real_problem_not_null() -> None:
    bad = MappingProxyType({"complaints": [MappingProxyType({"region": "fot", "sensations": ["pain"]})]})
    with pytest.raises(CaseError) as info:
        Case.from_dict(bad)
    (p,) = info.value.problems
    assert p.message.startswith("complaints[0].region: unknown region 'fot' (did you mean 'foot'?)")


@pytest.mark.parametrize(
    ("data", "kind"), [({"a"}, "a set"), ((1, 2), "a list"), (b"x", "text"), (None, "null")]
)
def test_what_is_not_a_mapping_is_named(data: object, kind: str) -> None:
    with pytest.raises(CaseError) as info:
        Case.from_dict(data)
    assert info.value.problems[0].message == f"a case is a mapping of fields, not {kind}"


def test_a_mapping_that_holds_itself_is_too_deep_not_a_crash() -> None:
    looped: dict[str, Any] = {"complaints": []}
    looped["complaints"].append(looped)
    with pytest.raises(CaseError) as info:
        Case.from_dict(MappingProxyType(looped))
    assert [p.code for p in info.value.problems] == ["too-deep"]


def test_a_lone_surrogate_in_a_dict_never_reaches_the_output() -> None:
    with pytest.raises(CaseError) as info:
        acupoints.suggest({**PLAIN, "id": "caf\udce9"})
    assert [p.code for p in info.value.problems] == ["encoding"]
