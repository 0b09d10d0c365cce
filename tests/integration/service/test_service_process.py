"""serve(), the function behind ``acupoints serve``: a clean start, and a clean stop on Ctrl-C."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from acupoints import LoadError
from acupoints.service import serve
from data.ports import free_port
from data.server import serve_then_interrupt


def test_serve_starts_answers_and_stops_cleanly_on_interrupt() -> None:
    port = free_port()
    code = f"from acupoints.service import serve; serve('127.0.0.1', {port})"
    answer, log, status = serve_then_interrupt(
        ["-c", code], lambda: httpx.get(f"http://127.0.0.1:{port}/cds-services", timeout=2)
    )
    assert answer.status_code == 200
    assert status == 0, log
    assert "Application startup complete" in log and "Application shutdown complete" in log, log
    assert "Traceback" not in log and "ERROR" not in log, log


def test_serve_refuses_bad_rules_before_listening(tmp_path: Path) -> None:
    broken = tmp_path / "mine.yaml"
    broken.write_text("pack: mine\nrules: [{id: x}]\n", encoding="utf-8")
    with pytest.raises(LoadError):
        serve("127.0.0.1", free_port(), rules=[str(broken)])
