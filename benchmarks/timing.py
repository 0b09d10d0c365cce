"""Small timing helpers: repeated runs, medians, percentiles."""

from __future__ import annotations

import gc
import itertools
import math
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

#: How :func:`interleave` treats the garbage collector, as the speed guard's baseline
#: records it: a ratio timed another way is not comparable.
COLLECTION = "automatic collection off in the turns, each turn collecting its own young objects"


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


def _once(fn: Callable[[], T], setup: Callable[[], Any] | None) -> tuple[float, float, T]:
    """One timed run of ``fn`` (``setup`` untimed before it): wall seconds, CPU seconds, result."""
    if setup is not None:
        setup()
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    result = fn()
    cpu = time.process_time() - start_cpu
    return time.perf_counter() - start, cpu, result


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
        wall, used, result = _once(fn, setup)
        seconds.append(wall)
        cpu.append(used)
        results.append(result)
    return Timed(tuple(seconds), tuple(cpu), tuple(results))


def interleave(
    variants: Sequence[tuple[Callable[[range], Any], Callable[[], Any] | None]],
    n: int,
    runs: int,
    chunk: int,
    warmup: int = 1,
    seed: int = 0,
) -> list[Timed]:
    """Time several variants over the same ``n`` items, taking turns chunk by chunk.

    A variant is ``(step, setup)``: ``setup`` (untimed, before each run) prepares it,
    ``step(indices)`` does its work on the items at ``indices``. Each run hands every
    variant the items ``chunk`` at a time, in turns, so that a swing of the machine, even
    within a run, falls on every variant alike.

    The order of the turns matters. A new engine's first chunks cost the most, and which
    variant goes first there changes a run's times by up to a sixth: so the first chunk
    of run r takes the variants rotated by r (a b c, then b c a, then c a b), and
    ``runs`` is rounded up to a multiple of their number, so each variant opens as many
    runs; the setups go in the same order. Later chunks take an order drawn at random
    (seeded by ``seed``) from every possible one, so that no variant keeps following the
    same other one. The first ``warmup`` runs are not kept (a process's first round of work runs slower than the later ones).
    One :class:`Timed` per variant, in order; a run's time is the sum over its chunks,
    and its result is None.

    The garbage collector's automatic runs are off within a run (:data:`COLLECTION`). Left
    on, its full collections walk every variant's long-lived objects but fall in the turn
    of whichever variant's allocations set them off: a variant that allocates much (a
    reference loop) then pays for walking the caches of another (an engine), so the
    ratio of two variants moves with how much the *other* keeps. Instead each turn ends
    by collecting the young objects it made itself, on its own clock, and the full
    collection comes between runs, untimed.
    """
    if chunk < 1 or n < 1:
        raise ValueError(f"need items and a chunk size of at least 1, not n={n}, chunk={chunk}")
    chunks = [range(i, min(i + chunk, n)) for i in range(0, n, chunk)]
    m = len(variants)
    orders = list(itertools.permutations(range(m)))
    runs = -(-runs // m) * m
    rng = random.Random(seed)
    seconds: list[list[float]] = [[] for _ in variants]
    cpu: list[list[float]] = [[] for _ in variants]
    for run in range(-warmup, runs):
        first = tuple((run + j) % m for j in range(m))
        for i in first:
            setup = variants[i][1]
            if setup is not None:
                setup()
        gc.collect()
        wall = [0.0] * m
        used = [0.0] * m
        gc.disable()
        try:
            for k, indices in enumerate(chunks):
                for i in first if k == 0 else rng.choice(orders):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    variants[i][0](indices)
                    gc.collect(0)
                    used[i] += time.process_time() - start_cpu
                    wall[i] += time.perf_counter() - start
        finally:
            gc.enable()
        if run >= 0:
            for i in range(m):
                seconds[i].append(wall[i])
                cpu[i].append(used[i])
    return [Timed(tuple(s), tuple(c), (None,) * len(s)) for s, c in zip(seconds, cpu, strict=True)]


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0 to 1) of sorted values, nearest rank."""
    if not sorted_values:
        raise ValueError("no values")
    k = min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[k]
