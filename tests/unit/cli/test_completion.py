"""Shell completion scripts generated from the parser: they load, and they complete."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from acupoints.base.vocab import LEVELS
from acupoints.cli.completion import SHELLS, generate, spec
from acupoints.cli.parser import build_parser
from acupoints.render.formats import names


@pytest.fixture(scope="module")
def scripts() -> dict[str, str]:
    parser = build_parser()
    return {shell: generate(parser, shell) for shell in SHELLS}


def test_the_spec_knows_every_subcommand_and_option() -> None:
    parser = build_parser()
    top, commands = spec(parser)
    assert ("--version",) in [o.flags for o in top]
    by_name = {c.name: c for c in commands}
    assert set(by_name) >= {"suggest", "point", "points", "coverage", "suggest-batch", "completion"}
    suggest = {f: o for o in by_name["suggest"].options for f in o.flags}
    assert suggest["--format"].words == names()
    assert suggest["-o"].files and suggest["--rules"].files and suggest["--rules"].repeats
    assert by_name["suggest"].positionals[0].files
    points = {f: o for o in by_name["points"].options for f in o.flags}
    assert points["--level"].words == LEVELS
    assert by_name["schema"].positionals[0].words == ("case", "rules")


def test_every_shell_gets_every_subcommand(scripts: dict[str, str]) -> None:
    for shell, text in scripts.items():
        for command in ("suggest", "suggest-batch", "points", "completion"):
            assert command in text, (shell, command)


def _needs(shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")


def test_bash_completes_commands_options_choices_and_files(scripts: dict[str, str], tmp_path: Path) -> None:
    _needs("bash")
    (tmp_path / "case-one.yaml").write_text("{}", encoding="utf-8")
    script = tmp_path / "acupoints.bash"
    script.write_text(scripts["bash"], encoding="utf-8")
    probe = f"""
source {script}
t() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMPREPLY=(); _acupoints; echo "${{COMPREPLY[*]}}"; }}
t acupoints sugg
t acupoints suggest --format ""
t acupoints suggest --fo
t acupoints suggest case-
t acupoints points --level L
t acupoints schema ""
t acupoints completion ""
t acupoints --vers
"""
    run = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["suggest", "suggest-batch"]
    assert lines[1].split() == list(names())
    assert lines[2] == "--format"
    assert lines[3] == "case-one.yaml"
    assert lines[4].split() == ["L1", "L2", "L3", "L4", "L5"]
    assert lines[5].split() == ["case", "rules"]
    assert lines[6].split() == ["bash", "zsh", "fish"]
    assert lines[7] == "--version"


def test_zsh_loads_the_script(scripts: dict[str, str], tmp_path: Path) -> None:
    _needs("zsh")
    script = tmp_path / "_acupoints"
    script.write_text(scripts["zsh"], encoding="utf-8")
    assert subprocess.run(["zsh", "-n", str(script)], capture_output=True, timeout=60).returncode == 0
    probe = f"autoload -U compinit && compinit -u -D && source {script} && print -r -- $_comps[acupoints]"
    run = subprocess.run(["zsh", "-f", "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "_acupoints"


def test_fish_completes_commands_options_and_choices(scripts: dict[str, str], tmp_path: Path) -> None:
    _needs("fish")
    script = tmp_path / "acupoints.fish"
    script.write_text(scripts["fish"], encoding="utf-8")
    probe = (
        f"source {script}; "
        "complete -C 'acupoints sugg'; echo ---; "
        "complete -C 'acupoints suggest --format '; echo ---; "
        "complete -C 'acupoints points --level S'"
    )
    run = subprocess.run(
        ["fish", "--no-config", "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert run.returncode == 0, run.stderr
    commands, formats, levels = (
        [line.split("\t")[0] for line in part.strip().splitlines()] for part in run.stdout.split("---")
    )
    assert commands == ["suggest", "suggest-batch"]
    assert sorted(formats) == sorted(names())
    assert levels == ["S1", "S2", "S3", "S4", "S5"]
