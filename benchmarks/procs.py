"""Processes by their ids, read from Linux's ``/proc``: a process's descendants, whether
it still runs, and its resident memory.

The soak benchmark sums the memory of a run and its workers, and the signal tests check
that no process of a stopped run is left; both need only these three questions, so they
need no library (psutil) beyond the standard one.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["descendants", "parent", "resident_bytes", "running"]

PROC = Path("/proc")


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (state first), or None."""
    try:
        text = (PROC / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name is in parentheses and may itself hold spaces and parentheses.
    return text[text.rindex(")") + 2 :].split()


def parent(pid: int) -> int | None:
    """The id of the parent of ``pid``, or None when it has gone."""
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def descendants(pid: int) -> list[int]:
    """The ids of every process under ``pid`` (children, their children ...)."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            up = parent(int(entry.name))
            if up is not None:
                children.setdefault(up, []).append(int(entry.name))
    found: list[int] = []
    todo = list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo += children.get(child, [])
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` still runs: it exists and is not a zombie waiting to be reaped."""
    fields = _stat(pid)
    if fields is None:
        try:
            os.kill(pid, 0)  # no /proc entry to read: ask the system
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return fields[0] not in ("Z", "X")


def resident_bytes(pid: int) -> int:
    """The resident memory of ``pid`` in bytes (0 when it has gone)."""
    try:
        for line in (PROC / str(pid) / "status").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0
