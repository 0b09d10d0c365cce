"""A public JSON parser test suite (JSONTestSuite, nst, MIT) through both ways a case file
or line comes in: ``acupoints suggest FILE``, and ``acupoints suggest-batch`` with every
test file as lines among valid cases.

The files are in ``tests/data/jsontestsuite/test_parsing`` (see its README): ``y_`` must
be accepted as JSON, ``n_`` refused, ``i_`` either. None of them is a valid case, so every
one must give a clean error, never a traceback; a ``y_`` object gets the problems it
would get as a mapping (a case with fields missing or unknown); and in a batch run every
valid case around them must still be written, with its true line number.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from acupoints import Case, CaseError
from acupoints.cli.main import main
from acupoints.runs.batch import run_batch
from data.paths import DATA

SUITE = DATA / "jsontestsuite" / "test_parsing"
FILES = sorted(SUITE.iterdir())
#: The problems of a text that is not JSON (or too much of it), as opposed to a case's.
NOT_JSON = {"bad-json", "encoding", "empty", "too-deep", "too-large", "too-long"}
#: A valid case, one line of JSON.
GOOD = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]}


def test_the_suite_is_all_there() -> None:
    kinds = [f.name[:2] for f in FILES]
    assert (kinds.count("y_"), kinds.count("n_"), kinds.count("i_")) == (95, 188, 35)
    assert (DATA / "jsontestsuite" / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_json_line_reads_as_json_says(path: Path) -> None:
    with pytest.raises(CaseError) as info:
        Case.from_json_line(path.read_bytes(), path.name, 7)
    codes = {p.code for p in info.value.problems}
    assert all(p.line == 7 and p.path == path.name for p in info.value.problems)
    if path.name.startswith("n_"):
        assert codes <= NOT_JSON, codes  # refused as JSON, not read and then refused as a case
    elif path.name.startswith("y_"):
        assert not codes & NOT_JSON, codes  # accepted as JSON; only not a case


OBJECTS = [f for f in FILES if f.name.startswith("y_object")]


@pytest.mark.parametrize("path", OBJECTS, ids=lambda p: p.name)
def test_a_json_object_is_read_as_the_case_it_would_be_as_a_mapping(path: Path) -> None:
    # The same object from a line, from a file and as a dict from other software: the
    # same problems, but for a duplicate key, which only a text can hold (an error).
    raw = path.read_bytes()
    problems = {}
    for way, read in [
        ("line", lambda: Case.from_json_line(raw, path.name, 1)),
        ("text", lambda: Case.from_text(raw, path.name)),
        ("dict", lambda: Case.from_dict(json.loads(raw))),
    ]:
        with pytest.raises(CaseError) as info:
            read()
        problems[way] = sorted(p.code for p in info.value.problems)
    assert problems["line"] == problems["text"]
    if "duplicated_key" in path.name:
        assert "duplicate-key" in problems["line"] and "duplicate-key" not in problems["dict"]
    else:
        assert problems["line"] == problems["dict"], problems


def test_every_file_through_suggest_file(capsys: pytest.CaptureFixture[str]) -> None:
    for path in FILES:
        code = main(["suggest", str(path), "--format", "json"])
        out, err = capsys.readouterr()
        assert code == 2, path.name
        assert out == "", path.name
        assert err and "Traceback" not in err, path.name
        assert all(line.startswith(f"{path}:") for line in err.splitlines()), (path.name, err[:300])


def _batch_input() -> tuple[bytes, list[int], list[tuple[int, int]]]:
    """Every suite file between two valid cases: the input, the line numbers of the valid
    cases, and the first and last line of each file's text."""
    good = json.dumps(GOOD).encode("utf-8")
    lines: list[bytes] = [good]
    valid = [1]
    spans = []
    for path in FILES:
        pieces = path.read_bytes().split(b"\n")
        if len(pieces) > 1 and pieces[-1] == b"":
            pieces.pop()  # a file that ends with a newline
        spans.append((len(lines) + 1, len(lines) + len(pieces)))
        lines += pieces
        lines.append(good)
        valid.append(len(lines))
    return b"\n".join(lines) + b"\n", valid, spans


def _reported(err: str) -> list[int]:
    return [int(line.split(":")[1]) for line in err.splitlines() if line.startswith("suite.jsonl:")]


def _json_blank(piece: bytes) -> bool:
    return not piece.strip(b" \t\r\n")


@pytest.mark.parametrize("workers", [1, 2])
def test_every_file_as_lines_of_a_batch(workers: int, capsys: pytest.CaptureFixture[str]) -> None:
    data, valid, spans = _batch_input()
    source: Any = io.BytesIO(data)
    source.name = "suite.jsonl"
    out = io.StringIO()
    stats = run_batch(source, out, workers=workers, chunk_size=16, adaptive=False, progress=False)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["line"] for r in rows] == valid  # every valid case, at its true line
    assert {r["status"] for r in rows} == {"suggested"}
    pieces = data.split(b"\n")
    expected_bad = [
        n for first, last in spans for n in range(first, last + 1) if not _json_blank(pieces[n - 1])
    ]
    err = capsys.readouterr().err
    assert sorted(set(_reported(err))) == expected_bad
    assert stats.bad == len(expected_bad) and stats.written == len(valid)
    assert "Traceback" not in err
