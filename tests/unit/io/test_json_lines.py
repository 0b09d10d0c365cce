"""JSON Lines splitting: at \\n only, bounded per line, line numbers always true."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from acupoints import Case, CaseError, LoadError
from acupoints.case.limits import MAX_CASE_BYTES
from acupoints.case.read import case_lines
from acupoints.io.lines import read_lines

CASE = b'{"id": "%d", "complaints": [{"region": "foot", "sensations": ["numbness"]}]}'


def _cases(lines: list[tuple[int, bytes | str]]) -> list[tuple[int, str | None]]:
    """Each non-blank line's number and case id (None for a line that is not a case)."""
    out: list[tuple[int, str | None]] = []
    for number, raw in lines:
        if not raw.strip():
            continue
        try:
            out.append((number, Case.from_json_line(raw, "in.jsonl", number).id))
        except CaseError as exc:
            assert all(p.line == number for p in exc.problems)
            out.append((number, None))
    return out


def test_a_bare_cr_inside_a_line_is_whitespace_not_a_line_break() -> None:
    referred = (
        b'{"id": "r",\r"complaints": [{"region": "foot",\r"sensations": ["pain"]}],\r"red_flags": ["fever"]}'
    )
    data = b"\n".join([CASE % 1, referred, CASE % 3]) + b"\r\n"
    lines = list(read_lines(io.BytesIO(data), 1000))
    assert [n for n, _ in lines] == [1, 2, 3]
    assert _cases(lines) == [(1, "1"), (2, "r"), (3, "3")]


def test_a_bom_at_the_start_of_the_input_does_not_cost_the_first_line() -> None:
    data = b"\xef\xbb\xbf" + CASE % 1 + b"\n" + CASE % 2 + b"\n"
    assert _cases(list(case_lines(io.BytesIO(data)))) == [(1, "1"), (2, "2")]


def test_a_huge_line_is_cut_and_skipped_and_the_next_lines_keep_their_numbers() -> None:
    huge = b'{"complaints": [' + b'{"region": "foot", "sensations": ["pain"]},' * 60_000 + b"{}]}"
    data = CASE % 1 + b"\n" + huge + b"\n" + CASE % 3 + b"\n"
    assert len(huge) > 2 * MAX_CASE_BYTES
    lines = list(case_lines(io.BytesIO(data)))
    assert [(n, len(raw)) for n, raw in lines][1] == (2, MAX_CASE_BYTES + 1)
    with pytest.raises(CaseError) as info:
        Case.from_json_line(lines[1][1], "in.jsonl", 2)
    (p,) = info.value.problems
    assert (p.line, p.code) == (2, "too-large") and "(MAX_CASE_BYTES)" in p.message
    assert _cases(lines) == [(1, "1"), (2, None), (3, "3")]


def test_lines_across_read_chunks_and_a_last_line_without_newline() -> None:
    data = b"\n".join(CASE % i for i in range(1, 3001))  # about 230 kB: many chunks
    lines = list(read_lines(io.BytesIO(data), 1000))
    assert len(lines) == 3000 and lines[-1] == (3000, CASE % 3000)


def test_text_streams_and_line_lists_and_paths(tmp_path: Path) -> None:
    text = (CASE % 1).decode() + "\r\n" + (CASE % 2).decode()
    assert _cases(list(read_lines(io.StringIO(text, newline=""), 1000))) == [(1, "1"), (2, "2")]
    assert _cases(list(read_lines([(CASE % 1).decode(), CASE % 2], 1000))) == [(1, "1"), (2, "2")]
    path = tmp_path / "in.jsonl"
    path.write_bytes(text.encode())
    assert _cases(list(read_lines(path, 1000))) == [(1, "1"), (2, "2")]
    with open(path, encoding="utf-8") as f:  # a text file: its bytes are read, not its lines
        assert len(list(read_lines(f, 1000))) == 2


def test_a_missing_input_is_one_error_before_any_line(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        read_lines(tmp_path / "absent.jsonl", 1000)
    assert [p.code for p in info.value.problems] == ["not-found"]
    with pytest.raises(LoadError):
        read_lines(tmp_path, 1000)
