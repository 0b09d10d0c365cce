"""Which process runs which lines: never slower with more workers than with one.

Starting workers costs about a second (a process, the library, the graph), during which
one process would have run thousands of lines. So a run with ``workers > 1`` begins in
its own process, line by line, exactly like a run with one worker, and starts the
workers only once it has run for :data:`PARALLEL_AFTER` seconds and at least
:data:`MIN_REMAINING` seconds of work seem left (always, when the number of lines is
not known). It goes on with its own lines while the workers warm up, and hands every
chunk to them once all are ready. A small input never starts a worker; a large one
loses no time to their start.

``adaptive=False`` starts the workers at once and gives them every line (tests use it
to be sure the workers run). If the workers cannot start, an adaptive run goes on by
itself; one with ``adaptive=False`` stops with :class:`~.pool.WorkerError`.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

from .outcome import ChunkOutcome, StreamLike, run_one
from .pool import Pool, WorkerError

if TYPE_CHECKING:
    from ..engine.engine import Engine
    from .progress import LineCount

__all__ = ["MIN_REMAINING", "PARALLEL_AFTER", "outcomes"]

#: Seconds of work in the run's own process before workers are started.
PARALLEL_AFTER = 0.5
#: Workers start only if the lines left seem to need at least this many seconds.
MIN_REMAINING = 1.5
#: How often (in seconds) the run looks at its workers while it runs lines itself.
_LOOK_EVERY = 0.05


def _worth_it(total: int | None, reached: int, first: int, elapsed: float) -> bool:
    if total is None:
        return True
    done = reached - first + 1
    left = total - reached
    return done > 0 and left * elapsed / done >= MIN_REMAINING


def outcomes(
    engine: Engine,
    name: str,
    lines: Iterator[tuple[int, bytes | str]],
    stream: StreamLike,
    stream_name: str,
    workers: int = 1,
    chunk_size: int = 256,
    count: LineCount | None = None,
    adaptive: bool = True,
) -> Generator[ChunkOutcome, None, None]:
    """The outcomes of ``lines``, in input order: one a line while the run's own process
    runs them, one a chunk of ``chunk_size`` lines once the workers do."""
    if workers == 1:
        for number, raw in lines:
            yield run_one(engine, name, number, raw, stream)
        return
    pool: Pool | None = None
    try:
        if adaptive:
            started = last_look = time.monotonic()
            first = 0
            alone = False  # True once workers failed to start: the run goes on by itself
            for line in lines:
                first = first or line[0]
                yield run_one(engine, name, line[0], line[1], stream)
                now = time.monotonic()
                if alone or now - last_look < _LOOK_EVERY:
                    continue
                last_look = now
                if pool is None:
                    total = count.total if count is not None else None
                    if now - started >= PARALLEL_AFTER and _worth_it(total, line[0], first, now - started):
                        pool = Pool(engine, name, stream_name, workers)
                    continue
                try:
                    if pool.poll_ready():
                        break
                except WorkerError:
                    pool.close()
                    alone = True
            else:
                return  # every line ran here
        if pool is None:
            pool = Pool(engine, name, stream_name, workers)
            while not pool.poll_ready(timeout=0.5):
                pass
        exhausted = False
        while True:
            while not exhausted and not pool.busy:
                chunk = list(itertools.islice(lines, chunk_size))
                if chunk:
                    pool.submit(chunk)
                else:
                    exhausted = True
            if not pool.pending:
                return
            yield pool.next()
    finally:
        if pool is not None:
            pool.close()
