"""The command line's manners, through ``main()`` and a few real processes: version, help,
output files and formats, exit statuses, a table that fits the terminal, colour only on
a terminal, plans in words, explained keys, lookups by the names people say, coverage
over JSON Lines, completion, and the README's commands as written."""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import acupoints
from acupoints.cli import exits
from acupoints.cli.main import main
from acupoints.cli.parser import build_parser
from acupoints.render.layout import cells
from acupoints.runs.coverage import coverage_report
from data.paths import ROOT

EXAMPLE = ROOT / "examples" / "c6-right.yaml"
REFERRED = ROOT / "examples" / "saddle-numbness.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _command(*argv: str) -> list[str]:
    """The ``acupoints`` command of this checkout, with ``argv``."""
    return [sys.executable, "-m", "acupoints", *argv]


def _environ(env: dict[str, str]) -> dict[str, str]:
    """This process's environment with the checkout's sources first, and ``env`` on top."""
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}


def _process(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(*argv), capture_output=True, text=True, cwd=ROOT, timeout=120, env=_environ({})
    )


@pytest.fixture(autouse=True)
def _no_terminal_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests decide the width and colour; the shell running them does not.
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


# -- version and help ---------------------------------------------------------------------------
def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"acupoints {acupoints.__version__}"


def test_python_dash_m_runs_the_command_line() -> None:
    done = _process("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"acupoints {acupoints.__version__}"


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_argument_and_option_has_help_and_every_subcommand_an_example() -> None:
    parser = build_parser()
    for name, sub in _subparsers(parser).items():
        for action in sub._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
        assert sub.epilog and f"acupoints {name}" in sub.epilog, name
        assert "examples:" in sub.format_help(), name
    assert "exit status" in parser.format_help() and "  3  suggest" in parser.format_help()


# -- where the output goes, in which format -----------------------------------------------------------
def test_dash_o_dash_is_standard_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "suggest", str(EXAMPLE), "--format", "json", "-o", "-")
    assert code == 0 and json.loads(out)["case"] == "c6-right"
    code, out, _ = run(capsys, "chart", "--point", "LI4", "-o", "-")
    assert code == 0 and out.startswith("<svg")
    assert not (tmp_path / "-").exists() and not Path("-").exists()


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("report.html", lambda t: t.startswith("<!DOCTYPE html>")),
        ("report.HTM", lambda t: t.startswith("<!DOCTYPE html>")),
        ("notes.md", lambda t: t.startswith("## Suggestion for c6-right")),
        ("result.json", lambda t: json.loads(t)["status"] == "suggested"),
        ("chart.svg", lambda t: t.startswith("<svg")),
        ("table.txt", lambda t: t.startswith("case: c6-right")),
        ("no-suffix", lambda t: t.startswith("case: c6-right")),
    ],
)
def test_the_format_follows_the_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, check: object
) -> None:
    target = tmp_path / name
    code, out, err = run(capsys, "suggest", str(EXAMPLE), "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert check(target.read_text(encoding="utf-8"))  # type: ignore[operator]


def test_format_wins_over_the_suffix_and_an_unknown_suffix_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    assert run(capsys, "suggest", str(EXAMPLE), "-o", str(target), "--format", "json")[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["case"] == "c6-right"
    code, out, err = run(capsys, "suggest", str(EXAMPLE), "-o", str(tmp_path / "report.pdf"))
    assert code == 2 and out == ""
    assert "'.pdf'" in err and ".html (html)" in err and "--format" in err
    assert not (tmp_path / "report.pdf").exists()


def test_an_unwritable_output_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "suggest", str(EXAMPLE), "-o", str(tmp_path))
    assert code == 4 and "cannot write" in err and "Traceback" not in err  # 4: the output, not the input


@pytest.mark.parametrize(("given", "start"), [("JSON", "{"), ("MarkDown", "## "), ("Table", "case: ")])
def test_format_names_are_case_insensitive(
    capsys: pytest.CaptureFixture[str], given: str, start: str
) -> None:
    code, out, _ = run(capsys, "suggest", str(EXAMPLE), "--format", given)
    assert code == 0 and out.startswith(start)


def test_batch_format_names_are_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "suggest-batch", str(ROOT / "examples" / "cases.jsonl"), "--format", "JSONL")
    assert code == 0 and json.loads(out.splitlines()[0])["line"] == 1


# -- exit statuses ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html"])
def test_a_referral_exits_3_and_a_suggestion_0(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert run(capsys, "suggest", str(EXAMPLE), "--format", fmt)[0] == exits.OK == 0
    code, out, _ = run(capsys, "suggest", str(REFERRED), "--format", fmt)
    assert code == exits.REFERRED == 3
    assert "refer" in out.lower()


def test_exit_statuses_in_a_real_process() -> None:
    referred = _process("suggest", str(REFERRED), "--format", "json")
    assert referred.returncode == 3 and json.loads(referred.stdout)["status"] == "refer"
    usage = _process("suggest", str(EXAMPLE), "--format", "pdf")
    assert usage.returncode == 2 and "invalid choice" in usage.stderr


def test_the_statuses_are_documented() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = page.split("## Exit status", 1)[1].split("\n## ", 1)[0]
    for code in exits.STATUSES:
        assert f"\n| {code} |" in section, code


# -- the table in a terminal -------------------------------------------------------------------------
@pytest.mark.parametrize("columns", ["50", "72", "100"])
def test_the_table_wraps_within_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    code, out, _ = run(capsys, "suggest", str(EXAMPLE))
    assert code == 0
    assert max(cells(line) for line in out.splitlines()) <= int(columns)
    assert not ANSI.search(out)  # not a terminal: never colour


def test_a_pipe_gets_one_line_per_point(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "suggest", str(EXAMPLE))
    expected = acupoints.suggest(acupoints.Case.from_file(EXAMPLE))
    chosen = out.partition("\nalternatives (")[0]
    rows = [line for line in chosen.splitlines() if line[:3].strip().isdigit()]
    assert [r.split()[1] for r in rows] == expected.codes
    assert all(r.endswith(p.why) for r, p in zip(rows, expected.points, strict=True))


def _on_a_terminal(env: dict[str, str]) -> str:
    """The table as a terminal receives it (standard output is a pseudo-terminal)."""
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    try:
        # Read while the command runs: a terminal holds only a few kilobytes, and a
        # command whose output is longer waits for them to be read.
        child = subprocess.Popen(
            _command("suggest", str(EXAMPLE)),
            stdout=secondary, stderr=subprocess.PIPE, cwd=ROOT, env=_environ({"COLUMNS": "90", **env}),
        )  # fmt: skip
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        _, err = child.communicate(timeout=120)
    finally:
        os.close(primary)
    assert child.returncode == 0, err
    return b"".join(chunks).decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color() -> None:
    coloured = _on_a_terminal({})
    assert ANSI.search(coloured)
    plain = _on_a_terminal({"NO_COLOR": "1"})
    assert not ANSI.search(plain)
    assert ANSI.sub("", coloured) == plain


def test_the_points_listing_aligns_chinese_names(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "points", "--meridian", "SP")
    assert code == 0
    cat = acupoints.Catalog.default()
    starts = {cells(line[: line.index(f" {cat[line.split()[0]].region} ")]) for line in out.splitlines()}
    assert len(starts) == 1, out


# -- what the table says ------------------------------------------------------------------------------
def test_the_plan_is_words_and_the_keys_are_explained(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "suggest", str(EXAMPLE))
    assert code == 0
    plan = out.split("\nplan:\n", 1)[1].split("\n\n", 1)[0]
    assert "Needles:" in plan and "6 to 40" in plan and "Infrared during retention:" in plan
    for raw in ("True", "infrared:", "needles: 6, 40", "peripheral_neuropathy"):
        assert raw not in plan
    legend = out.split("legend (sources and principle ids):", 1)[1]
    for key in ("D3", "CAM", "A1", "A3"):
        assert f"\n  {key}:" in legend


def test_markdown_and_html_carry_a_sources_section(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "suggest", str(EXAMPLE), "-o", str(tmp_path / "r.md"))
    run(capsys, "suggest", str(EXAMPLE), "-o", str(tmp_path / "r.html"))
    assert "### Sources" in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "<h2>Sources</h2>" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_a_packs_own_source_is_explained_by_its_citation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "pack: mine\nsources:\n  MYBOOK: 'My own book of points, 2024'\nrules:\n"
        "  - id: my-hegu\n    principles: [P2]\n    source: MYBOOK\n"
        "    summary: 'Hegu for any hand complaint'\n"
        "    when: {complaint: {region: [hand]}}\n    select:\n      - {points: [LI4], role: local}\n",
        encoding="utf-8",
    )
    case = tmp_path / "case.yaml"
    case.write_text("complaints: [{region: hand, sensations: [numbness]}]\n", encoding="utf-8")
    code, out, err = run(capsys, "suggest", str(case), "--rules", str(pack))
    assert code == 0, err
    assert "MYBOOK:" in out and "My own book of points, 2024" in out


# -- hostile input stays text ---------------------------------------------------------------------------
def test_control_characters_in_a_case_id_are_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps(
            {
                "id": "\x1b[2J\x1b]0;pwned\x07<script>x</script>",
                "complaints": [{"region": "foot", "sensations": ["pain"]}],
            }
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "suggest", str(case))
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert out.startswith("case: \\x1b[2J\\x1b]0;pwned\\x07<script>")
    code, out, _ = run(capsys, "suggest", str(case), "--format", "markdown")
    assert "<script>" not in out and "&lt;script&gt;" in out and "\x1b" not in out


# -- lookups by the names people say ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "code"),
    [
        (["Spleen 6"], "SP6"),
        (["Large", "Intestine", "4"], "LI4"),
        (["Kidney", "1"], "KI1"),
        (["GV29"], "EX-HN3"),
    ],
)
def test_point_by_the_names_people_say(
    capsys: pytest.CaptureFixture[str], query: list[str], code: str
) -> None:
    status, out, _ = run(capsys, "point", *query)
    assert status == 0 and out.split()[0] == code


def test_a_channel_name_alone_is_an_error_naming_its_points(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "point", "Spleen")
    assert code == 2 and out == ""
    assert "Spleen channel (SP)" in err and "SP1 to SP21" in err and "BL20" not in err


@pytest.mark.parametrize("level", ["L9", "Z9", "c0"])
def test_an_unknown_level_is_a_usage_error_naming_the_allowed(
    capsys: pytest.CaptureFixture[str], level: str
) -> None:
    code, out, err = run(capsys, "points", "--level", level)
    assert code == 2 and out == ""
    assert f"unknown spinal level '{level}'" in err and "allowed: C1, C2" in err and "S5" in err


def test_a_level_in_any_case(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "points", "--meridian", "Governor Vessel", "--level", "l4")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["GV3"]


# -- coverage over JSON Lines -------------------------------------------------------------------------
def test_coverage_reads_jsonl_files_and_folders_of_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "cases.jsonl", folder / "a.jsonl")
    lines = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    cases = len([x for x in lines if x.strip()])
    code, out, _ = run(capsys, "coverage", str(folder))
    assert code in (0, 1)
    assert f"{cases} case(s)" in out
    report = coverage_report([folder / "a.jsonl"])
    assert report.cases == cases
    assert report.case_files[0] == f"{folder / 'a.jsonl'}:1"
    (folder / "b.jsonl").write_text(
        '{"complaints": [{"region": "foot"}]}\n\n{"complaints": 1}\n', encoding="utf-8"
    )
    code, out, err = run(capsys, "coverage", str(folder))
    assert code == 2 and out == ""
    assert f"{folder / 'b.jsonl'}:3:" in err


# -- completion and the README ------------------------------------------------------------------------
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script(capsys: pytest.CaptureFixture[str], shell: str) -> None:
    code, out, _ = run(capsys, "completion", shell)
    assert code == 0 and "suggest-batch" in out and "acupoints" in out


def _readme_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("acupoints "):
                commands.append(shlex.split(line)[1:])
    return commands


def test_the_readme_commands_work_as_written(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for folder in ("examples", "rules"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    commands = _readme_commands()
    assert len(commands) >= 10
    for argv in commands:
        try:
            code, _, err = run(capsys, *argv)
        except SystemExit as done:  # --version and --help exit through argparse
            code, err = int(done.code or 0), capsys.readouterr().err
        expected = {3} if "saddle-numbness" in " ".join(argv) else {0}
        assert code in expected, (argv, err)
        assert "Traceback" not in err
    assert (
        (tmp_path / "c6.html").exists()
        and (tmp_path / "bl.svg").exists()
        and (tmp_path / "out.jsonl").exists()
    )
