"""Unquoted YAML scalars take JSON's meaning, or are refused with a hint; true is not a number."""

from __future__ import annotations

from pathlib import Path

import pytest

from acupoints import Case, CaseError, RuleError, load_rulebook
from acupoints.base.errors import LoadError
from acupoints.io.yaml import load_text

SURPRISES = [
    ("010", "octal"),
    ("0o10", None),  # text in YAML 1.1 and in JSON: left alone, then refused by the field
    ("1:00", "base 60"),
    ("1:30:00", "base 60"),
    ("0x1F", "base 16"),
    ("0b101", "base 16 or base 2"),
    ("1_000", "underscores"),
    ("+5", "digit or '-'"),
    (".5", "digits on both sides"),
    ("5.", "digits on both sides"),
    (".inf", "infinity"),
    ("-.inf", "infinity"),
    (".nan", "NaN"),
    ("NaN", "NaN"),
    ("Infinity", "infinity"),
    ("yes", "true"),
    ("No", "false"),
    ("on", "true"),
    ("OFF", "false"),
]


@pytest.mark.parametrize(
    ("text", "hint"), [s for s in SURPRISES if s[1]], ids=[s[0] for s in SURPRISES if s[1]]
)
def test_yaml_1_1_readings_are_refused_with_a_hint(text: str, hint: str) -> None:
    with pytest.raises(LoadError) as info:
        load_text(f"a: ok\nseverity: {text}\n", "c.yaml")
    (p,) = info.value.problems
    assert (p.line, p.column, p.code) == (2, 11, "yaml-scalar")
    assert p.message.startswith(f"{text} is not ") and hint in p.message
    assert f"quote it ('{text}')" in p.message or "quote it if" in p.message
    assert load_text(f"severity: '{text}'\n").data == {"severity": text}  # quoted, it is text


@pytest.mark.parametrize(
    ("text", "value"),
    [("10", 10), ("-0", 0), ("0.5", 0.5), ("1e5", 100000.0), ("-2.5E-3", -0.0025), ("true", True),
     ("False", False), ("null", None), ("~", None), ("", None), ("C6", "C6"), ("2024-01-31", "2024-01-31"),
     ("12:75", "12:75"), ("1.2.3", "1.2.3"), ("0o10", "0o10"), ("y", "y")],
)  # fmt: skip
def test_what_json_means_is_read_as_json_means_it(text: str, value: object) -> None:
    data = load_text(f"v: {text}\n").data
    assert data == {"v": value} and type(data["v"]) is type(value)


def test_explicit_tags_follow_the_same_meaning() -> None:
    assert load_text("a: !!int 12\nb: !!str 010\n").data == {"a": 12, "b": "010"}
    with pytest.raises(LoadError) as info:
        load_text("a: !!int 010\n")
    assert [p.code for p in info.value.problems] == ["yaml-scalar"]


def test_a_long_integer_in_yaml_is_refused_not_converted() -> None:
    with pytest.raises(LoadError) as info:
        load_text("n: " + "1" * 5000 + "\n", "c.yaml")
    (p,) = info.value.problems
    assert (p.code, p.column) == ("too-long", 4) and "(MAX_INT_DIGITS)" in p.message


CASE = "complaints:\n  - region: foot\n    sensations: [pain]\n    severity: {severity}\nmax_points: {most}\n"


@pytest.mark.parametrize(("severity", "most", "where"), [("010", "5", (4, 15)), ("5", "1:00", (5, 13))])
def test_the_issue_examples_in_a_case_file(severity: str, most: str, where: tuple[int, int]) -> None:
    with pytest.raises(CaseError) as info:
        Case.from_text(CASE.format(severity=severity, most=most), "c.yaml")
    (p,) = info.value.problems
    assert ((p.line, p.column), p.code) == (where, "yaml-scalar")


@pytest.mark.parametrize("text", ["true", "false"])
def test_true_is_not_a_number_in_yaml_in_json_or_in_a_dict(text: str) -> None:
    with pytest.raises(CaseError) as info:
        Case.from_text(CASE.format(severity=text, most="5"), "c.yaml")
    assert "severity: true or false is not a number" in str(info.value)
    line = '{"complaints": [{"region": "foot", "sensations": ["pain"], "severity": ' + text + "}]}"
    with pytest.raises(CaseError):
        Case.from_json_line(line, "b.jsonl", 3)
    for field, value in (("max_points", text == "true"), ("digits", [text == "true"])):
        data: dict[str, object] = {"complaints": [{"region": "foot", "sensations": ["pain"]}]}
        if field == "digits":
            data["complaints"] = [{"region": "hand", "sensations": ["pain"], "digits": value}]
        else:
            data[field] = value
        with pytest.raises(CaseError):
            Case.from_dict(data)


def test_a_rule_file_is_read_with_the_same_meaning(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "pack: t\nsources: {S: a source}\nrules:\n  - id: r\n    source: S\n    summary: s\n    priority: 010\n"
        "    when: {flag: [pacemaker]}\n    warn: [w]\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as info:
        load_rulebook([rules])
    (p,) = info.value.problems
    assert ((p.line, p.column), p.code) == ((7, 15), "yaml-scalar")
