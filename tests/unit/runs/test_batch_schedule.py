"""Who runs which lines: a small input starts no worker, and workers slower than the run
alone are sent away, with every outcome still in order."""

from __future__ import annotations

import io
import json
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from acupoints.runs import schedule
from acupoints.runs.batch import run_batch
from acupoints.runs.pool import Pool

GOOD = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]}


def cases(n: int) -> str:
    return "".join(json.dumps({"id": f"c{i}", **GOOD}) + ("\n" if i % 7 else "\n\n") for i in range(n))


def test_a_small_input_starts_no_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: Any, **kwargs: Any) -> Pool:
        raise AssertionError("a worker was started for a small input")

    monkeypatch.setattr(schedule, "Pool", no_pool)
    path = tmp_path / "cases.jsonl"
    path.write_text(cases(300), encoding="utf-8")
    stats = run_batch(path, io.StringIO(), workers=2, progress=False)
    assert stats.written == 300


def test_workers_slower_than_the_run_alone_are_sent_away(monkeypatch: pytest.MonkeyPatch) -> None:
    text = cases(400)
    alone = io.StringIO()
    run_batch(io.StringIO(text), alone, progress=False)

    # Workers ready from the start, judged at once, against a run alone that seems
    # infinitely fast.
    monkeypatch.setattr(schedule, "_JUDGE_AFTER", 0.0)
    real_shared = schedule._shared
    verdicts: list[bool] = []

    def warming(
        engine: Any, name: str, lines: Any, stream: Any, stream_name: str, workers: int, count: Any
    ) -> Generator[Any, None, tuple[Pool | None, float]]:
        pool = Pool(engine, name, stream_name, workers)
        while not pool.poll_ready(0.5):
            pass
        return pool, float("inf")
        yield  # a generator, as the real one

    def shared(*args: Any) -> Generator[Any, None, bool]:
        verdict = yield from real_shared(*args)
        verdicts.append(verdict)
        return verdict

    monkeypatch.setattr(schedule, "_warming", warming)
    monkeypatch.setattr(schedule, "_shared", shared)
    out = io.StringIO()
    stats = run_batch(io.StringIO(text), out, workers=2, chunk_size=4, progress=False)
    assert verdicts == [True]  # the workers ran, were judged slower, and went
    assert out.getvalue() == alone.getvalue()  # every line, in order, once
    assert stats.written == 400 and stats.blank == 58


class Clock:
    """A clock that moves only when a line is run: ``per_line`` seconds a line."""

    def __init__(self) -> None:
        self.now = 100.0
        self.per_line = 0.001

    def monotonic(self) -> float:
        return self.now


def test_the_pace_to_beat_is_the_run_alone_before_the_workers_took_its_cpu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 1 ms a line alone; 4 ms a line while the workers start (a busy machine: their start
    # takes this process's CPU). The workers must beat 1,000 lines/s, not 250.
    clock = Clock()
    polls: list[int] = []

    class Starting:
        def __init__(self, *args: Any) -> None:
            clock.per_line = 0.004

        def poll_ready(self, timeout: float = 0.0) -> bool:
            polls.append(1)
            return len(polls) > 20

        def close(self) -> None:
            pass

    def run_one(engine: Any, name: str, number: int, raw: Any, stream: Any) -> int:
        clock.now += clock.per_line
        return number

    monkeypatch.setattr(schedule, "time", clock)
    monkeypatch.setattr(schedule, "run_one", run_one)
    monkeypatch.setattr(schedule, "Pool", Starting)
    lines = iter((n, b"{}") for n in range(1, 100_000))
    warming = schedule._warming(None, "cases.jsonl", lines, None, "jsonl", 2, None)  # type: ignore[arg-type]
    with pytest.raises(StopIteration) as done:
        while True:
            next(warming)
    pool, pace = done.value.value
    assert isinstance(pool, Starting)
    assert pace == pytest.approx(1000, rel=0.05)
