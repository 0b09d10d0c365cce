"""Which process runs which lines: never slower with more workers than with one.

Starting workers costs about a second (a process, the library, the graph), during which
one process would have run thousands of lines. So a run with ``workers > 1`` begins in
its own process, line by line, exactly like a run with one worker, and starts the
workers only once it has run for :data:`PARALLEL_AFTER` seconds, at least
:data:`MIN_REMAINING` seconds of work seem left (always, when the number of lines is
not known), and at least :data:`MIN_IDLE` cores stood idle meanwhile (:mod:`.cpu`:
where every core is busy with other work, two processes get no more CPU than one, and
the workers' start would be pure loss; the run looks again every half second). It goes on with its own lines while the workers warm up, and hands every
chunk to them once all are ready. A small input never starts a worker; a large one
loses no time to their start. Once the workers are warm their speed is measured, once:
if they go slower than the run went by itself (cores busy with other work), the run
takes back what they hold, ends them and goes on by itself.

``adaptive=False`` starts the workers at once and gives them every line (tests use it
to be sure the workers run). If the workers cannot start, an adaptive run goes on by
itself; one with ``adaptive=False`` stops with :class:`~.pool.WorkerError`.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

from .cpu import IdleMeter
from .outcome import ChunkOutcome, StreamLike, run_one
from .pool import Pool, WorkerError

if TYPE_CHECKING:
    from ..engine.engine import Engine
    from .progress import LineCount

__all__ = ["MIN_IDLE", "MIN_REMAINING", "PARALLEL_AFTER", "outcomes"]

#: Seconds of work in the run's own process before workers are started.
PARALLEL_AFTER = 0.5
#: Workers start only if the lines left seem to need at least this many seconds.
MIN_REMAINING = 1.5
#: ... and only while at least this many cores stand idle beside the run (looked at
#: again every PARALLEL_AFTER seconds): on busy cores workers cannot gain.
MIN_IDLE = 0.5
#: How often (in seconds) the run looks at its workers while it runs lines itself.
_LOOK_EVERY = 0.05
#: The workers' speed is judged after each has run this many chunks (their caches warm),
#: over as many chunks again and at least :data:`_JUDGE_AFTER` seconds.
_WARM_CHUNKS = 2
_JUDGE_AFTER = 1.0


def _worth_it(total: int | None, reached: int, first: int, elapsed: float) -> bool:
    if total is None:
        return True
    done = reached - first + 1
    left = total - reached
    return done > 0 and left * elapsed / done >= MIN_REMAINING


def _alone(
    engine: Engine, name: str, lines: Iterator[tuple[int, bytes | str]], stream: StreamLike
) -> Generator[ChunkOutcome, None, None]:
    for number, raw in lines:
        yield run_one(engine, name, number, raw, stream)


def _warming(
    engine: Engine,
    name: str,
    lines: Iterator[tuple[int, bytes | str]],
    stream: StreamLike,
    stream_name: str,
    workers: int,
    count: LineCount | None,
) -> Generator[ChunkOutcome, None, tuple[Pool | None, float]]:
    """Lines run here, one by one, until the workers (started when worth it) are ready.

    Returns the ready pool (None: every line ran here) and this process's own pace, which
    the workers must beat: the better of its rate before the workers started and while
    they started. On a busy machine their start takes CPU from this process, so the
    second alone would understate it and keep workers that lose. The clock starts after
    the first line, which builds the graph and the rule index."""
    started = last_look = looked_idle = 0.0
    first = since_pool = 0
    own = 0.0
    meter = IdleMeter()
    pool: Pool | None = None
    pool_started = 0.0
    alone = False  # True once workers failed to start: the run goes on by itself
    for line in lines:
        yield run_one(engine, name, line[0], line[1], stream)
        now = time.monotonic()
        if not started:
            started = last_look = looked_idle = now
            meter.restart()
            continue
        first = first or line[0]
        since_pool += 1
        if alone or now - last_look < _LOOK_EVERY:
            continue
        last_look = now
        if pool is None:
            total = count.total if count is not None else None
            if now - started >= PARALLEL_AFTER and _worth_it(total, line[0], first, now - started):
                if now - looked_idle < PARALLEL_AFTER:
                    continue
                idle, looked_idle = meter.idle(), now
                if idle is not None and idle < MIN_IDLE:  # no core for a worker: look again later
                    meter.restart()
                    continue
                own = since_pool / (now - started)
                pool, pool_started, since_pool = Pool(engine, name, stream_name, workers), now, 0
            continue
        try:
            if pool.poll_ready():
                return pool, max(own, since_pool / max(now - pool_started, 1e-9))
        except WorkerError:
            pool.close()
            alone = True
    if pool is not None:
        pool.close()
    return None, 0.0


def _shared(
    pool: Pool, lines: Iterator[tuple[int, bytes | str]], chunk_size: int, own_rate: float | None
) -> Generator[ChunkOutcome, None, bool]:
    """Chunks run by the workers, outcomes in order. Returns True when the run should go
    on by itself: the workers, once warm, went slower than this process alone (a machine
    whose cores are busy with other work)."""
    exhausted = False
    taken = lines_done = 0
    window_start = 0.0
    while True:
        while not exhausted and not pool.busy:
            chunk = list(itertools.islice(lines, chunk_size))
            if chunk:
                pool.submit(chunk)
            else:
                exhausted = True
        if not pool.pending:
            return False
        outcome = pool.next()
        yield outcome
        if own_rate is None:
            continue
        taken += 1
        if taken == _WARM_CHUNKS * pool.size:  # each worker has run a few chunks: time from here
            window_start = time.monotonic()
        elif taken > _WARM_CHUNKS * pool.size:
            lines_done += outcome.last - outcome.first + 1
            elapsed = time.monotonic() - window_start
            if taken >= 2 * _WARM_CHUNKS * pool.size and elapsed >= _JUDGE_AFTER:
                if lines_done / elapsed < own_rate:
                    while pool.pending:  # what the workers hold is taken first, in order
                        yield pool.next()
                    return True
                own_rate = None  # judged once: the workers pay


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
        yield from _alone(engine, name, lines, stream)
        return
    pool: Pool | None = None
    try:
        own_rate: float | None = None
        if adaptive:
            pool, own_rate = yield from _warming(engine, name, lines, stream, stream_name, workers, count)
            if pool is None:
                return
        else:
            pool = Pool(engine, name, stream_name, workers)
            while not pool.poll_ready(timeout=0.5):
                pass
        if (yield from _shared(pool, lines, chunk_size, own_rate)):
            pool.close()
            yield from _alone(engine, name, lines, stream)
    finally:
        if pool is not None:
            pool.close()
