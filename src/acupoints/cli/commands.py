"""What each subcommand does, given its parsed arguments; each returns the exit status.

The parser is :mod:`acupoints.cli.parser`; the exit statuses are :mod:`acupoints.cli.exits`;
where the output goes is :mod:`acupoints.cli.output`. Heavy modules are imported inside
the commands, so that ``acupoints --help`` starts at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from . import exits, output

__all__ = [
    "chart",
    "completion",
    "coverage",
    "explain",
    "lint",
    "point",
    "points",
    "schema",
    "suggest",
]


def _read_case(name: str) -> Any:
    from ..case.model import Case

    if name == "-":
        return Case.from_text(sys.stdin.buffer.read(), "<stdin>")
    return Case.from_file(name)


def _engine(rules: Sequence[str] | None, added: Sequence[str] | None = None) -> Any:
    """The engine of ``--rules`` (instead of the shipped packs) and ``--add-rules`` (on top
    of them, or of ``--rules``); the shipped safety pack is in force either way."""
    from ..engine.engine import Engine

    if added:
        return Engine.from_paths(*rules, *added) if rules else Engine.with_packs(*added)
    return Engine.from_paths(*rules) if rules else Engine.default()


def suggest(args: argparse.Namespace) -> int:
    """Suggest points for one case; exit 3 when the case is referred."""
    from ..render.formats import get, names
    from ..render.legend import titles_of

    renderer = get(output.format_name(args.format, args.output, names()[0]))
    source = sys.stdin if args.case == "-" else args.case
    output.check(args.output, source)  # a wrong -o fails before any work
    case = _read_case(args.case)
    engine = _engine(args.rules, getattr(args, "add_rules", None))
    suggestion = engine.suggest(case)
    titles = titles_of(engine.rulebook.rules)
    if renderer.name == "table" and output.to_stdout(args.output):
        from ..render.text import as_table

        text = as_table(suggestion, width=output.width(), colour=output.colour(), titles=titles)
    else:
        catalog = engine.catalog if renderer.needs_catalog else None
        text = renderer.render(suggestion, case if renderer.needs_case else None, catalog, titles)
    output.emit(text, args.output, source)
    return exits.REFERRED if suggestion.status == "refer" else exits.OK


def chart(args: argparse.Namespace) -> int:
    """Draw one channel or one point on the body chart."""
    from ..catalog.catalog import Catalog
    from ..render.chart import render_meridian_svg, render_point_svg

    cat = Catalog.default()
    if args.meridian:
        text = render_meridian_svg(cat, cat.meridian(args.meridian).code)
    else:
        text = render_point_svg(cat, cat[args.point].code)
    output.emit(text, args.output)
    return exits.OK


def explain(args: argparse.Namespace) -> int:
    """Why each point was or was not suggested."""
    engine = _engine(args.rules, getattr(args, "add_rules", None))
    case = _read_case(args.case)
    out = [engine.explain(case, p) for p in args.point]
    if args.format == "json":
        output.emit(json.dumps([e.to_dict() for e in out], ensure_ascii=False, indent=2), None)
    else:
        from ..render.escape import terminal

        text = "\n\n".join(str(e) for e in out)
        output.emit("\n".join(terminal(line) for line in text.split("\n")), None)
    return exits.OK


def lint(args: argparse.Namespace) -> int:
    """Check rule files; exit 1 on any error."""
    from ..io.resources import rules_root
    from ..rulebook.book import lint as lint_paths

    paths = args.paths or [str(rules_root())]
    problems = lint_paths(paths)
    for p in problems:
        print(p)
    errors = sum(p.severity == "error" for p in problems)
    print(f"{errors} error(s) in {len(paths)} path(s)" if errors else "rules ok", file=sys.stderr)
    return exits.FOUND if errors else exits.OK


def schema(args: argparse.Namespace) -> int:
    """Print a JSON Schema."""
    from ..case.model import Case
    from ..rulebook.schema import RuleFile

    found = Case.json_schema() if args.what == "case" else RuleFile.model_json_schema(by_alias=True)
    output.emit(json.dumps(found, indent=2, ensure_ascii=False), None)
    return exits.OK


def point(args: argparse.Namespace) -> int:
    """Print one point's card, found by code, alias, name or characters."""
    from ..catalog.catalog import Catalog
    from ..render.text import point_card, point_categories

    cat = Catalog.default()
    text = " ".join(args.query)
    found = cat.get(text)
    if found is None:
        # A channel's name ("Spleen") asks for a channel, not for a point named after it.
        hits = [] if cat.channel_named(text) else cat.search(text, limit=5)
        if len(hits) == 1 or (hits and cat.normalize_code(text) == hits[0].code):
            found = hits[0]
        elif hits:
            listed = ", ".join(f"{p.code} ({p.pinyin})" for p in hits)
            raise exits.UsageError(f"{text!r} names more than one point: {listed}")
        else:
            raise exits.UsageError(cat.unknown_message(text))
    print(point_card(found, cat.cautions, point_categories(cat.graph, found.code)))
    return exits.OK


def points(args: argparse.Namespace) -> int:
    """List points by channel, region and spinal level."""
    from ..base.vocab import LEVELS, REGIONS, describe_choice
    from ..catalog.catalog import Catalog
    from ..render.text import points_table

    # Checked before anything is listed: a word outside the vocabulary would match nothing
    # and print an empty list that looks like an answer.
    if args.region is not None and args.region not in REGIONS:
        raise exits.UsageError(describe_choice(args.region, REGIONS, "region"))
    if args.level is not None:
        if args.level.upper() not in LEVELS:
            raise exits.UsageError(describe_choice(args.level, LEVELS, "spinal level"))
        args.level = args.level.upper()
    cat = Catalog.default()
    meridian = cat.meridian(args.meridian).code if args.meridian else None
    rows = [
        p
        for p in cat
        if (meridian is None or p.meridian == meridian)
        and (args.region is None or p.region == args.region)
        and (args.level is None or args.level in p.levels)
    ]
    if rows:
        print(points_table(rows))
    print(f"{len(rows)} point(s)", file=sys.stderr)
    return exits.OK


def coverage(args: argparse.Namespace) -> int:
    """Which rules fire over the cases; exit 1 while one never does."""
    from ..runs.coverage import coverage_report

    report = coverage_report(args.cases, args.rules or None)
    print(report.as_text())
    return exits.OK if report.complete else exits.FOUND


def completion(args: argparse.Namespace) -> int:
    """Print the shell completion script of the parser that parsed this command."""
    from .completion import generate

    output.emit(generate(args.parser, args.shell).rstrip("\n"), None)
    return exits.OK
