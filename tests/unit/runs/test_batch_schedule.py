"""Who runs which lines: a small input starts no worker, and workers slower than the run
alone are sent away, with every outcome still in order."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from acupoints.runs import schedule
from acupoints.runs.batch import run_batch
from acupoints.runs.cpu import IdleMeter
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


class Meter:
    """Idle cores as told: one reading each time it is asked, the last one ever after."""

    def __init__(self, readings: list[float | None]) -> None:
        self.readings = readings
        self.asked = 0

    def restart(self) -> None:
        pass

    def idle(self) -> float | None:
        self.asked += 1
        return self.readings[min(self.asked, len(self.readings)) - 1]


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
    monkeypatch.setattr(schedule, "IdleMeter", lambda: Meter([1.0]))
    lines = iter((n, b"{}") for n in range(1, 100_000))
    warming = schedule._warming(None, "cases.jsonl", lines, None, "jsonl", 2, None)  # type: ignore[arg-type]
    with pytest.raises(StopIteration) as done:
        while True:
            next(warming)
    pool, pace = done.value.value
    assert isinstance(pool, Starting)
    assert pace == pytest.approx(1000, rel=0.05)


@pytest.mark.parametrize(
    ("readings", "started_after"),
    [
        ([1.0], 0.5),  # a core stands idle: the workers start at once
        ([None], 0.5),  # no way to tell (no /proc/stat): as if idle
        ([0.1, 0.2, 0.3, 1.2], 2.0),  # every core busy at first: the run looks again and again
        ([0.0], None),  # busy all along: no worker ever starts
    ],
)
def test_workers_start_only_when_a_core_stands_idle(
    readings: list[float | None], started_after: float | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    meter = Meter(readings)
    started: list[float] = []

    class Ready:
        def __init__(self, *args: Any) -> None:
            started.append(round(clock.now - 100.0, 1))

        def poll_ready(self, timeout: float = 0.0) -> bool:
            return True

        def close(self) -> None:
            pass

    def run_one(engine: Any, name: str, number: int, raw: Any, stream: Any) -> int:
        clock.now += 0.001
        return number

    monkeypatch.setattr(schedule, "time", clock)
    monkeypatch.setattr(schedule, "run_one", run_one)
    monkeypatch.setattr(schedule, "Pool", Ready)
    monkeypatch.setattr(schedule, "IdleMeter", lambda: meter)
    lines = iter((n, b"{}") for n in range(1, 5_000))
    warming = schedule._warming(None, "cases.jsonl", lines, None, "jsonl", 2, None)  # type: ignore[arg-type]
    ran = 0
    with pytest.raises(StopIteration) as done:
        while True:
            next(warming)
            ran += 1
    pool, _ = done.value.value
    if started_after is None:
        assert pool is None and started == [] and ran == 4_999  # every line ran here
    else:
        assert isinstance(pool, Ready) and started == [pytest.approx(started_after, abs=0.1)]


def test_idle_cores_are_read_from_the_cpu_times(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    stat.write_text("cpu  1000 0 200 5000 100 0 0 0 0 0\ncpu0 1 2 3 4\n", encoding="ascii")
    meter = IdleMeter(stat)
    # 400 ticks pass on all CPUs together, 100 of them idle (50 idle, 50 waiting on I/O).
    stat.write_text("cpu  1250 0 250 5050 150 0 0 0 0 0\n", encoding="ascii")
    cpus = os.cpu_count() or 1
    assert meter.idle() == pytest.approx(cpus * 100 / 400)
    meter.restart()
    assert meter.idle() is None  # no time has passed: too short to tell
    for broken in ["", "intr 1 2 3\n", "cpu  a b c d e f g h\n"]:
        stat.write_text(broken, encoding="ascii")
        assert IdleMeter(stat).idle() is None
    assert IdleMeter(tmp_path / "missing").idle() is None
