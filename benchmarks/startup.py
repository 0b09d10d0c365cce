"""Workload 4: whole-process start-up times, each in a new interpreter.

Bytecode caches are allowed (a normal install has them): one untimed run of each command
comes first, with ``PYTHONDONTWRITEBYTECODE`` removed from the environment, so the timed
runs measure what a user sees on the second and later runs, not compilation.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "c6-right.yaml"


@dataclass(frozen=True)
class StartupRow:
    name: str
    command: tuple[str, ...]
    median_s: float
    best_s: float
    runs: tuple[float, ...]


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("acupoints")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "acupoints.cli.main"]


def commands() -> list[tuple[str, list[str]]]:
    """The commands timed, by name."""
    py = sys.executable
    return [
        ("python -c pass (the interpreter alone)", [py, "-c", "pass"]),
        ("import acupoints", [py, "-c", "import acupoints"]),
        ("import acupoints; Engine.default()", [py, "-c", "import acupoints; acupoints.Engine.default()"]),
        (
            "import, Engine.default(), suggest one case",
            [py, "-c", f"import acupoints; acupoints.suggest(acupoints.Case.from_file({str(EXAMPLE)!r}))"],
        ),
        ("acupoints suggest examples/c6-right.yaml (CLI, table)", [*_cli(), "suggest", str(EXAMPLE)]),
        (
            "acupoints suggest examples/c6-right.yaml --format json",
            [*_cli(), "suggest", str(EXAMPLE), "--format", "json"],
        ),
    ]


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run_startup(runs: int) -> list[StartupRow]:
    """Median and best of ``runs`` fresh processes for each command."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = []
    for name, cmd in commands():
        _time(cmd, env)  # untimed: writes bytecode caches where they are missing
        times = tuple(_time(cmd, env) for _ in range(runs))
        out.append(StartupRow(name, tuple(cmd), statistics.median(times), min(times), times))
    return out
