"""Where a batch run writes: the whole file or nothing, never the input, a clean error for
every place it cannot write, a checkpoint to resume from, and the exit statuses."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from acupoints.cli.main import main
from acupoints.runs import target as target_module
from acupoints.runs.batch import EXIT, run_batch
from acupoints.runs.resume import Checkpoint, ResumeError, checkpoint_path
from acupoints.runs.target import OutputError, SameFileError, check_output, write_atomically
from data.faults import FaultyEngine, FullDisk

GOOD = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]}
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "c6-right.yaml"


def write_cases(path: Path, ids: list[str], bad: dict[int, str] | None = None) -> Path:
    lines = [json.dumps({"id": i, **GOOD}) for i in ids]
    for number, text in (bad or {}).items():
        lines[number - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- the exit statuses ------------------------------------------------------------------
def test_exit_status_tells_all_good_from_skipped_from_could_not_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out.jsonl")
    clean = write_cases(tmp_path / "clean.jsonl", ["a", "b"])
    mixed = write_cases(tmp_path / "mixed.jsonl", ["a", "b", "c"], {2: "{"})
    assert cli(capsys, "suggest-batch", str(clean), "-o", out)[0] == EXIT["ok"] == 0
    assert cli(capsys, "suggest-batch", str(mixed), "-o", out)[0] == EXIT["skipped"] == 1
    code, _, err = cli(capsys, "suggest-batch", str(tmp_path / "nope.jsonl"), "-o", out)
    assert code == EXIT["usage"] == 2 and "error[not-found]" in err
    code, _, err = cli(capsys, "suggest-batch", str(mixed), "-o", out, "--strict")
    assert code == 2 and ":2:" in err
    assert cli(capsys, "suggest-batch", str(clean), "-o", str(tmp_path))[0] == EXIT["output"] == 4


def test_a_referred_case_is_a_result_not_an_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    referred = json.dumps({"red_flags": ["saddle_anesthesia"], **GOOD})
    cases = write_cases(tmp_path / "refer.jsonl", ["a", "b"], {2: referred})
    code, out, err = cli(capsys, "suggest-batch", str(cases))
    assert code == EXIT["ok"]
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["suggested", "refer"]
    assert "(1 referred)" in err


def test_the_statuses_are_documented_in_the_errors_page() -> None:
    page = (EXAMPLE.parents[1] / "docs" / "errors.md").read_text(encoding="utf-8")
    section = page.split("## Exit statuses", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")]
    documented = {int(code) for row in rows[1:] for code in row.split(",") if code.strip().isdigit()}
    assert documented >= {*EXIT.values(), 3, 130, 143}, documented


def test_a_yaml_file_is_one_line_of_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "suggest-batch", str(EXAMPLE))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1
    assert "error[not-json-lines] this is YAML, not JSON Lines" in err and "acupoints suggest FILE" in err


# -- -o: never the input, never half a file -----------------------------------------------
def test_output_onto_the_input_is_refused_and_the_input_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = write_cases(tmp_path / "cases.jsonl", ["a", "b"])
    before = cases.read_bytes()
    os.link(cases, tmp_path / "hard.jsonl")
    os.symlink(cases, tmp_path / "link.jsonl")
    for output in (str(cases), str(tmp_path / "." / "cases.jsonl"), str(tmp_path / "hard.jsonl"),
                   str(tmp_path / "link.jsonl")):  # fmt: skip
        code, _, err = cli(capsys, "suggest-batch", str(cases), "-o", output)
        assert code == 2 and "is the input file" in err and "Traceback" not in err
    # The input named by its link, the output by its real name.
    code, _, err = cli(capsys, "suggest-batch", str(tmp_path / "link.jsonl"), "-o", str(cases))
    assert code == 2 and "is the input file" in err
    # Standard input redirected from the same file.
    with open(cases, "rb") as stdin, pytest.raises(SameFileError):
        check_output(cases, stdin)
    code, _, err = cli(capsys, "suggest", str(EXAMPLE), "-o", str(EXAMPLE), "--format", "json")
    assert code == 2 and "is the input file" in err
    assert cases.read_bytes() == before
    assert not list(tmp_path.glob("*.part*"))


@pytest.mark.parametrize("command", ["suggest-batch", "suggest"])
def test_every_unwritable_output_is_a_clean_error(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = str(EXAMPLE) if command == "suggest" else str(write_cases(tmp_path / "c.jsonl", ["a"]))
    for output, expected in [
        (str(tmp_path), "cannot write to a folder"),
        (str(tmp_path / "missing" / "out.txt"), "does not exist"),
        ("/proc/acupoints-out.txt", "cannot write"),
    ]:
        code, out, err = cli(capsys, command, source, "-o", output)
        assert (code, out) == (4, ""), (output, err)
        assert expected in err and "Traceback" not in err
        assert len(err.splitlines()) == 1, err

    # No permission (root may write anywhere, so the refusal is injected).
    def refuse(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(target_module, "open", refuse, raising=False)
    code, _, err = cli(capsys, command, source, "-o", str(tmp_path / "out.txt"))
    assert code == 4 and "permission denied" in err and "Traceback" not in err


def test_a_missing_input_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("suggest-batch", "suggest"):
        code, out, err = cli(capsys, command, str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o"))
        assert (code, out) == (2, "") and "error[not-found]" in err and "Traceback" not in err
        assert len(err.splitlines()) == 1, err


def test_suggest_writes_its_file_in_one_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report.md"
    out.write_text("the old report\n", encoding="utf-8")
    write_atomically(out, "the new report")
    assert out.read_text(encoding="utf-8") == "the new report\n"

    def broken(self: Any, data: bytes) -> None:
        raise OutputError(str(out), "writing failed: No space left on device")

    monkeypatch.setattr(target_module.FileTarget, "write", broken)
    with pytest.raises(OutputError):
        write_atomically(out, "a third report")
    assert out.read_text(encoding="utf-8") == "the new report\n"  # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # and no leftovers


# -- stopping early and resuming ------------------------------------------------------------
def test_an_interrupted_run_leaves_the_old_file_and_resumes_to_the_same_result(tmp_path: Path) -> None:
    # Line 21 stops the faulty engine as Ctrl-C would; the default engine runs it as any case.
    ids = [f"c{i}" for i in range(30)]
    ids[20] = "interrupt"
    cases = write_cases(tmp_path / "cases.jsonl", ids, {3: "not json"})
    out = tmp_path / "out.jsonl"
    run_batch(cases, out, progress=False)
    expected = out.read_bytes()
    out.write_text("an older result\n", encoding="utf-8")

    with pytest.raises(KeyboardInterrupt):
        run_batch(cases, out, engine=FaultyEngine(), progress=False)
    assert out.read_text(encoding="utf-8") == "an older result\n"  # untouched
    mark = Checkpoint.load(checkpoint_path(out))
    assert mark is not None and (mark.line, mark.written, mark.bad) == (20, 19, 1)
    assert (tmp_path / "out.jsonl.part").stat().st_size == mark.output_bytes

    stats = run_batch(cases, out, resume=True, progress=False)
    assert (stats.resumed_after, stats.written, stats.bad) == (20, 29, 1)
    assert out.read_bytes() == expected
    assert not checkpoint_path(out).exists() and not (tmp_path / "out.jsonl.part").exists()


def test_results_written_after_the_last_checkpoint_are_made_again(tmp_path: Path) -> None:
    # As after kill -9: the partial output holds more than its checkpoint counts.
    ids = [f"c{i}" for i in range(10)]
    ids[6] = "interrupt"
    cases = write_cases(tmp_path / "cases.jsonl", ids)
    out = tmp_path / "out.jsonl"
    run_batch(cases, out, progress=False)
    expected = out.read_bytes()
    with pytest.raises(KeyboardInterrupt):
        run_batch(cases, out, engine=FaultyEngine(), progress=False)
    part = tmp_path / "out.jsonl.part"
    with open(part, "ab") as f:
        f.write(b'{"line": 7, "half a res')
    run_batch(cases, out, resume=True, progress=False)
    assert out.read_bytes() == expected


def test_resume_refuses_a_changed_input_or_other_settings(tmp_path: Path) -> None:
    cases = write_cases(tmp_path / "cases.jsonl", ["a", "interrupt", "b"])
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(cases, out, engine=FaultyEngine(), progress=False)
    with pytest.raises(ResumeError, match="other settings"):
        run_batch(cases, out, resume=True, format="markdown", progress=False)
    write_cases(cases, ["a", "x", "b", "c"])
    with pytest.raises(ResumeError, match="input has changed"):
        run_batch(cases, out, resume=True, progress=False)
    with pytest.raises(ResumeError, match="needs an input file and an output file"):
        run_batch(io.StringIO(""), out, resume=True, progress=False)


def test_resume_without_a_checkpoint_starts_at_line_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = write_cases(tmp_path / "cases.jsonl", ["a", "b"])
    stats = run_batch(cases, tmp_path / "out.jsonl", resume=True, progress=False)
    assert stats.written == 2 and stats.resumed_after == 0
    assert "no interrupted run to resume; starting at line 1" in capsys.readouterr().err


def test_a_full_disk_stops_with_a_clean_error_and_resumes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [f"c{i}" for i in range(12)]
    cases = write_cases(tmp_path / "cases.jsonl", ids)
    out = tmp_path / "out.jsonl"
    run_batch(cases, out, progress=False)
    expected = out.read_bytes()
    out.unlink()
    real_open = target_module._open_part
    monkeypatch.setattr(target_module, "_open_part", lambda *a: FullDisk(real_open(*a), len(expected) // 2))
    code, _, err = cli(capsys, "suggest-batch", str(cases), "-o", str(out))
    assert code == 4 and "No space left on device" in err and "Traceback" not in err
    assert not out.exists()
    monkeypatch.setattr(target_module, "_open_part", real_open)  # room again
    code, _, err = cli(capsys, "suggest-batch", str(cases), "-o", str(out), "--resume")
    assert code == 0 and "resumed after line" in err
    assert out.read_bytes() == expected


# -- other software's streams -----------------------------------------------------------------
def test_binary_and_text_outputs_get_the_same_utf8(tmp_path: Path) -> None:
    line = json.dumps({"id": "天柱 🙂", **GOOD}, ensure_ascii=False) + "\n"
    text, raw = io.StringIO(), io.BytesIO()
    run_batch(io.StringIO(line), text, progress=False)
    run_batch(io.StringIO(line), raw, progress=False)
    assert raw.getvalue() == text.getvalue().encode("utf-8")
    assert json.loads(raw.getvalue())["case"] == "天柱 🙂"
