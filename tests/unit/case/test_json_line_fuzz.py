"""Any bytes as a batch line: a case or a CaseError placed at that line, never anything else."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from acupoints import Case, CaseError
from data.strategies import cases

#: Pieces that reach the readers' corners: escapes, surrogates, constants, long and deep.
_PIECES = st.sampled_from(
    [b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"\\u", b"d83d", b"\\ud800", b"\\udc00", b"NaN",
     b"Infinity", b"-", b"1e999", b"0", b"9" * 40, b"true", b"null", b'"complaints"', b'"red_flags"',
     b'"tender_points"', b'"region"', b'"sensations"', b'"foot"', b'"pain"', b"\r", b"\t", b" ", b"\n",
     b"\xef\xbb\xbf", b"\xff", b"\xc3", b"\xed\xa0\x80", b"[" * 120, b"]" * 120, b"\x00"]
)  # fmt: skip


def _parse(raw: bytes | str, number: int) -> Case | None:
    try:
        return Case.from_json_line(raw, "cases.jsonl", number)
    except CaseError as exc:
        assert exc.problems
        for p in exc.problems:
            assert (p.path, p.line) == ("cases.jsonl", number) and p.column >= 1 and p.message
        str(exc).encode("utf-8", "backslashreplace")
        return None


@given(st.binary(max_size=400), st.integers(1, 10**6))
def test_any_bytes(raw: bytes, number: int) -> None:
    _parse(raw, number)


_ANY_CHAR = st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))


@given(st.lists(_ANY_CHAR, max_size=200).map("".join), st.integers(1, 10**6))
def test_any_text_surrogates_included(text: str, number: int) -> None:
    _parse(text, number)


@given(st.lists(_PIECES, max_size=60).map(b"".join), st.integers(1, 10**6))
def test_json_shaped_noise(raw: bytes, number: int) -> None:
    _parse(raw, number)


@given(cases(), st.data())
def test_a_valid_line_with_a_few_bytes_changed(case: dict[str, Any], data: st.DataObject) -> None:
    raw = bytearray(json.dumps(case).encode())
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(raw)))
        raw[at : at + data.draw(st.integers(0, 2))] = data.draw(st.one_of(_PIECES, st.binary(max_size=3)))
    _parse(bytes(raw), 5)


@given(cases(), st.sampled_from([None, 1]), st.booleans())
def test_a_valid_case_reads_the_same_as_a_line_a_text_and_a_dict(case: dict[str, Any], indent: int | None,
                                                                   ascii_only: bool) -> None:  # fmt: skip
    text = json.dumps(case, ensure_ascii=ascii_only)
    expected = Case.from_dict(case)
    assert Case.from_json_line(text.encode(), "cases.jsonl", 1) == expected
    assert Case.from_text(json.dumps(case, indent=indent, ensure_ascii=ascii_only)) == expected
