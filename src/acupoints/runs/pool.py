"""Worker processes for a batch run: chunks out in turn, outcomes back in input order.

Each worker has two pipes of its own: chunks come in on one, outcomes go back on the
other. The run keeps only the ends it uses, so a worker whose run has gone (stopped,
killed, even with ``kill -9``) reads the end of its input and exits: no worker outlives
its run. A thread per worker sends its chunks, so the run never waits on a full pipe
while a worker waits on it; the run itself reads the outcomes, in order.

Workers ignore SIGINT (Ctrl-C reaches every process of the terminal's group; the run
stops them itself) and are ended by :meth:`Pool.close`: asked with SIGTERM, then
killed if they linger.

A worker that dies on a chunk (killed from outside, or a crash in C) loses that chunk:
its lines are run again, one line a chunk, by a new worker, so that only a line that
kills a worker twice is reported as bad, and the run goes on.
"""

from __future__ import annotations

import collections
import contextlib
import pickle
import queue
import signal
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..base.errors import AcupointsError, Problem
from .outcome import BadLine, ChunkOutcome, is_blank, run_chunk, stream_of

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from ..engine.engine import Engine

__all__ = ["Pool", "WorkerError", "start_method"]

Lines = list[tuple[int, "bytes | str"]]
#: A worker has this long to end after SIGTERM before it is killed.
GRACE_SECONDS = 2.0
_READY = b"ready"


class WorkerError(AcupointsError, RuntimeError):
    """Worker processes keep dying before they run anything: the run cannot go on."""


#: What the fork server imports once, so that each worker starts with them imported.
PRELOAD = [
    "__main__",
    "acupoints.runs.pool",
    "acupoints.engine.engine",
    "acupoints.render.formats",
    "networkx",
]


def start_method() -> Any:
    """The multiprocessing context: never "fork" (forking a process with threads may
    deadlock); "forkserver" where there is one (fast starts), else "spawn"."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)  # no effect once the fork server runs
        return context
    return multiprocessing.get_context("spawn")


def _worker(name: str, stream_name: str, tasks: Connection, results: Connection) -> None:
    """A worker's life: get the engine, warm up, say so, then run chunks until its input ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stream = stream_of(stream_name)
    try:
        # The engine comes on the pipe, not with the process: a start that carries 200 kB
        # waits until the new process has read them all.
        engine: Engine = pickle.loads(tasks.recv_bytes())
    except (EOFError, OSError):
        return
    # The first case builds the graph and the rule index (half a second): do it before
    # saying ready, so that no chunk waits on it.
    engine.suggest({"complaints": [{"region": "foot", "sensations": ["numbness"]}]})
    try:
        results.send_bytes(_READY)
        while True:
            lines = pickle.loads(tasks.recv_bytes())
            outcome = run_chunk(engine, name, lines, stream)
            results.send_bytes(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))
    except (EOFError, OSError):  # the run has ended or gone: so does the worker
        return


@dataclass
class _Worker:
    process: Any
    tasks: Connection
    results: Connection
    outbox: queue.SimpleQueue[bytes | None] = field(default_factory=queue.SimpleQueue)
    ready: bool = False
    alive: bool = True


def _send_all(worker: _Worker) -> None:
    """The sending thread of one worker: its chunks, in order, until told to stop."""
    while True:
        payload = worker.outbox.get()
        if payload is None:
            return
        try:
            worker.tasks.send_bytes(payload)
        except OSError:  # the worker is gone; the run finds out when it reads
            return


@dataclass
class _Sent:
    worker: int
    lines: Lines
    again: bool = False  # a lost chunk being run again, a line at a time


class Pool:
    """``workers`` processes, each with a copy of ``engine``, running chunks of lines.

    :meth:`submit` hands out chunks in turn; :meth:`next` gives the outcome of the
    oldest chunk not yet taken. At most ``depth`` chunks per worker are out at once.
    """

    def __init__(self, engine: Engine, name: str, stream_name: str, workers: int, depth: int = 2) -> None:
        self._engine = pickle.dumps(engine, pickle.HIGHEST_PROTOCOL)
        self._name = name
        self._stream_name = stream_name
        self._context = start_method()
        self._workers: list[_Worker] = []
        self._sent: collections.deque[_Sent] = collections.deque()
        self._turn = 0
        self.limit = workers * depth
        self.closed = False
        #: Workers that died since the last chunk that came back (see _replace).
        self._deaths = 0
        # Starting waits for the fork server's first start (it imports the library once,
        # a second or two): a thread does it, while the run goes on with its own lines.
        self._lock = threading.Lock()
        self._failed: BaseException | None = None
        self._starting = threading.Thread(
            target=self._start_all, args=(workers,), daemon=True, name="acupoints-batch-start"
        )
        self._starting.start()

    def _start_all(self, workers: int) -> None:
        try:
            for _ in range(workers):
                with self._lock:
                    if self.closed:
                        return
                    self._workers.append(self._start())
        except Exception as exc:  # no process, no pipe: the run is told by poll_ready
            self._failed = exc

    def _start(self) -> _Worker:
        task_r, task_w = self._context.Pipe(duplex=False)
        result_r, result_w = self._context.Pipe(duplex=False)
        args = (self._name, self._stream_name, task_r, result_w)
        process = self._context.Process(target=_worker, args=args, daemon=True, name="acupoints-batch-worker")
        process.start()
        # The worker's ends now live in the worker only: when the run goes, its input ends.
        task_r.close()
        result_w.close()
        worker = _Worker(process, task_w, result_r)
        worker.outbox.put(self._engine)
        threading.Thread(target=_send_all, args=(worker,), daemon=True, name="acupoints-batch-send").start()
        return worker

    # -- readiness ------------------------------------------------------------------
    def poll_ready(self, timeout: float = 0.0) -> bool:
        """True once every worker has warmed up (waits up to ``timeout`` seconds).
        Raises :class:`WorkerError` when the workers could not be started."""
        from multiprocessing.connection import wait

        self._starting.join(timeout)
        if self._starting.is_alive():
            return False
        if self._failed is not None:
            raise WorkerError(f"the worker processes could not start: {self._failed}")
        waiting = [w for w in self._workers if not w.ready]
        if waiting and wait([w.results for w in waiting], timeout):
            for w in waiting:
                if w.results.poll():
                    try:
                        w.ready = w.results.recv_bytes() == _READY
                    except (EOFError, OSError):
                        self._replace(self._workers.index(w))
        return all(w.ready for w in self._workers)

    # -- chunks ---------------------------------------------------------------------
    @property
    def size(self) -> int:
        """How many workers run chunks."""
        return len(self._workers)

    @property
    def busy(self) -> bool:
        """True when as many chunks are out as the pool allows."""
        return len(self._sent) >= self.limit

    @property
    def pending(self) -> int:
        return len(self._sent)

    def submit(self, lines: Lines) -> None:
        """Hand a chunk to the next worker in turn."""
        index = self._turn
        self._turn = (self._turn + 1) % len(self._workers)
        self._sent.append(_Sent(index, lines))
        self._workers[index].outbox.put(pickle.dumps(lines, pickle.HIGHEST_PROTOCOL))

    def next(self) -> ChunkOutcome:
        """The outcome of the oldest chunk out (waits for it)."""
        sent = self._sent[0]
        worker = self._workers[sent.worker]
        while True:
            try:
                if not worker.ready:  # a new worker: its first message says it is ready
                    worker.ready = worker.results.recv_bytes() == _READY
                    continue
                outcome: ChunkOutcome = pickle.loads(worker.results.recv_bytes())
            except (EOFError, OSError):
                reported = self._lost(sent.worker)
                if reported is None:
                    sent = self._sent[0]
                    worker = self._workers[sent.worker]
                    continue
                outcome = reported
            self._sent.popleft()
            self._deaths = 0
            return outcome

    def _lost(self, index: int) -> ChunkOutcome | None:
        """A worker died: its chunks go again, a line at a time, to a new worker. A line
        that was alone when its worker died is reported instead (the outcome returned)."""
        self._replace(index)
        oldest = self._sent[0]
        report = oldest.again and len(oldest.lines) == 1
        again: collections.deque[_Sent] = collections.deque()
        for k, sent in enumerate(self._sent):
            if sent.worker != index or (k == 0 and report):
                again.append(sent)
                continue
            for line in sent.lines:  # in order, each alone, all to the new worker
                again.append(_Sent(index, [line], again=True))
                self._workers[index].outbox.put(pickle.dumps([line], pickle.HIGHEST_PROTOCOL))
        self._sent = again
        if not report:
            return None
        number, raw = oldest.lines[0]
        if is_blank(raw):
            return ChunkOutcome(number, number, b"", 0, 0, 1, ())
        problem = Problem(self._name, number, 1, "worker-died", "the worker process running this line died")
        return ChunkOutcome(number, number, b"", 0, 0, 0, (BadLine(number, 0, (problem,)),))

    def _replace(self, index: int) -> None:
        self._deaths += 1
        if self._deaths > 2 * len(self._workers) + 2:
            raise WorkerError(f"{self._deaths} worker processes died one after another; the run stops here")
        old = self._workers[index]
        old.outbox.put(None)
        self._end(old)
        self._workers[index] = self._start()

    # -- the end --------------------------------------------------------------------
    def _end(self, worker: _Worker) -> None:
        for conn in (worker.tasks, worker.results):
            with contextlib.suppress(OSError):
                conn.close()
        worker.alive = False

    def close(self) -> None:
        """Stop every worker now (their chunks are dropped) and wait until they are gone."""
        with self._lock:  # no worker starts after this
            if self.closed:
                return
            self.closed = True
        for w in self._workers:
            w.outbox.put(None)
            if w.process.is_alive():
                with contextlib.suppress(OSError):
                    w.process.terminate()
        for w in self._workers:
            w.process.join(GRACE_SECONDS)
            if w.process.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
                w.process.kill()
                w.process.join(GRACE_SECONDS)
            self._end(w)
        self._sent.clear()
