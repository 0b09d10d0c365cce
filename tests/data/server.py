"""Run a server in its own process until it answers, then stop it with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

__all__ = ["SRC", "serve_then_interrupt"]

#: The library's sources, put first on the server process's path.
SRC = str(Path(__file__).parents[2] / "src")


def serve_then_interrupt(
    args: list[str], ask: Callable[[], httpx.Response], cwd: Path | None = None
) -> tuple[httpx.Response, str, int]:
    """Start ``python args...``, call ``ask`` until the server answers (at most a minute),
    send SIGINT, and give back the answer, the server's stderr and its exit status. The
    process is killed if anything fails on the way."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, *args], env=env, stderr=subprocess.PIPE, text=True, cwd=cwd)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                answer = ask()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, log = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return answer, log, proc.returncode
