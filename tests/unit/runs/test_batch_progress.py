"""The progress line of a batch run: the total when it is known, a rate and the time left."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from acupoints.runs.batch import run_batch
from acupoints.runs.progress import LineCount, progress_text

GOOD = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]}


def test_the_line_has_the_total_a_rate_and_the_time_left() -> None:
    assert (
        progress_text(50, 200, 48, 2, 5.0) == "48 cases, 2 bad, line 50 of 200 (25%), 10 lines/s, 0:15 left"
    )
    assert progress_text(50, None, 48, 2, 5.0) == "48 cases, 2 bad, line 50, 10 lines/s"
    # A resumed run counts its rate from where it began; hours show when there are any.
    assert progress_text(1_100, 400_000, 1_000, 0, 10.0, start=1_000) == (
        "1,000 cases, 0 bad, line 1,100 of 400,000 (0%), 10 lines/s, 11:04:50 left"
    )


@pytest.mark.parametrize(("data", "total"), [(b"", 0), (b"a\n", 1), (b"a\nb", 2), (b"a\n\n\nb\n", 4)])
def test_lines_are_counted_as_the_run_numbers_them(tmp_path: Path, data: bytes, total: int) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(data)
    assert LineCount(path).wait(5.0) == total


def test_a_run_on_a_file_shows_its_total(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(GOOD) + "\n" for _ in range(3)) + "\n{\n", encoding="utf-8")
    run_batch(path, io.StringIO(), progress=True)
    last = capsys.readouterr().err.split("\r")[-1]
    assert last.startswith("3 cases, 1 bad, line 5 of 5 (100%), ") and "lines/s" in last
