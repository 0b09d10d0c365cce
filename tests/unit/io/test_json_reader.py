"""The strict JSON reader: JSON's grammar and meaning, the YAML reader's rules and positions."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from acupoints.base.errors import LoadError
from acupoints.io import limits
from acupoints.io.jsondoc import JsonSyntaxError, load_json
from acupoints.io.jsonpos import json_positions
from acupoints.io.yaml import load_text
from acupoints.io.yamlbuild import build


def _fail(text: str, cls: type[LoadError] = LoadError) -> tuple[Any, ...]:
    with pytest.raises(cls) as info:
        load_json(text, "d.json")
    return tuple((p.line, p.column, p.code) for p in info.value.problems)


def test_duplicate_keys_are_an_error_with_both_places() -> None:
    text = '{"red_flags": ["saddle_anesthesia"],\n "id": "x",\n "red_flags": []}'
    with pytest.raises(LoadError) as info:
        load_json(text, "d.json")
    (p,) = info.value.problems
    assert (p.line, p.column, p.code) == (3, 2, "duplicate-key")
    assert p.message == "duplicate key 'red_flags' (first at line 1)"


def test_duplicate_keys_wait_in_collect_mode_and_the_first_value_is_kept() -> None:
    doc = load_json('{"a": {"b": 1, "b": 2}, "a": 3}', "d.json", collect=True)
    assert doc.data == {"a": {"b": 1}}
    assert [(p.column, p.code) for p in doc.problems] == [(16, "duplicate-key"), (25, "duplicate-key")]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_the_constants_python_accepts_are_not_json(constant: str) -> None:
    # JSON but for the constant: a "YAML or JSON" reader does not try it as YAML either.
    assert _fail(f'{{"note": "NaN", "x": {constant}}}') == ((1, 22, "bad-json"),)


def test_a_long_integer_is_refused_before_it_is_converted() -> None:
    digits = "7" * 5000  # int() of this raises ValueError past Python's 4,300 digits
    with pytest.raises(LoadError) as info:
        load_json(f'{{"s": "{digits}", "n": {digits}}}', "d.json")
    (p,) = info.value.problems
    assert (p.column, p.code) == (5016, "too-long")
    assert p.message == f"an integer of 5000 digits; the limit is {limits.MAX_INT_DIGITS} (MAX_INT_DIGITS)"
    assert load_json('{"n": -' + "9" * limits.MAX_INT_DIGITS + "}", "d.json").data["n"] < 0


def test_deep_nesting_is_refused_before_parsing() -> None:
    deep = "[" * 200_000 + "]" * 200_000  # would overflow the parser's recursion
    assert _fail(deep) == ((1, limits.MAX_DEPTH + 1, "too-deep"),)
    brackets_in_strings = '["' + "[" * 5000 + '"]'
    assert load_json(brackets_in_strings, "d.json").data == ["[" * 5000]


def test_too_many_values_are_refused_before_parsing() -> None:
    text = "[" + ",".join(["0"] * 101) + "]"
    with pytest.raises(LoadError) as info:
        load_json(text, "d.json", max_values=100, values_name="MAX_CASE_VALUES")
    (p,) = info.value.problems
    assert p.code == "too-large" and "the limit is 100 (MAX_CASE_VALUES)" in p.message


def test_escaped_surrogate_pairs_are_one_character_and_lone_ones_an_error() -> None:
    assert load_json('{"id": "\\ud83d\\ude00"}', "d.json").data == {"id": "\U0001f600"}
    assert _fail('{"ok": 1,\n "id": "x\\udc00"}') == ((2, 2, "encoding"),)
    assert _fail('{"\\ud800": 1}') == ((1, 2, "encoding"),)


def test_not_json_is_a_syntax_error_that_says_where() -> None:
    assert _fail('{"a": 1,}', JsonSyntaxError) == ((1, 9, "bad-json"),)
    assert _fail("{a: 1}", JsonSyntaxError) == ((1, 2, "bad-json"),)


def test_text_that_is_json_reads_as_json_and_yaml_flow_still_reads_as_yaml() -> None:
    # libyaml refuses surrogate escapes and reads 1e5 as text: JSON text must not go there.
    assert load_text('{"id": "\\ud83d\\ude00", "n": 1e5}').data == {"id": "\U0001f600", "n": 100000.0}
    assert load_text("{id: x, n: [1, 2]}").data == {"id": "x", "n": [1, 2]}
    with pytest.raises(JsonSyntaxError):
        load_text("{id: x}", json_only=True)


# -- positions: the same places as the YAML reader's ------------------------------------

# YAML also ends a line at U+0085, U+2028 and U+2029 and does not count U+FEFF in a column;
# JSON only knows \n. Text without them is placed the same by both.
_chars = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\x85\u2028\u2029\ufeff"
)
_keys = st.text(_chars, max_size=5)
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False),
    st.text(_chars, max_size=8),
)  # fmt: skip
_data = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=20,
)


@given(_data, st.sampled_from([None, 0, 1, 2, 4]), st.booleans())
def test_json_positions_match_the_yaml_readers(data: Any, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    doc = load_json(text, "d.json")
    assert doc.data == data
    _, positions, problems = build(yaml.parse(text, Loader=yaml.SafeLoader), "d.json", 10**6, "MAX_VALUES")
    assert not problems
    assert doc.positions == positions


def test_positions_are_worked_out_only_when_asked_for() -> None:
    doc = load_json('{"a": [1, {"b": 2}]}', "d.json")
    assert doc._positions is None
    assert doc.where(("a", 1, "b")) == (1, 12)
    assert json_positions('{"a": [1, {"b": 2}]}', "d.json")[0] == doc.positions
