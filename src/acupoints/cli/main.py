"""The command line: ``acupoints suggest | explain | lint | schema | point | points | coverage``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..base.errors import AcupointsError, LoadError


def _read_case(name: str) -> Any:
    from ..case.model import Case

    if name == "-":
        return Case.from_text(sys.stdin.buffer.read(), "<stdin>")
    return Case.from_file(name)


def _engine(rules: Sequence[str] | None) -> Any:
    from ..engine.engine import Engine

    return Engine.from_paths(*rules) if rules else Engine.default()


def _cmd_suggest(args: argparse.Namespace) -> int:
    from ..render.text import as_markdown, as_table

    case = _read_case(args.case)
    suggestion = _engine(args.rules).suggest(case)
    if args.format == "json":
        text = suggestion.to_json()
    elif args.format == "markdown":
        text = as_markdown(suggestion)
    elif args.format == "svg":
        text = suggestion.to_svg(case)
    elif args.format == "html":
        text = suggestion.to_html(case)
    else:
        text = as_table(suggestion)
    _emit(text, args.output)
    return 0


def _cmd_chart(args: argparse.Namespace) -> int:
    from ..catalog.catalog import Catalog
    from ..render.chart import render_meridian_svg, render_point_svg

    cat = Catalog.default()
    if args.meridian:
        text = render_meridian_svg(cat, cat.meridian(args.meridian).code)
    else:
        text = render_point_svg(cat, cat[args.point].code)
    _emit(text, args.output)
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    engine = _engine(args.rules)
    case = _read_case(args.case)
    out = [engine.explain(case, p) for p in args.point]
    if args.format == "json":
        _emit(json.dumps([e.to_dict() for e in out], ensure_ascii=False, indent=2), None)
    else:
        _emit("\n\n".join(str(e) for e in out), None)
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    from ..io.resources import rules_root
    from ..rulebook.book import lint

    paths = args.paths or [str(rules_root())]
    problems = lint(paths)
    for p in problems:
        print(p)
    errors = sum(p.severity == "error" for p in problems)
    print(f"{errors} error(s) in {len(paths)} path(s)" if errors else "rules ok", file=sys.stderr)
    return 1 if errors else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from ..case.model import Case
    from ..rulebook.schema import RuleFile

    schema = Case.json_schema() if args.what == "case" else RuleFile.model_json_schema(by_alias=True)
    _emit(json.dumps(schema, indent=2, ensure_ascii=False), None)
    return 0


def _cmd_point(args: argparse.Namespace) -> int:
    from ..catalog.catalog import Catalog
    from ..render.text import point_card, point_categories

    cat = Catalog.default()
    text = " ".join(args.query)
    point = cat.get(text)
    if point is None:
        hits = cat.search(text, limit=5)
        if len(hits) == 1 or (hits and cat.normalize_code(text) == hits[0].code):
            point = hits[0]
        elif hits:
            print(
                f"'{text}' names more than one point: {', '.join(f'{p.code} ({p.pinyin})' for p in hits)}",
                file=sys.stderr,
            )
            return 2
        else:
            point = cat[text]  # raises UnknownPointError with "did you mean"
    print(point_card(point, cat.cautions, point_categories(cat.graph, point.code)))
    return 0


def _cmd_points(args: argparse.Namespace) -> int:
    from ..catalog.catalog import Catalog

    cat = Catalog.default()
    meridian = cat.meridian(args.meridian).code if args.meridian else None
    if args.region:
        from ..base.vocab import REGIONS, describe_choice

        if args.region not in REGIONS:
            raise _Usage(describe_choice(args.region, REGIONS, "region"))
    rows = [p for p in cat if (meridian is None or p.meridian == meridian) and (args.region is None or p.region == args.region)
            and (args.level is None or args.level in p.levels)]  # fmt: skip
    for p in rows:
        print(f"{p.code:<7} {p.pinyin:<16} {p.chinese:<6} {p.region:<11} {p.aspect:<9} {','.join(p.levels)}")
    print(f"{len(rows)} point(s)", file=sys.stderr)
    return 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    from ..runs.coverage import coverage_report

    report = coverage_report(args.cases, args.rules or None)
    print(report.as_text())
    return 0 if report.complete else 1


class _Usage(AcupointsError):
    pass


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="acupoints", description="Suggest acupuncture points for nerve pain, with reasons."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("suggest", help="suggest points for a case file (or - for standard input)")
    p.add_argument("case")
    p.add_argument("--format", choices=["table", "json", "markdown", "svg", "html"], default="table")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.add_argument(
        "--rules", action="append", help="rule file or folder instead of the shipped rules (repeatable)"
    )
    p.set_defaults(func=_cmd_suggest)

    p = sub.add_parser("explain", help="why a point was or was not suggested")
    p.add_argument("case")
    p.add_argument("--point", action="append", required=True, help="code or name (repeatable)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--rules", action="append")
    p.set_defaults(func=_cmd_explain)

    p = sub.add_parser("lint", help="check rule files; exit 1 on any error")
    p.add_argument("paths", nargs="*")
    p.set_defaults(func=_cmd_lint)

    p = sub.add_parser("schema", help="print the JSON Schema of the case or rule format")
    p.add_argument("what", choices=["case", "rules"])
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser("point", help="print a point's card (code, alias or name)")
    p.add_argument("query", nargs="+")
    p.set_defaults(func=_cmd_point)

    p = sub.add_parser("points", help="list points")
    p.add_argument("--meridian")
    p.add_argument("--region")
    p.add_argument("--level")
    p.set_defaults(func=_cmd_points)

    p = sub.add_parser("chart", help="draw one channel or one point on the body chart (SVG)")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--meridian", help="a channel code or alias (BL, SJ ...)")
    which.add_argument("--point", help="a point code or name")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.set_defaults(func=_cmd_chart)

    from ..runs.batch import add_batch_command

    add_batch_command(sub)

    p = sub.add_parser("coverage", help="which rules fire over a folder of cases; exit 1 if one never does")
    p.add_argument("cases", nargs="+", help="case files or folders")
    p.add_argument("--rules", action="append")
    p.set_defaults(func=_cmd_coverage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 lint/coverage failure, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except LoadError as exc:
        print(exc, file=sys.stderr)
        return 2
    except AcupointsError as exc:
        print(f"acupoints: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
