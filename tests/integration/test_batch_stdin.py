"""A batch run on standard input, in a real process: bytes that are not UTF-8 go in, only
UTF-8 comes out, and the input file can never be the output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, BinaryIO

from acupoints.render.escape import markdown, terminal
from data.paths import ROOT

GOOD = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]}


def _run(args: list[str], stdin: bytes | BinaryIO, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    """``python -m acupoints ARGS`` from this checkout, with ``stdin`` as its input (bytes or a file)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    given: dict[str, Any] = {"input": stdin} if isinstance(stdin, bytes) else {"stdin": stdin}
    return subprocess.run(
        [sys.executable, "-m", "acupoints", *args], capture_output=True, cwd=cwd, env=env, timeout=120,
        check=False, **given,
    )  # fmt: skip


def test_bytes_that_are_not_utf8_never_make_the_output_invalid() -> None:
    lines = [
        json.dumps({"id": "ok-1", **GOOD}).encode(),
        b'{"id": "caf\xe9", "complaints": []}',  # Latin-1, not UTF-8
        b'{"id": "\xed\xa0\x80", ' + json.dumps(GOOD).encode()[1:],  # an encoded surrogate
        b'{"id": "\\udc80", ' + json.dumps(GOOD).encode()[1:],  # an escaped lone surrogate
        b"\xff\xfe\x00{",
        json.dumps({"id": "天柱 🙂\u001b[2J", **GOOD}, ensure_ascii=False).encode(),
    ]
    run = _run(["suggest-batch", "-"], b"\n".join(lines) + b"\n")
    assert run.returncode == 1
    text = run.stdout.decode("utf-8")  # strict: raises on any byte that is not UTF-8
    assert [(r["line"], r["case"]) for r in map(json.loads, text.splitlines())] == [
        (1, "ok-1"), (6, "天柱 🙂\u001b[2J"),
    ]  # fmt: skip
    err = run.stderr.decode("utf-8")
    assert [line.split(":")[1] for line in err.splitlines()[:4]] == ["2", "3", "4", "5"]
    assert "\x1b" not in err


def test_the_table_and_markdown_escape_what_the_case_says() -> None:
    case_id = "x\u001b[2J<script>alert(1)</script>\r"
    line = json.dumps({"id": case_id, **GOOD}).encode() + b"\n"
    table = _run(["suggest-batch", "-", "--format", "table"], line).stdout.decode("utf-8")
    assert "\x1b" not in table and "\r" not in table
    assert table.startswith(f"line 1   case: {terminal(case_id)}   status: suggested")
    assert terminal(case_id) == "x\\x1b[2J<script>alert(1)</script>\\x0d"
    markdown_text = _run(["suggest-batch", "-", "--format", "markdown"], line).stdout.decode("utf-8")
    assert "<script>" not in markdown_text and "\x1b" not in markdown_text
    assert markdown_text.startswith(f"## Suggestion for {markdown(case_id)} (line 1)")


def test_standard_input_redirected_from_the_output_file_is_refused(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    before = cases.read_bytes()
    with open(cases, "rb") as stdin:
        run = _run(["suggest-batch", "-", "-o", str(cases)], stdin, cwd=tmp_path)
    assert run.returncode == 2 and b"is the input file" in run.stderr and b"Traceback" not in run.stderr
    assert cases.read_bytes() == before
