"""The progress line of a batch run: lines reached of how many, bad lines, rate, time left.

The number of lines of an input file is counted by a thread of its own, so the run
starts at once; until the count is known (and for standard input, always) the line
shows no total and no time left. The line is redrawn at most five times a second.

>>> line = progress_text(reached=1500, total=6000, done=1200, bad=3, seconds=2.0)
>>> line
'1,200 cases, 3 bad, line 1,500 of 6,000 (25%), 750 lines/s, 0:06 left'
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import IO, Any

__all__ = ["LineCount", "Progress", "progress_text"]


class LineCount:
    """The number of lines of a file, counted in a daemon thread (``total`` is None until known)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.total: int | None = None
        self._path = path
        self._thread = threading.Thread(target=self._count, name="acupoints-line-count", daemon=True)
        self._thread.start()

    def wait(self, timeout: float) -> int | None:
        """The total, waiting up to ``timeout`` seconds for the count to end."""
        self._thread.join(timeout)
        return self.total

    def _count(self) -> None:
        lines = 0
        last = b"\n"
        try:
            with open(self._path, "rb") as f:
                while block := f.read(1 << 20):
                    lines += block.count(b"\n")
                    last = block[-1:]
        except OSError:
            return  # the run itself reports what is wrong with the file
        # A last line without its newline is a line too (as acupoints.io.lines reads it).
        self.total = lines + (last != b"\n")


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def progress_text(
    reached: int, total: int | None, done: int, bad: int, seconds: float, start: int = 0
) -> str:
    """The progress line: ``done`` cases and ``bad`` lines so far, input line ``reached``
    of ``total`` (when known); the rate counts the lines after ``start`` (where a resumed
    run began) over ``seconds``."""
    rate = (reached - start) / seconds if seconds > 0 else 0.0
    text = f"{done:,} cases, {bad:,} bad, line {reached:,}"
    if total:
        text += f" of {total:,} ({100 * reached // total}%)"
    text += f", {rate:,.0f} lines/s"
    if total and rate > 0 and reached <= total:
        text += f", {_clock((total - reached) / rate)} left"
    return text


class Progress:
    """A progress line on standard error (``on``), redrawn at most five times a second."""

    def __init__(
        self, on: bool, count: LineCount | None = None, start: int = 0, stream: IO[str] | None = None
    ) -> None:
        self.on = on
        self.count = count
        self.start_line = start
        self.stream: IO[Any] = stream if stream is not None else sys.stderr
        self.shown = False
        self.last = 0.0
        self.started = time.monotonic()

    def update(self, reached: int, done: int, bad: int, force: bool = False) -> None:
        if not self.on:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        total = self.count.total if self.count is not None else None
        text = progress_text(reached, total, done, bad, now - self.started, self.start_line)
        self.stream.write(f"\r{text}\033[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Wipe the line before something else is printed (a bad line's problem)."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.shown = False

    def done(self, reached: int, done: int, bad: int) -> None:
        """Draw the line a last time and end it."""
        if self.on:
            if self.count is not None:
                self.count.wait(0.1)  # a short input ends before its count: show the total
            self.update(reached, done, bad, force=True)
            self.stream.write("\n")
            self.stream.flush()
