"""The README's "Use it from your software" runs as written.

Its Python block runs with every other Python block of the README (test_docs.py). Its
shell blocks run here, with bash, in a folder holding a copy of ``examples/``, with this
interpreter's ``acupoints`` command first on the path. The one change: the HTTP block's
port 8080 becomes a free port, so that the test never meets a busy one. The HTTP block
starts the service, asks it, and stops it; nothing of it may be left running after.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from data.paths import ROOT
from data.ports import free_port

SECTION = "## Use it from your software"


def section_blocks(text: str, language: str) -> list[str]:
    """The ``language`` fenced blocks of the README's integration section, in order."""
    part = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"^```{language}\n(.*?)^```$", part, flags=re.MULTILINE | re.DOTALL)


BLOCKS = section_blocks((ROOT / "README.md").read_text(encoding="utf-8"), "sh")


def test_the_section_shows_the_three_ways() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert section_blocks(text, "python"), "the Python way"
    assert len(BLOCKS) == 2 and "--format json" in BLOCKS[0] and "acupoints serve" in BLOCKS[1]


def _run(script: str, folder: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    # Its own session, so that whatever the script starts can be found (and stopped) after.
    proc = subprocess.Popen(["bash", "-e", "-c", script], cwd=folder, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        _stop_group(proc.pid)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{err}"
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _stop_group(pgid: int) -> None:
    """Wait a little for the script's processes to end; kill any left, and say so."""
    deadline = time.monotonic() + 15
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _group_alive(pgid):
        os.killpg(pgid, signal.SIGKILL)
        raise AssertionError("the script left a process running")


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


def test_the_json_way_runs_as_written(folder: Path) -> None:
    _run(BLOCKS[0], folder)
    assert json.loads((folder / "case.schema.json").read_text())["$id"] == "urn:acupoints:schema:case"
    assert json.loads((folder / "result.schema.json").read_text())["$id"] == "urn:acupoints:schema:result:1.0"
    result = json.loads((folder / "result.json").read_text())
    assert result["schema_version"] == "1.0" and result["status"] == "suggested"
    lines = [json.loads(line) for line in (folder / "results.jsonl").read_text().splitlines()]
    assert lines and all(r["schema_version"] == "1.0" and "line" in r for r in lines)


def test_the_http_way_runs_as_written(folder: Path) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("uvicorn")
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    script = BLOCKS[1].replace("8080", str(free_port()))
    done = _run(script, folder)
    # The server's access log shares standard output with curl: the result is the object in it.
    result, _ = json.JSONDecoder().raw_decode(done.stdout[done.stdout.index('{"schema_version"') :])
    assert result["status"] == "suggested" and result["schema_version"] == "1.0"
    assert {p["side"] for p in result["points"]} <= {"right", "midline"}  # the side G56.01 states
    assert "Application shutdown complete" in done.stderr
