"""``snippets/cli/``: the real output and the help of every subcommand, and their list.

Each subcommand of ``acupoints`` needs at least one example here; the generator refuses
to run while one lacks it, so a new subcommand cannot go undocumented.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
from collections.abc import Iterator

from acupoints.cli.main import build_parser, main

from .pages import ROOT, Pages

__all__ = ["CLI_EXAMPLES", "generate", "run_cli"]

#: The examples shown for each subcommand, as arguments to ``acupoints``.
CLI_EXAMPLES: dict[str, list[list[str]]] = {
    "suggest": [
        ["suggest", "examples/c6-right.yaml"],
        ["suggest", "examples/saddle-numbness.yaml"],
        ["suggest", "examples/c6-right.yaml", "--format", "json"],
        ["suggest", "examples/c6-right.yaml", "--format", "markdown"],
    ],
    "explain": [["explain", "examples/c6-right.yaml", "--point", "LI4", "--point", "SP6"]],
    "lint": [["lint", "rules/"]],
    "schema": [["schema", "case"], ["schema", "rules"]],
    "point": [["point", "Ci Liao"], ["point", "SJ5"], ["point", "Spleen", "6"]],
    "points": [["points", "--meridian", "BL", "--region", "lower_back"], ["points", "--level", "C6"]],
    "coverage": [["coverage", "tests/data/cases/"]],
    "completion": [["completion", "bash"]],
    "chart": [["chart", "--meridian", "LU"]],
    "suggest-batch": [["suggest-batch", "examples/cases.jsonl"]],
}
#: Long outputs are cut to this many lines on the page (the coverage table is shown whole).
MAX_LINES = 40
LINE_LIMITS = {"coverage": 200, "chart": 6, "suggest-batch": 3, "completion": 12}
#: Exit codes an example may end with: 1 means "found something" for lint and coverage,
#: and 3 that suggest referred the case.
ALLOWED_EXIT = {"lint": {0, 1}, "coverage": {0, 1}, "suggest": {0, 3}}
#: The terminal width the examples are shown at (the table wraps to it).
COLUMNS = "100"


@contextlib.contextmanager
def _in_root() -> Iterator[None]:
    before = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def run_cli(argv: list[str]) -> tuple[int, str]:
    """Run ``acupoints ARGV`` in this process from the repository root; exit code and output."""
    out = io.StringIO()
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = COLUMNS
    try:
        with _in_root(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(argv)
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before
    return code, out.getvalue()


def generate(pages: Pages) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    commands = list(sub.choices)
    missing = [c for c in commands if c not in CLI_EXAMPLES]
    stale = [c for c in CLI_EXAMPLES if c not in commands]
    if missing or stale:
        raise ValueError(
            f"docs/gen/cli.py CLI_EXAMPLES: add an example for {missing or 'nothing'}; "
            f"remove {stale or 'nothing'}"
        )
    for command in commands:
        blocks = []
        for argv in CLI_EXAMPLES[command]:
            code, output = run_cli(argv)
            if code not in ALLOWED_EXIT.get(command, {0}):
                raise RuntimeError(f"the docs example `acupoints {' '.join(argv)}` exited {code}:\n{output}")
            lines = output.rstrip("\n").split("\n")
            limit = LINE_LIMITS.get(command, MAX_LINES)
            if len(lines) > limit:
                lines = lines[:limit] + [f"... ({len(lines) - limit} more lines)"]
            shown = " ".join(f'"{a}"' if " " in a else a for a in argv)
            exit_note = [f"# exit code {code}"] if code else []
            blocks.append("\n".join([f"$ acupoints {shown}", *lines, *exit_note]))
        pages.add(f"snippets/cli/{command}.txt", "\n\n".join(blocks))
        pages.add(f"snippets/cli/{command}-help.txt", sub.choices[command].format_help())
    commands_list = "\n".join(f"- [`acupoints {c}`](#{c})" for c in commands)
    pages.add("snippets/cli/commands.md", commands_list)
