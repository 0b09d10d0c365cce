"""Batch runs over JSON Lines: order, bad lines, strict mode, worker processes, memory."""

from __future__ import annotations

import argparse
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from acupoints import AcupointsError, Case, CaseError, Engine
from acupoints.base.vocab import ASPECTS, CAUSE_KINDS, FLAGS, LEVELS, RED_FLAGS, REGIONS, SENSATIONS, SIDES
from acupoints.runs.batch import BatchStats, add_batch_command, run_batch


def make_case(rng: random.Random, n: int) -> dict[str, Any]:
    complaints = []
    for _ in range(rng.randint(1, 3)):
        c: dict[str, Any] = {
            "region": rng.choice(REGIONS),
            "side": rng.choice(SIDES),
            "sensations": rng.sample(SENSATIONS, rng.randint(1, 2)),
        }
        if rng.random() < 0.5:
            c["aspect"] = rng.choice(ASPECTS)
        complaints.append(c)
    case: dict[str, Any] = {"id": f"c{n}", "complaints": complaints}
    if rng.random() < 0.8:
        kind = rng.choice(CAUSE_KINDS)
        case["cause"] = {
            "kind": kind,
            **({"levels": [rng.choice(LEVELS)]} if kind == "nerve_root_compression" else {}),
        }
    if rng.random() < 0.2:
        case["flags"] = [rng.choice(FLAGS)]
    if rng.random() < 0.1:
        case["red_flags"] = [rng.choice(RED_FLAGS)]
    return case


def make_cases(n: int, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_case(rng, i) for i in range(n)]


def jsonl(rows: list[Any]) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def read_rows(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


GOOD = {"id": "good", "complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]}
#: Line 2 is not JSON, line 4 has an unknown region, line 5 is not a mapping, line 6 is blank.
MIXED = [
    GOOD,
    '{"id": "broken", "complaints": [',
    {**GOOD, "id": "second"},
    '{"id": "typo", "complaints": [{"region": "forarm", "sensations": ["pain"]}]}',
    "[1, 2, 3]",
    "   ",
    {**GOOD, "id": "third"},
]


def test_output_is_in_input_order_and_equals_suggest_many(tmp_path: Path, engine: Engine) -> None:
    cases = make_cases(120)
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(cases), encoding="utf-8")
    stats = run_batch(src, tmp_path / "out.jsonl", progress=False)
    rows = read_rows((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert [r["line"] for r in rows] == list(range(1, 121))
    assert [r["case"] for r in rows] == [c["id"] for c in cases]
    expected = [s.to_dict() for s in engine.suggest_many(cases)]
    assert [{k: v for k, v in r.items() if k != "line"} for r in rows] == expected
    assert (stats.read, stats.written, stats.bad, stats.blank) == (120, 120, 0, 0)
    assert stats.referred == sum(e["status"] == "refer" for e in expected) > 0


def test_a_bad_line_is_reported_with_its_number_and_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    src = io.StringIO(jsonl(MIXED))
    src.name = "cases.jsonl"
    out = io.StringIO()
    stats = run_batch(src, out, progress=False)
    rows = read_rows(out.getvalue())
    assert [(r["line"], r["case"]) for r in rows] == [(1, "good"), (3, "second"), (7, "third")]
    assert (stats.read, stats.written, stats.bad, stats.blank) == (6, 3, 3, 1)
    assert stats.bad_lines == [2, 4, 5]
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3
    assert err[0].startswith("cases.jsonl:2:") and "error[bad-json]" in err[0]
    path, line, column, message = err[1].split(":", 3)
    assert (path, line) == ("cases.jsonl", "4")
    # The column points into the line: at the region entry or its value.
    typo = MIXED[3]
    assert isinstance(typo, str)
    assert typo.index('"region"') + 1 <= int(column) <= typo.index('"forarm"') + 1
    assert message.startswith(" error[unknown-word]") and "did you mean 'forearm'" in message
    assert err[2].startswith("cases.jsonl:5:") and "not-a-mapping" in err[2]


@pytest.mark.parametrize("workers", [1, 2])
def test_strict_stops_at_the_first_bad_line_with_a_project_error(workers: int) -> None:
    out = io.StringIO()
    with pytest.raises(CaseError) as info:
        run_batch(
            io.StringIO(jsonl(MIXED)),
            out,
            strict=True,
            workers=workers,
            chunk_size=2,
            progress=False,
            adaptive=False,
        )
    assert isinstance(info.value, AcupointsError)
    assert [p.line for p in info.value.problems] == [2]
    assert info.value.problems[0].code == "bad-json"
    # What came before the bad line is written; nothing after it.
    assert [r["line"] for r in read_rows(out.getvalue())] == [1]


def test_strict_accepts_a_clean_input() -> None:
    out = io.StringIO()
    stats = run_batch(io.StringIO(jsonl(make_cases(5))), out, strict=True, progress=False)
    assert stats.written == 5 and stats.bad == 0


def test_two_workers_give_the_same_output_as_one(capsys: pytest.CaptureFixture[str]) -> None:
    rows: list[Any] = list(make_cases(150, seed=5))
    rows[17] = '{"complaints": []}'
    rows[90] = "not json"
    text = jsonl(rows)
    one, two = io.StringIO(), io.StringIO()
    s1 = run_batch(io.StringIO(text), one, progress=False)
    err1 = capsys.readouterr().err
    s2 = run_batch(io.StringIO(text), two, workers=2, chunk_size=7, progress=False, adaptive=False)
    err2 = capsys.readouterr().err
    assert one.getvalue() == two.getvalue()
    assert len(one.getvalue().splitlines()) == 148
    assert err1 == err2 and ":18:" in err1 and ":91:" in err1
    assert (s1.read, s1.written, s1.bad, s1.referred) == (s2.read, s2.written, s2.bad, s2.referred)


def test_workers_use_a_custom_engine_sent_to_them(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        """
pack: tiny
sources: {T: "A test source"}
rules:
  - id: numb-foot
    source: T
    summary: "Numb foot: one point"
    when: {complaint: {region: [foot], sensation: [numbness]}}
    select: [{points: [KI1], role: local}]
""",
        encoding="utf-8",
    )
    engine = Engine.from_paths(rules)
    cases = [
        {"id": "a", "complaints": [{"region": "foot", "sensations": ["numbness"]}]},
        {"id": "b", "complaints": [{"region": "hand", "sensations": ["numbness"]}]},
    ] * 3
    out = io.StringIO()
    run_batch(
        io.StringIO(jsonl(cases)), out, workers=2, chunk_size=1, engine=engine, progress=False, adaptive=False
    )
    rows = read_rows(out.getvalue())
    assert [[p["code"] for p in r["points"]] for r in rows] == [["KI1"], []] * 3
    assert rows[0]["points"][0]["rules"] == ["numb-foot"]


class Lazy:
    """A generator of lines that counts how many were taken."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.taken = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.taken += 1
            yield line


class Sink(io.StringIO):
    """An output that notes, at each line written, how many input lines had been taken."""

    def __init__(self, source: Lazy) -> None:
        super().__init__()
        self.source = source
        self.taken_at_write: list[int] = []

    def write(self, s: str) -> int:
        # One note per result line (several may come in one write, a chunk's).
        self.taken_at_write += [self.source.taken] * s.count("\n")
        return super().write(s)


@pytest.mark.parametrize("workers", [1, 2])
def test_input_is_read_lazily_not_materialised(workers: int) -> None:
    n, chunk = 200, 5
    source = Lazy([json.dumps(c) + "\n" for c in make_cases(n, seed=3)])
    sink = Sink(source)
    stats = run_batch(iter(source), sink, workers=workers, chunk_size=chunk, progress=False, adaptive=False)
    assert stats.written == n and source.taken == n
    # At the k-th result, only a bounded number of lines beyond k have been read.
    ahead = max(taken - k for k, taken in enumerate(sink.taken_at_write, start=1))
    bound = 0 if workers == 1 else chunk * (2 * workers + 1)
    assert 0 <= ahead <= bound
    assert sink.taken_at_write[0] < n


def test_bytes_input_and_stats_text() -> None:
    data = jsonl(make_cases(3)).encode("utf-8")
    out = io.StringIO()
    stats = run_batch(io.BytesIO(data), out, progress=False)
    assert stats.written == 3
    assert str(stats).startswith("3 case(s): 3 written")
    assert isinstance(stats, BatchStats)


def test_progress_line_only_when_asked_or_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    run_batch(io.StringIO(jsonl(make_cases(3))), io.StringIO(), progress=True)
    assert "3 cases, 0 bad" in capsys.readouterr().err
    run_batch(io.StringIO(jsonl(make_cases(3))), io.StringIO())  # stderr is not a terminal here
    assert capsys.readouterr().err == ""


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="workers"):
        run_batch(io.StringIO(""), io.StringIO(), workers=0)
    with pytest.raises(ValueError, match="chunk_size"):
        run_batch(io.StringIO(""), io.StringIO(), chunk_size=0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="acupoints")
    add_batch_command(parser.add_subparsers(dest="command", required=True))
    return parser


def test_the_command_writes_the_file_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(make_cases(4)), encoding="utf-8")
    args = _parser().parse_args(["suggest-batch", str(src), "-o", str(tmp_path / "out.jsonl")])
    assert args.func(args) == 0
    rows = read_rows((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert "4 case(s): 4 written" in capsys.readouterr().err

    src.write_text(jsonl(MIXED), encoding="utf-8")
    args = _parser().parse_args(
        ["suggest-batch", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "2"]
    )
    assert args.func(args) == 1  # bad lines were skipped
    args = _parser().parse_args(["suggest-batch", str(src), "-o", str(tmp_path / "out.jsonl"), "--strict"])
    with pytest.raises(CaseError):
        args.func(args)


def test_the_command_reads_stdin_and_writes_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(jsonl([GOOD])))
    args = _parser().parse_args(["suggest-batch", "-"])
    assert args.func(args) == 0
    rows = read_rows(capsys.readouterr().out)
    assert rows[0]["case"] == "good" and rows[0]["line"] == 1
    assert rows[0] == {"line": 1, **Engine.default().suggest(Case.from_dict(GOOD)).to_dict()}


def test_the_command_refuses_a_negative_worker_count(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args(["suggest-batch", "x.jsonl", "--workers", "-1"])
    assert "0 or more" in capsys.readouterr().err
