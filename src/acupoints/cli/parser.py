"""The command line's parser: every subcommand, argument and option, with its help.

Each argument has a help text and each subcommand an example in its epilog (a test
checks both). Output format names are case-insensitive. Arguments that take a file
carry ``complete="files"`` and those that take a word of the vocabulary carry the words
(``complete=LEVELS``), for the shell completion (:mod:`acupoints.cli.completion`).
"""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from .. import __version__
from ..base.vocab import LEVELS, MERIDIANS, REGIONS
from . import commands, exits

__all__ = ["build_parser"]

_FORMATTER = argparse.RawDescriptionHelpFormatter


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _lower(text: str) -> str:
    return text.lower()


def _tag(action: argparse.Action, complete: Any) -> argparse.Action:
    action.complete = complete  # type: ignore[attr-defined]
    return action


def _files(action: argparse.Action) -> argparse.Action:
    return _tag(action, "files")


def _rules(p: argparse.ArgumentParser) -> None:
    _files(
        p.add_argument(
            "--rules",
            action="append",
            metavar="PATH",
            help="a rule file or folder to use instead of the shipped packs; the safety pack stays (repeatable)",
        )
    )
    _files(
        p.add_argument(
            "--add-rules",
            action="append",
            metavar="PATH",
            help="a rule file or folder added on top of the shipped packs (repeatable)",
        )
    )


def _add(sub: Any, name: str, help: str, description: str, *examples: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help,
        description=textwrap.fill(description, 78),
        epilog=_examples(*examples),
        formatter_class=_FORMATTER,
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``acupoints``, with every subcommand."""
    from ..render import formats

    parser = argparse.ArgumentParser(
        prog="acupoints",
        description="Suggest acupuncture points for nerve pain, with the reasons and sources of each.",
        epilog=exits.describe() + "\n\nEach subcommand has its own --help, with examples.",
        formatter_class=_FORMATTER,
    )
    parser.add_argument("--version", action="version", version=f"acupoints {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _add(
        sub,
        "suggest",
        "suggest points for a case file (or - for standard input)",
        "Suggest points for one case, with the reason and source of each, the plan and the advice. "
        "Exit status 0 when points are suggested, 3 when the case is referred to a doctor.",
        "acupoints suggest examples/c6-right.yaml",
        "acupoints suggest examples/c6-right.yaml --format json -o -",
        "acupoints suggest examples/c6-right.yaml -o report.html   # the format from the suffix",
        "cat case.yaml | acupoints suggest -",
    )
    _files(p.add_argument("case", help="a case file (.yaml, .yml or .json), or - to read standard input"))
    p.add_argument(
        "--format",
        type=_lower,
        choices=formats.names(),
        default=None,
        help=f"how to write the result: {', '.join(formats.names())} (any case; default: from the suffix "
        f"of -o, else {formats.names()[0]})",
    )
    _files(
        p.add_argument(
            "-o", "--output", metavar="FILE", help="write to FILE instead of standard output (- for it)"
        )
    )
    _rules(p)
    p.set_defaults(func=commands.suggest)

    p = _add(
        sub,
        "explain",
        "why a point was or was not suggested",
        "Why each named point was chosen, excluded, or not chosen: the rules, their roles and scores, "
        "and the part of each condition that was false.",
        "acupoints explain examples/c6-right.yaml --point LI4 --point SP6",
        "acupoints explain examples/c6-right.yaml --point 'Spleen 6' --format json",
    )
    _files(p.add_argument("case", help="a case file (.yaml, .yml or .json), or - to read standard input"))
    p.add_argument(
        "--point", action="append", required=True, metavar="POINT", help="a point's code or name (repeatable)"
    )
    p.add_argument(
        "--format", type=_lower, choices=["text", "json"], default="text", help="text or json (default: text)"
    )
    _rules(p)
    p.set_defaults(func=commands.explain)

    p = _add(
        sub,
        "lint",
        "check rule files; exit 1 on any error",
        "Check rule files or folders and print every problem as path:line:column: severity[code] message.",
        "acupoints lint",
        "acupoints lint rules/ my-pack.yaml",
    )
    _files(
        p.add_argument(
            "paths", nargs="*", metavar="PATH", help="rule files or folders (default: the shipped rules)"
        )
    )
    p.set_defaults(func=commands.lint)

    p = _add(
        sub,
        "schema",
        "print the JSON Schema of the case or rule format",
        "Print the JSON Schema of a case or of a rule file, for editors and other software.",
        "acupoints schema case > case.schema.json",
        "acupoints schema rules",
    )
    p.add_argument("what", choices=["case", "rules"], help="case or rules")
    p.set_defaults(func=commands.schema)

    p = _add(
        sub,
        "point",
        "print a point's card (code, alias or name)",
        "Print one point's card. The point may be named by its code in any common form (SJ5, te-5), "
        "its channel in English and its number (Spleen 6), its pinyin or its characters.",
        'acupoints point "Ci Liao"',
        'acupoints point "Large Intestine 4"',
        "acupoints point 合谷",
    )
    p.add_argument(
        "query", nargs="+", metavar="NAME", help="a code, an alias, a pinyin name or the characters"
    )
    p.set_defaults(func=commands.point)

    p = _add(
        sub,
        "points",
        "list points",
        "List points with their pinyin, characters, region, aspect and spinal levels; the count goes "
        "to standard error.",
        "acupoints points --meridian BL --region lower_back",
        "acupoints points --level C6",
    )
    _tag(
        p.add_argument(
            "--meridian", metavar="CHANNEL", help="only this channel: a code, alias or English name"
        ),
        MERIDIANS,
    )
    _tag(
        p.add_argument("--region", metavar="REGION", help="only points in this body region"),
        REGIONS,
    )
    _tag(
        p.add_argument("--level", metavar="LEVEL", help="only points at this spinal level (C1 to S5)"),
        LEVELS,
    )
    p.set_defaults(func=commands.points)

    p = _add(
        sub,
        "chart",
        "draw one channel or one point on the body chart (SVG)",
        "Draw one channel or one point on the body chart, as SVG.",
        "acupoints chart --meridian BL -o bl.svg",
        "acupoints chart --point LI4 > li4.svg",
    )
    which = p.add_mutually_exclusive_group(required=True)
    _tag(
        which.add_argument("--meridian", metavar="CHANNEL", help="a channel: code, alias or English name"),
        MERIDIANS,
    )
    which.add_argument("--point", metavar="POINT", help="a point's code or name")
    _files(
        p.add_argument(
            "-o", "--output", metavar="FILE", help="write to FILE instead of standard output (- for it)"
        )
    )
    p.set_defaults(func=commands.chart)

    from ..runs.batch import add_batch_command

    p = add_batch_command(sub)
    p.formatter_class = _FORMATTER
    p.epilog = _examples(
        "acupoints suggest-batch examples/cases.jsonl -o out.jsonl",
        "acupoints suggest-batch examples/cases.jsonl --format table",
    )

    p = _add(
        sub,
        "coverage",
        "which rules fire over a folder of cases; exit 1 if one never does",
        "Run the rules over case files (.yaml, .yml, .json, or .jsonl with one case a line) and "
        "folders of them, and report how often each rule fires.",
        "acupoints coverage tests/data/cases/",
        "acupoints coverage examples/cases.jsonl --rules my-pack.yaml",
    )
    _files(p.add_argument("cases", nargs="+", metavar="PATH", help="case files or folders of them"))
    _rules(p)
    p.set_defaults(func=commands.coverage)

    p = _add(
        sub,
        "completion",
        "print a shell completion script (bash, zsh or fish)",
        "Print the completion script of a shell; load it in the shell's start-up file.",
        "source <(acupoints completion bash)       # in ~/.bashrc",
        "acupoints completion zsh > ~/.zfunc/_acupoints",
        "acupoints completion fish > ~/.config/fish/completions/acupoints.fish",
    )
    p.add_argument("shell", choices=["bash", "zsh", "fish"], help="the shell to complete in")
    p.set_defaults(func=commands.completion, parser=parser)

    _mark_batch(sub.choices["suggest-batch"])
    return parser


def _mark_batch(p: argparse.ArgumentParser) -> None:
    """The batch command's parser comes from :mod:`acupoints.runs.batch`; give it the same
    manners: format names in any case, files completed as files."""
    for action in p._actions:
        if action.dest == "format":
            action.type = _lower
        if action.dest in ("cases", "output", "rules"):
            _files(action)
