"""No line stops a batch run: each fault of the reliability issue, injected as a line.

Each hostile line sits between valid cases; the run must report it at its true line
number, skip it, and write every valid case with its own line number.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from acupoints import CaseError, LoadError
from acupoints.runs.batch import run_batch
from data.faults import FaultyEngine

GOOD = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]}
SADDLE = {"red_flags": ["saddle_anesthesia"], "complaints": [{"region": "foot", "sensations": ["numbness"]}]}


def good(case_id: str) -> bytes:
    return json.dumps({"id": case_id, **GOOD}).encode()


#: One hostile line each: (name, bytes of the line, the code it must be reported with).
HOSTILE: list[tuple[str, bytes, str]] = [
    ("4300-digit integer", b'{"id": "x", "max_points": ' + b"9" * 4400 + b", " + good("x")[1:], "too-long"),
    ("deep nesting", b"[" * 100_000 + b"]" * 100_000, "too-deep"),
    ("not UTF-8", b'{"id": "caf\xe9", "complaints": []}', "encoding"),
    ("lone surrogate escape", b'{"id": "\\ud800", "complaints": []}', "encoding"),
    ("duplicate red_flags", json.dumps(SADDLE)[:-1].encode() + b', "red_flags": []}', "duplicate-key"),
    ("NaN", b'{"max_points": NaN, ' + good("n")[1:], "bad-json"),
    ("form feed only (not JSON whitespace)", b"\x0c", "empty"),
    ("NUL bytes", b"\x00\x00{}", "bad-json"),
    ("20,000 unknown tender points", json.dumps({**GOOD, "tender_points": ["XX99"] * 20_000}).encode(), "too-large"),
    ("2,000 unknown tender points", json.dumps({**GOOD, "tender_points": ["XX99"] * 2_000}).encode(), "too-many"),
    ("a 47 MB line, cut at the limit", b'{"complaints": [' + b'{"region": "foot"},' * 2_500_000, "too-large"),
    ("unknown tender point (the engine's error)", json.dumps({**GOOD, "tender_points": ["LI44"]}).encode(),
     "unknown-point"),
    ("not a mapping", b"[1, 2, 3]", "not-a-mapping"),
    ("truncated", b'{"complaints": [', "bad-json"),
]  # fmt: skip


def batch(*lines: bytes) -> io.BytesIO:
    source = io.BytesIO(b"\n".join(lines) + b"\n")
    source.name = "cases.jsonl"
    return source


def rows(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize(("name", "line", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_line_is_reported_and_skipped(
    name: str, line: bytes, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    stats = run_batch(batch(good("a"), line, good("b")), out, progress=False)
    assert [(r["line"], r["case"]) for r in rows(out)] == [(1, "a"), (3, "b")]
    assert (stats.read, stats.written, stats.bad) == (3, 2, 1)
    err = capsys.readouterr().err.splitlines()
    assert err and all(e.startswith("cases.jsonl:2:") for e in err), err[:3]
    assert f"error[{code}]" in err[0]


def test_every_hostile_line_in_one_run_with_workers(capsys: pytest.CaptureFixture[str]) -> None:
    lines = [good("first")]
    for i, (_, line, _) in enumerate(HOSTILE):
        lines += [line, good(f"after-{i}")]
    out = io.StringIO()
    stats = run_batch(batch(*lines), out, workers=2, chunk_size=3, adaptive=False, progress=False)
    assert [r["line"] for r in rows(out)] == list(range(1, len(lines) + 1, 2))
    assert stats.bad == len(HOSTILE)
    reported = {int(e.split(":")[1]) for e in capsys.readouterr().err.splitlines()}
    assert reported == set(range(2, len(lines), 2))


def test_a_bare_cr_inside_a_line_is_whitespace_and_numbers_stay_true() -> None:
    out = io.StringIO()
    referred = (
        b'{"red_flags":\r["saddle_anesthesia"],\r"complaints": [{"region": "foot",\r"sensations": ["pain"]}]}'
    )
    run_batch(batch(good("a"), referred, good("b")), out, progress=False)
    assert [(r["line"], r["status"]) for r in rows(out)] == [(1, "suggested"), (2, "refer"), (3, "suggested")]


def test_a_bom_keeps_the_first_line() -> None:
    out = io.StringIO()
    run_batch(batch(b"\xef\xbb\xbf" + good("a"), good("b")), out, progress=False)
    assert [(r["line"], r["case"]) for r in rows(out)] == [(1, "a"), (2, "b")]


@pytest.mark.parametrize("error", ["RuntimeError", "RecursionError", "MemoryError", "ValueError"])
def test_an_error_nobody_foresaw_is_a_bad_line(error: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    stats = run_batch(
        batch(good("a"), good(f"raise:{error}"), good("b")), out, engine=FaultyEngine(), progress=False
    )
    assert [r["case"] for r in rows(out)] == ["a", "b"]
    assert stats.bad == 1
    err = capsys.readouterr().err
    assert err.startswith("cases.jsonl:2:1: error[internal-error] this line could not be run")
    assert error in err


def test_a_line_that_kills_its_worker_is_reported_and_the_run_goes_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = [good(f"c{i}") for i in range(40)]
    lines[17] = good("exit")  # the worker process ends itself on this case
    out = io.StringIO()
    stats = run_batch(batch(*lines), out, workers=2, chunk_size=8, engine=FaultyEngine(), adaptive=False,
                      progress=False)  # fmt: skip
    assert [r["line"] for r in rows(out)] == [n for n in range(1, 41) if n != 18]
    assert stats.bad == 1
    err = capsys.readouterr().err
    assert err.startswith("cases.jsonl:18:1: error[worker-died]")


def test_strict_still_stops_at_the_first_bad_line() -> None:
    out = io.StringIO()
    with pytest.raises(CaseError) as info:
        run_batch(batch(good("a"), b"\xff", good("b")), out, strict=True, progress=False)
    assert [p.line for p in info.value.problems] == [2]
    assert [r["case"] for r in rows(out)] == ["a"]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("id: c1\ncomplaints:\n  - region: forearm\n    sensations: [numbness]\n", "this is YAML"),
        ("# a case\n---\ncomplaints: []\n", "this is YAML"),
        ('{\n  "complaints": []\n}\n', "one case written over several lines"),
    ],
)
def test_an_input_that_is_not_json_lines_is_one_error(
    text: str, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for strict in (False, True):
        with pytest.raises(CaseError) as info:
            run_batch(batch(b"", text.encode()), io.StringIO(), strict=strict, progress=False)
        assert len(info.value.problems) == 1
        problem = info.value.problems[0]
        assert (problem.code, problem.line) == ("not-json-lines", 2)
        assert why in problem.message
        assert capsys.readouterr().err == ""  # not one error a line


def test_a_yaml_looking_first_line_loses_no_case_after_it(capsys: pytest.CaptureFixture[str]) -> None:
    # The first line looks like YAML, but a later line is a case: it is a batch after all,
    # and every bad line is reported, in order.
    out = io.StringIO()
    stats = run_batch(batch(b"id: c1", b"{", good("a")), out, progress=False)
    assert [(r["line"], r["case"]) for r in rows(out)] == [(3, "a")]
    assert stats.bad == 2
    assert [e.split(":")[1] for e in capsys.readouterr().err.splitlines()] == ["1", "2"]


class FailingDisk(io.BytesIO):
    """An input that can no longer be read after its first ``good`` bytes (EIO)."""

    def __init__(self, data: bytes, good: int) -> None:
        super().__init__(data)
        self.good = good
        self.name = "cases.jsonl"

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() >= self.good:
            raise OSError(5, "Input/output error")
        return super().read(
            min(size if size is not None and size >= 0 else self.good, self.good - self.tell())
        )


def test_an_input_that_cannot_be_read_any_more_is_a_clean_error() -> None:
    data = b"".join(good(f"c{i}") + b"\n" for i in range(10))
    out = io.StringIO()
    with pytest.raises(LoadError) as info:
        run_batch(FailingDisk(data, len(good("c0")) * 4 + 4), out, progress=False)
    assert [(p.code, p.line) for p in info.value.problems] == [("unreadable", 5)]
    assert "Input/output error" in info.value.problems[0].message
    assert [r["case"] for r in rows(out)] == ["c0", "c1", "c2", "c3"]
