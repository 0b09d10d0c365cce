"""The YAML reader's limits: an alias bomb is not a large honest file; problems stay cheap."""

from __future__ import annotations

import time

import pytest

from acupoints import Case, CaseError
from acupoints.base.errors import LoadError
from acupoints.io import limits, problems
from acupoints.io.yaml import load_text
from data.payloads import BILLION_LAUGHS

RULE = """\
  - id: rule-{i}
    source: S1
    summary: "Rule {i}: numbness of one region, with one more thing"
    priority: {p}
    when:
      complaint: {{region: [forearm], sensation: [numbness, tingling], aspect: [dorsal]}}
      cause: [entrapment]
      levels: [C5, C6]
    select:
      - points: [LI4, TE5, PC6]
        role: local
        weight: 2
      - query: {{region: [forearm], limit: 2}}
        role: distal
"""


def test_a_large_honest_rule_file_is_not_an_alias_bomb() -> None:
    text = "pack: big\nsources: {S1: a source}\nrules:\n" + "".join(
        RULE.format(i=i, p=i % 10) for i in range(10_000)
    )
    assert len(text) > 2_000_000  # and about 400,000 values: the old reader took it for a bomb
    start = time.process_time()
    doc = load_text(text, "big.yaml")
    assert len(doc.data["rules"]) == 10_000
    assert doc.where(("rules", 9999, "select", 1, "query", "limit")) == (3 + 14 * 9999 + 13, 36)
    assert time.process_time() - start < 20  # about 1.5 s; the old reader refused it after 5 s


def test_an_alias_bomb_is_refused_at_once() -> None:
    start = time.process_time()
    with pytest.raises(LoadError) as info:
        load_text(BILLION_LAUGHS, "bomb.yaml")
    assert time.process_time() - start < 1
    (p,) = info.value.problems
    assert p.code == "too-large" and f"the limit is {limits.MAX_ALIAS_VALUES} (MAX_ALIAS_VALUES)" in p.message


def test_aliases_count_what_they_expand_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ALIAS_VALUES", 12)
    assert load_text("a: &x [1, 2, 3]\nb: [*x, *x, *x]\n").data["b"] == [[1, 2, 3]] * 3  # 12 values
    with pytest.raises(LoadError) as info:
        load_text("a: &x [1, 2, 3]\nb: [*x, *x, *x, *x]\n")
    assert [(p.line, p.column, p.code) for p in info.value.problems] == [(2, 17, "too-large")]


def test_an_alias_copies_and_is_placed_where_it_is_used() -> None:
    doc = load_text("a: &x {k: [1]}\nb: *x\n")
    assert doc.data == {"a": {"k": [1]}, "b": {"k": [1]}}
    assert doc.data["a"] is not doc.data["b"] and doc.data["a"]["k"] is not doc.data["b"]["k"]
    assert doc.where(("b", "k", 0)) == (2, 1)


def test_an_alias_cannot_nest_deeper_than_the_limit() -> None:
    half = limits.MAX_DEPTH // 2 + 1
    text = "a: &x " + "[" * half + "]" * half + "\nb: " + "[" * half + "*x" + "]" * half + "\n"
    with pytest.raises(LoadError) as info:
        load_text(text)
    assert [p.code for p in info.value.problems] == ["too-deep"]


@pytest.mark.parametrize("text", ["a: *nowhere\n", "a: &x [*x]\n"])
def test_an_alias_to_nothing_is_an_error(text: str) -> None:
    with pytest.raises(LoadError) as info:
        load_text(text)
    assert [p.code for p in info.value.problems] == ["yaml-syntax"]


def test_values_are_counted_as_they_stream_by(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "".join(f"- {i}\n" for i in range(1000))
    with pytest.raises(LoadError) as info:
        load_text(text, "many.yaml", max_values=100, limit_names=("MAX_BYTES", "MAX_CASE_VALUES"))
    (p,) = info.value.problems
    assert (p.line, p.code) == (100, "too-large") and "(MAX_CASE_VALUES)" in p.message  # the list is value 1


def test_deep_yaml_is_refused_without_recursion() -> None:
    text = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 300))
    with pytest.raises(LoadError) as info:
        load_text(text)
    assert [p.code for p in info.value.problems] == ["too-deep"]


# -- problems stay cheap ---------------------------------------------------------------


def test_did_you_mean_is_worked_out_for_the_first_unknowns_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = problems.describe_choice

    def counting(word: object, allowed: object, what: str) -> str:
        calls.append(str(word))
        return real(word, allowed, what)  # type: ignore[arg-type]

    monkeypatch.setattr(problems, "describe_choice", counting)
    data = {"complaints": [{"region": "forarm", "sensations": ["pian"] * 30}] * 60}
    start = time.process_time()  # CPU time: a busy machine cannot fail it
    with pytest.raises(CaseError) as info:
        Case.from_dict(data, "many.json")
    assert time.process_time() - start < 1
    assert len(calls) == problems.MAX_HINTS
    found = info.value.problems
    assert len(found) == problems.MAX_PROBLEMS + 1
    assert found[-1].code == "more-problems" and "(MAX_PROBLEMS is 100)" in found[-1].message
    assert "did you mean 'forearm'" in found[0].message
    assert "did you mean" not in found[50].message and "allowed: pain" in found[50].message


def test_a_long_unknown_word_is_echoed_short() -> None:
    with pytest.raises(CaseError) as info:
        Case.from_dict({"complaints": [{"region": "x" * 100_000, "sensations": ["pain"]}], "y" * 500: 1})
    assert all(len(p.message) < 400 for p in info.value.problems)
