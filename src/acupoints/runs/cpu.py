"""How much CPU the machine leaves idle: whether worker processes could run at all.

Workers only pay when there are cores for them. On a machine whose cores are already
busy with other work, two processes get no more CPU than one, and the workers' start
(a fork server, the library imported again) is pure loss. So before a batch run starts
its workers it measures, over the time it has been running by itself, how many cores
stood idle: Linux counts every CPU's idle time in ``/proc/stat``. Where there is no
such file the answer is "unknown", and the run starts its workers as it would anyway.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["IdleMeter", "idle_cores"]

STAT = Path("/proc/stat")


def _times(stat: Path) -> tuple[int, int] | None:
    """(idle, total) CPU time of all CPUs so far, in clock ticks; None when unknown."""
    try:
        with stat.open(encoding="ascii") as f:
            first = f.readline().split()
    except OSError:
        return None
    if not first or first[0] != "cpu" or len(first) < 5:
        return None
    try:
        # user nice system idle iowait irq softirq steal (guest time is counted in user).
        ticks = [int(x) for x in first[1:9]]
    except ValueError:
        return None
    return ticks[3] + ticks[4], sum(ticks)


def idle_cores(before: tuple[int, int], after: tuple[int, int], cpus: int) -> float | None:
    """The cores that stood idle on average between two readings (None: too short to tell).

    >>> idle_cores((100, 1000), (150, 1200), 2)  # 50 of 200 ticks idle on 2 CPUs
    0.5
    """
    idle, total = after[0] - before[0], after[1] - before[1]
    if total < 10:
        return None
    return cpus * idle / total


class IdleMeter:
    """Idle cores since the meter was (re)started; ``stat`` is the file read (for tests)."""

    def __init__(self, stat: Path = STAT) -> None:
        self._stat = stat
        self._cpus = os.cpu_count() or 1
        self._start = _times(stat)

    def restart(self) -> None:
        """Measure from now on."""
        self._start = _times(self._stat)

    def idle(self) -> float | None:
        """The average number of idle cores since the start; None when it cannot be told."""
        now = _times(self._stat)
        if self._start is None or now is None:
            return None
        return idle_cores(self._start, now, self._cpus)
