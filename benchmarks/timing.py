"""Small timing helpers: repeated runs, medians, percentiles."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Timed:
    """The wall-clock times of several runs over the same work, and what each returned."""

    seconds: tuple[float, ...]
    cpu_seconds: tuple[float, ...]
    results: tuple[Any, ...]

    @property
    def result(self) -> Any:
        """What the last run returned."""
        return self.results[-1]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)

    def rate(self, n: int) -> float:
        """Items per second of wall-clock time, from the median run."""
        return n / self.median

    def cpu_rate(self, n: int) -> float:
        """Items per second of the process's CPU time, from the median run."""
        return n / self.cpu_median


def repeat(fn: Callable[[], T], runs: int, setup: Callable[[], Any] | None = None) -> Timed:
    """Run ``fn`` ``runs`` times, ``setup`` untimed before each.

    Both the wall-clock time and the process's CPU time are taken: on a machine shared
    with other work the CPU time is the steadier measure of what one core does. The
    garbage collector runs as usual (its cost is part of the real cost); it is only
    emptied before each run so one run does not pay for the last.
    """
    seconds = []
    cpu = []
    results = []
    for _ in range(runs):
        if setup is not None:
            setup()
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        cpu.append(time.process_time() - start_cpu)
        seconds.append(time.perf_counter() - start)
        results.append(result)
    return Timed(tuple(seconds), tuple(cpu), tuple(results))


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0 to 1) of sorted values, nearest rank."""
    if not sorted_values:
        raise ValueError("no values")
    k = min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[k]
