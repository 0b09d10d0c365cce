"""Stopping a run cleanly on SIGINT and SIGTERM, between two chunks, never inside one.

A handler that raised anywhere could cut a chunk's writing in two, and leave the output,
the counts and the checkpoint disagreeing about where the run got to. Here the stop
is raised at once while the run waits (for a line of input, for a worker), but while a
chunk is being written and counted it waits for the end of the chunk; a second signal
stops at once (the writing may be stuck on a full pipe). The checkpoint only ever
records a chunk's end (``batch._Mark``), so even that stop loses nothing.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

__all__ = ["Signals", "Stop"]


class Stop(BaseException):
    """Raised in the main thread by SIGINT or SIGTERM (a BaseException: no ``except
    Exception`` of a line may swallow it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.name = signal.Signals(signum).name


class Signals:
    """While a run lasts, SIGINT and SIGTERM raise :class:`Stop` in the main thread; but
    not while a chunk's results are written and counted (:meth:`holding`): then the stop
    waits for the end of the chunk, so that counts, output and checkpoint always agree."""

    def __init__(self, on: bool) -> None:
        self.on = on and threading.current_thread() is threading.main_thread()
        self._before: dict[int, Any] = {}
        self._held = False
        self._pending: int | None = None
        self._hold = _Holding(self)

    def _handle(self, signum: int, frame: Any) -> None:
        # A second signal stops at once, even inside a chunk: the writing may be stuck
        # (a full pipe that nobody reads), and the caller insists.
        if self._held and self._pending is None:
            self._pending = signum
        else:
            raise Stop(signum)

    def __enter__(self) -> Signals:
        if self.on:
            self._before = {s: signal.signal(s, self._handle) for s in (signal.SIGINT, signal.SIGTERM)}
        return self

    def __exit__(self, *exc: object) -> None:
        for s, handler in self._before.items():
            signal.signal(s, handler)

    def quiet(self) -> None:
        """Ignore them while a run cleans up: a second Ctrl-C must not cut that short."""
        for s in self._before:
            signal.signal(s, signal.SIG_IGN)

    def holding(self) -> _Holding:
        """``with signals.holding():`` a chunk is written and counted whole; a stop that
        comes meanwhile is raised at its end."""
        return self._hold


class _Holding:
    """The context of :meth:`Signals.holding` (a class, not a generator: it runs once a line)."""

    def __init__(self, signals: Signals) -> None:
        self._signals = signals

    def __enter__(self) -> None:
        self._signals._held = True

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        signals = self._signals
        signals._held = False
        if kind is None and signals._pending is not None:
            raise Stop(signals._pending)
