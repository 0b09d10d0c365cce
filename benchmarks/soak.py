"""A soak of ``acupoints suggest-batch``: many lines, some hostile, every valid one written.

    python -m benchmarks.soak                      # 300,000 lines, 1% hostile, 2 workers
    python -m benchmarks.soak --lines 20000 --workers 1

It writes the input in a temporary folder (generated valid cases, and every hundredth
line hostile: bytes that are not UTF-8, deep nesting, a 5,000-digit number, a line of
2 MB, duplicate keys, a lone surrogate, NaN, a bare CR, a case the engine refuses, YAML,
random bytes), runs the real command on it, and checks that every valid line has its
result at its own line number, that every hostile line is reported at its own, that the
output is UTF-8, and that the exit status is 1. It prints the time, the lines written,
the lines reported and the peak memory of the run's processes. Not part of the test
suite: it takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .cases import valid_cases
from .procs import descendants, resident_bytes

__all__ = ["HOSTILE", "main", "write_input"]

GOOD = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]}
#: Ways to break a line, each a function of a random source.
HOSTILE: list[Callable[[random.Random], bytes]] = [
    lambda r: b'{"id": "caf\xe9", "complaints": []}',
    lambda r: b"[" * r.randint(101, 200_000) + b"]",
    lambda r: b'{"max_points": ' + b"7" * 5_000 + b", " + json.dumps(GOOD).encode()[1:],
    lambda r: b'{"notes": "' + b"x" * 2_000_000 + b'"}',
    lambda r: (
        b'{"red_flags": ["fever"], "complaints": [{"region": "foot", "sensations": ["pain"]}], "red_flags": []}'
    ),
    lambda r: b'{"id": "\\ud800", ' + json.dumps(GOOD).encode()[1:],
    lambda r: b'{"max_points": NaN, ' + json.dumps(GOOD).encode()[1:],
    lambda r: b'{"complaints": [\r{"region": "foot"}',
    lambda r: json.dumps({**GOOD, "tender_points": ["XX99"]}).encode(),
    lambda r: b"complaints:\n  - region: forearm",
    # Random bytes, never blank (a blank line is skipped, not reported).
    lambda r: b"\x01" + bytes(r.randrange(256) for _ in range(r.randint(0, 300))).replace(b"\n", b"\x00"),
]


def write_input(path: Path, lines: int, every: int, seed: int = 19) -> tuple[set[int], set[int]]:
    """Write the input; the line numbers of the valid cases and of the hostile lines."""
    rng = random.Random(seed)
    pool = [json.dumps(c).encode() for c in valid_cases(5_000, seed)]
    valid: set[int] = set()
    hostile: set[int] = set()
    number = 0
    with open(path, "wb") as f:
        while number < lines:
            number += 1
            if number % every == 0:
                text = HOSTILE[(number // every) % len(HOSTILE)](rng)
                f.write(text + b"\n")
                number += text.count(b"\n")  # a hostile text over two lines is two hostile lines
                hostile.update(range(number - text.count(b"\n"), number + 1))
            else:
                f.write(pool[number % len(pool)] + b"\n")
                valid.add(number)
    return valid, hostile


def _watch(pid: int, stop: Callable[[], bool]) -> int:
    """The peak of the summed resident memory of a process and its descendants."""
    peak = 0
    while not stop():
        peak = max(peak, sum(resident_bytes(p) for p in [pid, *descendants(pid)]))
        time.sleep(0.5)
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument(
        "--every", type=int, default=100, help="one hostile line in this many (default 100: 1%%)"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="acupoints-soak-") as tmp:
        folder = Path(tmp)
        source, output = folder / "cases.jsonl", folder / "results.jsonl"
        valid, hostile = write_input(source, args.lines, args.every)
        print(
            f"input: {len(valid) + len(hostile):,} lines, {len(hostile):,} hostile, {source.stat().st_size:,} bytes"
        )
        command = [sys.executable, "-m", "acupoints", "suggest-batch", str(source), "-o", str(output),
                   "--workers", str(args.workers)]  # fmt: skip
        started = time.perf_counter()
        with open(folder / "stderr.txt", "wb") as err:
            run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=os.environ)
            peak: list[int] = []
            watcher = threading.Thread(
                target=lambda: peak.append(_watch(run.pid, lambda: run.poll() is not None))
            )
            watcher.start()
            run.wait()
            watcher.join()
        seconds = time.perf_counter() - started
        reported = {int(line.split(b":")[1]) for line in (folder / "stderr.txt").read_bytes().splitlines()
                    if line.startswith(str(source).encode() + b":")}  # fmt: skip
        written: list[int] = []
        with open(output, "rb") as f:
            for line in f:
                line.decode("utf-8")  # strict: the output is UTF-8
                written.append(int(line[len(b'{"line": ') : line.index(b",")]))
        ok = written == sorted(valid) and reported == hostile and run.returncode == 1
        print(
            f"exit status {run.returncode} in {seconds:.1f} s ({(len(valid) + len(hostile)) / seconds:,.0f} lines/s)"
        )
        print(
            f"written: {len(written):,} of {len(valid):,} valid lines; reported: {len(reported):,} of {len(hostile):,}"
        )
        print(f"peak memory of the run's processes: {(peak[0] if peak else 0) / 2**20:,.0f} MiB")
        print(f"output: {output.stat().st_size:,} bytes; every valid line written at its number: {ok}")
        print((folder / "stderr.txt").read_text(encoding="utf-8", errors="replace").splitlines()[-1])
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
