"""serve(), the function behind ``acupoints serve``: a clean start, and a clean stop on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from acupoints import LoadError
from acupoints.service import serve
from data.ports import free_port


def test_serve_starts_answers_and_stops_cleanly_on_interrupt() -> None:
    port = free_port()
    src = str(Path(__file__).parents[3] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    code = f"from acupoints.service import serve; serve('127.0.0.1', {port})"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/cds-services", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert answer.status_code == 200
        proc.send_signal(signal.SIGINT)
        _, log = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, log
    assert "Application startup complete" in log and "Application shutdown complete" in log, log
    assert "Traceback" not in log and "ERROR" not in log, log


def test_serve_refuses_bad_rules_before_listening(tmp_path: Path) -> None:
    broken = tmp_path / "mine.yaml"
    broken.write_text("pack: mine\nrules: [{id: x}]\n", encoding="utf-8")
    with pytest.raises(LoadError):
        serve("127.0.0.1", free_port(), rules=[str(broken)])
