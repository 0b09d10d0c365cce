"""SIGTERM and SIGINT stop a batch run with workers cleanly, and leave no process behind.

The run is a real ``acupoints suggest-batch --workers 2`` process reading standard
input, which this test keeps feeding, so the run is still busy whenever the signal
comes. Every process under it is noted by its id before the signal; after it, none may
still run (read from /proc by :mod:`benchmarks.procs`).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from benchmarks.procs import descendants, parent, running

from acupoints.runs.resume import Checkpoint, checkpoint_path
from acupoints.runs.stop import Signals, Stop
from data.paths import ROOT

#: ``acupoints suggest-batch``, but with workers even when no core stands idle (a busy
#: test machine would otherwise run every line in the run's own process).
WORKERS_EVEN_ON_BUSY_CORES = (
    "import sys; import acupoints.runs.schedule as s; s.MIN_IDLE = 0.0; "
    "from acupoints.cli.main import main; sys.exit(main())"
)

CASES = [
    {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]},
    {"complaints": [{"region": "foot", "aspect": "plantar", "sensations": ["pain", "burning"]}],
     "cause": {"kind": "diabetes"}},
    {"red_flags": ["fever"], "complaints": [{"region": "lower_back", "sensations": ["pain"]}]},
]  # fmt: skip


def _feed(stdin: Any, stop: threading.Event) -> None:
    n = 0
    try:
        while not stop.is_set():
            block = "".join(json.dumps({"id": f"c{n + i}", **CASES[(n + i) % 3]}) + "\n" for i in range(200))
            stdin.write(block.encode())
            stdin.flush()
            n += 200
    except (BrokenPipeError, OSError, ValueError):
        return


def _running(pids: list[int]) -> list[int]:
    return [pid for pid in pids if running(pid)]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_run_and_its_workers(signum: int, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.Popen(
        [sys.executable, "-c", WORKERS_EVEN_ON_BUSY_CORES, "suggest-batch", "-", "-o", str(out), "--workers", "2"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path, env=env,
    )  # fmt: skip
    stop = threading.Event()
    feeder = threading.Thread(target=_feed, args=(run.stdin, stop), daemon=True)
    feeder.start()
    try:
        # Wait for the two workers (children of the fork server), then let them work.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = descendants(run.pid)
            if sum(1 for p in found if parent(p) != run.pid) >= 2:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the workers never started")
        time.sleep(0.5)
        pids = descendants(run.pid)
        assert len(pids) >= 3  # the fork server, two workers (and the resource tracker)
        assert _running(pids) == pids  # what "gone" is measured against
        run.send_signal(signum)
        err = run.communicate(timeout=60)[1].decode()
    finally:
        stop.set()
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 128 + signum, err[-2000:]
    assert "Traceback" not in err
    found = re.search(
        rf"stopped by {signal.Signals(signum).name} after line (\d+); the results so far are in (.+): run",
        err,
    )
    assert found, err[-2000:]
    reached = int(found.group(1))
    assert reached > 0 and found.group(2) == f"{out}.part"

    # No process of the run is left: each id noted before the signal is gone.
    deadline = time.monotonic() + 15
    while _running(pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _running(pids) == []

    # What was written, and its checkpoint, agree with the summary: lines 1 to `reached`.
    assert not out.exists()
    mark = Checkpoint.load(checkpoint_path(out))
    assert mark is not None and mark.line == reached
    part = (tmp_path / "out.jsonl.part").read_bytes()
    assert len(part) == mark.output_bytes
    assert [json.loads(line)["line"] for line in part.splitlines()] == list(range(1, reached + 1))


def test_a_signal_inside_a_chunk_waits_for_its_end_and_a_second_one_does_not() -> None:
    with Signals(True) as signals:
        with pytest.raises(Stop) as info, signals.holding():
            os.kill(os.getpid(), signal.SIGTERM)
            finished = True  # the chunk is written whole before the stop
        assert finished and info.value.name == "SIGTERM"
    with Signals(True) as signals, pytest.raises(Stop), signals.holding():
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGINT)
        pytest.fail("the second signal stops at once")
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # restored
