"""Write the pages of the docs that are made from the package itself, into docs/generated/.

Run it before MkDocs (``make docs`` does): ``python docs/gen_pages.py``. It writes

- ``meridians/``: a page per channel and one for the extra points, from the catalogue;
- ``cautions.md``: the kinds of caution and the points that carry each;
- ``api.md``: the mkdocstrings directives for every public name in ``acupoints.__all__``;
- ``changelog.md``: a copy of CHANGELOG.md;
- ``snippets/``: pieces the hand-written pages include (``--8<--``): the field tables of
  the case and rule formats, made from their JSON Schemas, the vocabulary, the table of
  every shipped rule by pack, and the real output of every CLI example.

The folder is emptied first, so a page that is no longer made does not linger.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import acupoints
from acupoints import Catalog, Engine, Point
from acupoints.base.principles import PRINCIPLES
from acupoints.base.vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    FLOW,
    LEVELS,
    NERVES,
    RED_FLAGS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TENDERNESS,
)
from acupoints.catalog.graph import PAIRS
from acupoints.cli.main import build_parser, main
from acupoints.rulebook.schema import RuleFile

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
OUT = DOCS / "generated"

#: The words of the vocabulary, by the name a field table shows for them.
VOCABULARY: dict[str, tuple[str, ...]] = {
    "region": REGIONS,
    "aspect": ASPECTS,
    "sensation": SENSATIONS,
    "cause kind": CAUSE_KINDS,
    "nerve": NERVES,
    "spinal level": LEVELS,
    "flag": FLAGS,
    "red flag": RED_FLAGS,
    "side": SIDES,
    "tenderness": TENDERNESS,
}

#: The sections of the API page; a public name missing here lands under "Other".
API_GROUPS: dict[str, tuple[str, ...]] = {
    "Suggesting points": ("suggest", "Engine", "Suggestion", "SuggestedPoint", "ExcludedPoint"),
    "Plan, advice and referral": ("Advice", "Conflict", "Referral"),
    "Why and why not": ("Explanation",),
    "Cases": ("Case", "Complaint", "Cause", "FlagItem"),
    "The catalogue and the graph": ("Catalog", "Point", "Instance", "Meridian", "Caution", "MeridianGraph"),
    "Rules": ("RuleBook", "load_rulebook"),
    "Errors": (
        "AcupointsError",
        "LoadError",
        "CaseError",
        "RuleError",
        "UnknownPointError",
        "UnknownWordError",
        "Problem",
    ),
}

#: The CLI examples: each subcommand of ``acupoints`` needs at least one (checked below).
CLI_EXAMPLES: dict[str, list[list[str]]] = {
    "suggest": [
        ["suggest", "examples/c6-right.yaml"],
        ["suggest", "examples/c6-right.yaml", "--format", "json"],
        ["suggest", "examples/c6-right.yaml", "--format", "markdown"],
    ],
    "explain": [["explain", "examples/c6-right.yaml", "--point", "LI4", "--point", "SP6"]],
    "lint": [["lint", "rules/"]],
    "schema": [["schema", "case"], ["schema", "rules"]],
    "point": [["point", "Ci Liao"], ["point", "SJ5"]],
    "points": [["points", "--meridian", "BL", "--region", "lower_back"], ["points", "--level", "C6"]],
    "coverage": [["coverage", "tests/data/cases/"]],
    "chart": [["chart", "--meridian", "LU"]],
    "suggest-batch": [["suggest-batch", "examples/cases.jsonl"]],
}
#: Long outputs are cut to this many lines on the page (the coverage table is shown whole).
MAX_LINES = 40
LINE_LIMITS = {"coverage": 200, "chart": 6, "suggest-batch": 3}
#: Exit codes an example may end with: 1 means "found something" for these two.
ALLOWED_EXIT = {"lint": {0, 1}, "coverage": {0, 1}}

GROUP_TITLES = {
    "HN": "Head and neck (EX-HN)",
    "CA": "Chest and abdomen (EX-CA)",
    "B": "Back (EX-B)",
    "UE": "Upper extremity (EX-UE)",
    "LE": "Lower extremity (EX-LE)",
}


# -- helpers ---------------------------------------------------------------------------------
def cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def page_of(point: Point) -> str:
    """The file name (under ``meridians/``) of the page that lists ``point``."""
    return f"{point.meridian.lower()}.md" if point.meridian else "extra.md"


def levels_text(levels: tuple[str, ...]) -> str:
    return ", ".join(levels) if levels else "—"


def digits_text(digits: tuple[int, ...], limb: str) -> str:
    names = {
        "hand": ("", "thumb", "index finger", "middle finger", "ring finger", "little finger"),
        "foot": ("", "big toe", "second toe", "third toe", "fourth toe", "little toe"),
    }[limb]
    return ", ".join(names[d] for d in digits)


def first_paragraph(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())


class Pages:
    """The files to write, by path under docs/generated/."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def add(self, name: str, text: str) -> None:
        if name in self.files:
            raise ValueError(f"{name} is written twice")
        self.files[name] = text.rstrip("\n") + "\n"

    def write(self, out: Path) -> None:
        if out.exists():
            shutil.rmtree(out)
        for name, text in sorted(self.files.items()):
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


# -- the catalogue ---------------------------------------------------------------------------
def point_section(p: Point, cat: Catalog) -> list[str]:
    english = f" *{p.english}*" if p.english else ""
    lines = [
        f"### {p.code} {p.pinyin} {p.chinese} {{#{p.code}}}",
        "",
        f"{english.strip() + ' · ' if english else ''}region **{p.region}**, {p.aspect} aspect · "
        f"{p.surface.capitalize()} surface · spinal level: {levels_text(p.levels)}",
        "",
        f"**Location.** {p.location}",
        "",
    ]
    if p.cautions:
        titles = [f"[{cat.cautions[c].title}](../cautions.md#{c})" for c in p.cautions]
        lines += ["**Cautions.** " + "; ".join(titles) + ".", ""]
    else:
        lines += ["**Cautions.** None recorded.", ""]
    if p.also:
        lines += [f"**Also written.** {', '.join(p.also)}", ""]
    if p.note:
        lines += [f"**Note.** {' '.join(p.note.split())}", ""]
    if p.instances:
        lines += [
            f"**Instances** ({len(p.instances)}): a rule selects one as `{p.code}@KEY`.",
            "",
            "| Key | Levels | Digits | Region | Location |",
            "|---|---|---|---|---|",
        ]
        for i in p.instances:
            digits = ", ".join(str(d) for d in i.digits) or "—"
            lines.append(
                f"| `{i.key}` | {levels_text(i.levels)} | {digits} | {i.region or p.region} "
                f"| {cell(' '.join(i.location.split()))} |"
            )
        lines.append("")
    return lines


def summary_table(points: list[Point], cat: Catalog) -> list[str]:
    lines = [
        "| Code | Pinyin | Characters | Region | Aspect | Levels | Cautions |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in points:
        cautions = ", ".join(f"[{c}](../cautions.md#{c})" for c in p.cautions) or "—"
        lines.append(
            f"| [{p.code}](#{p.code}) | {p.pinyin} | {p.chinese} | {p.region} | {p.aspect} "
            f"| {levels_text(p.levels)} | {cautions} |"
        )
    return lines + [""]


def meridian_pages(cat: Catalog, pages: Pages) -> None:
    graph = cat.graph
    partners = dict(PAIRS) | {b: a for a, b in PAIRS}
    for m in cat.meridians.values():
        points = cat.points_of(m.code)
        reach = []
        if m.fingers:
            reach.append(f"reaches the {digits_text(m.fingers, 'hand')}")
        if m.toes:
            reach.append(f"reaches the {digits_text(m.toes, 'foot')}")
        facts = [
            f"**{m.pinyin}** {m.chinese}",
            f"{m.surface.capitalize()} channel of the {m.limb}",
            *reach,
            f"{len(points)} points, {points[0].code} to {points[-1].code}",
        ]
        if m.code in partners:
            facts.append(f"interior-exterior partner: [{partners[m.code]}]({partners[m.code].lower()}.md)")
        nxt = graph.flow_next(m.code)
        if nxt:
            facts.append(f"the flow passes on to [{nxt}]({nxt.lower()}.md)")
        aliases = ", ".join(f"`{a}`" for a in m.aliases)
        lines = [
            f"# {m.name} ({m.code})",
            "",
            " · ".join(facts) + ".",
            "",
        ]
        if aliases:
            lines += [f"Codes typed with {aliases} instead of `{m.code}` resolve to this channel.", ""]
        lines += ["## All points", ""] + summary_table(points, cat) + ["## The points one by one", ""]
        for p in points:
            lines += point_section(p, cat)
        pages.add(f"meridians/{m.code.lower()}.md", "\n".join(lines))

    extras = [p for p in cat if p.is_extra]
    lines = [
        "# Extra points (EX)",
        "",
        f"The {len(extras)} extra points of the WHO standard nomenclature. They lie off the "
        "fourteen channels, so they have no meridian; rules reach them by code, by region, or "
        "(for the group points) by instance, such as Jiaji beside one spinal segment "
        "(`EX-B2@C6`).",
        "",
        "## All points",
        "",
        *summary_table(extras, cat),
    ]
    for prefix, title in GROUP_TITLES.items():
        group = [p for p in extras if re.fullmatch(rf"EX-{prefix}\d+", p.code)]
        if not group:
            continue
        lines += [f"## {title}", ""]
        for p in group:
            lines += point_section(p, cat)
    grouped = sum(1 for p in extras if re.fullmatch(r"EX-(HN|CA|B|UE|LE)\d+", p.code))
    if grouped != len(extras):
        raise ValueError("an extra point has a code outside EX-HN, EX-CA, EX-B, EX-UE, EX-LE")
    pages.add("meridians/extra.md", "\n".join(lines))

    lines = [
        "# Meridians",
        "",
        f"The catalogue holds {len(cat)} points: the "
        f"{sum(1 for p in cat if not p.is_extra)} standard points of the fourteen channels and "
        f"{len(extras)} extra points. Each page lists every point of one channel with its "
        "code, pinyin, characters, region, aspect, spinal levels, location and cautions.",
        "",
        "| Code | Channel | Pinyin | Characters | Surface | Limb | Points | Also typed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in cat.meridians.values():
        lines.append(
            f"| [{m.code}]({m.code.lower()}.md) | {m.name} | {m.pinyin} | {m.chinese} | {m.surface} "
            f"| {m.limb} | {len(m.points)} | {', '.join(m.aliases) or '—'} |"
        )
    lines.append(f"| [EX](extra.md) | Extra points | — | — | — | — | {len(extras)} | — |")
    lines += [
        "",
        "## How the channels connect",
        "",
        "The flow of the twelve regular channels, which the graph holds as `flow` edges: "
        + " → ".join(f"[{c}]({c.lower()}.md)" for c in (*FLOW, FLOW[0]))
        + ".",
        "",
        "The interior-exterior (Yin-Yang) pairs, held as `pair` edges both ways: "
        + ", ".join(f"{a}-{b}" for a, b in PAIRS)
        + ".",
        "",
        "The Governor Vessel (GV) runs up the back midline and the Conception Vessel (CV) up "
        "the front midline; neither joins the flow.",
    ]
    pages.add("meridians/index.md", "\n".join(lines))


def cautions_page(cat: Catalog, pages: Pages) -> None:
    lines = [
        "# Cautions",
        "",
        "A point may carry cautions. The safety rules use them to leave points out (for "
        "example every point marked *pregnancy* when the case has the `pregnancy` flag), and "
        "a suggested point's other cautions travel with it as warnings.",
        "",
    ]
    for c in cat.cautions.values():
        carriers = [p for p in cat if c.id in p.cautions]
        lines += [f"## {c.title} {{#{c.id}}}", "", f"Id: `{c.id}`.", "", " ".join(c.reason.split()), ""]
        lines += ["Sources:", ""] + [f"- {s}" for s in c.sources] + [""]
        if carriers:
            links = ", ".join(f"[{p.code}](meridians/{page_of(p)}#{p.code})" for p in carriers)
            lines += [f"Points ({len(carriers)}): {links}.", ""]
        else:
            lines += ["No point of the catalogue carries it.", ""]
    pages.add("cautions.md", "\n".join(lines))


# -- the rule packs -------------------------------------------------------------------------
def _actions(rule: Any) -> str:
    r = rule.rule
    parts = [
        name
        for name, present in (
            ("select", r.select),
            ("exclude", r.exclude),
            ("plan", r.plan),
            ("advice", r.advice),
            ("warn", r.warn),
            ("refer", r.refer),
        )
        if present
    ]
    return ", ".join(parts)


def packs_snippet(pages: Pages) -> None:
    book = Engine.default().rulebook
    lines: list[str] = []
    for pack in book.packs:
        rules = [r for r in book if r.pack == pack]
        files = sorted({Path(r.path).name for r in rules})
        lines += [
            f"### Pack `{pack}` {{#pack-{pack}}}",
            "",
            f"{len(rules)} rules, in {', '.join(f'`rules/{f}`' for f in files)}, in the order the engine tries them.",
            "",
            "| Rule | Principles | Source | Actions | Summary |",
            "|---|---|---|---|---|",
        ]
        for r in rules:
            lines.append(
                f"| `{r.id}` | {', '.join(r.rule.principles) or '—'} | {r.source_key} | {_actions(r)} "
                f"| {cell(r.rule.summary)} |"
            )
        lines.append("")
    lines += [
        "### Principles and the rules that encode them {#principles}",
        "",
        "| Principle | Kind | Documents | Rules |",
        "|---|---|---|---|",
    ]
    for pid, (kind, docs) in PRINCIPLES.items():
        users = [r.id for r in book if pid in r.rule.principles]
        users += [
            r.id
            for r in book
            if r.id not in users and any(pid in part.principles for part in (*r.rule.plan, *r.rule.advice))
        ]
        shown = ", ".join(f"`{u}`" for u in users) or "**none**"
        lines.append(f"| {pid} | {kind} | {', '.join(docs)} | {shown} |")
    pages.add("snippets/packs.md", "\n".join(lines))


# -- the API ---------------------------------------------------------------------------------
def api_page(pages: Pages) -> None:
    names = [n for n in acupoints.__all__ if n != "__version__"]
    listed = [n for group in API_GROUPS.values() for n in group]
    unknown = sorted(set(listed) - set(names))
    if unknown:
        raise ValueError(f"API_GROUPS names what acupoints.__all__ does not export: {', '.join(unknown)}")
    groups = dict(API_GROUPS)
    others = tuple(n for n in names if n not in listed)
    if others:
        groups["Other"] = others
    lines = [
        "# Python API",
        "",
        "Every public name of the package, from its docstring. Import them from `acupoints` "
        f"itself: the modules behind them are private. This is version `{acupoints.__version__}` "
        "(`acupoints.__version__`).",
        "",
    ]
    for title, group in groups.items():
        lines += [f"## {title}", ""]
        for name in group:
            lines += [f"::: acupoints.{name}", ""]
    pages.add("api.md", "\n".join(lines))


# -- the field tables from the JSON Schemas ----------------------------------------------------
def _enum_text(values: list[Any]) -> str:
    for name, words in VOCABULARY.items():
        if list(words) == list(values):
            return f"[{name}](case.md#word-{name.replace(' ', '-')})"
    return " \\| ".join(f"`{v}`" for v in values)


def type_text(s: dict[str, Any], anchor: str) -> str:
    """A JSON Schema node in a few words, with links to the tables of referenced models."""
    if "$ref" in s:
        name = s["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{anchor}-{name.lower()})"
    if "anyOf" in s:
        parts = [type_text(a, anchor) for a in s["anyOf"] if a.get("type") != "null"]
        return " or ".join(parts)
    if "const" in s:
        return f"`{json.dumps(s['const'])}`"
    if "enum" in s:
        return _enum_text(s["enum"])
    kind = s.get("type")
    if kind == "array":
        if "prefixItems" in s:
            return "pair of " + " and ".join(type_text(i, anchor) for i in s["prefixItems"])
        items = s.get("items")
        return f"list of {type_text(items, anchor)}" if items else "list"
    if kind == "object":
        extra = s.get("additionalProperties")
        if isinstance(extra, dict):
            return f"mapping of text to {type_text(extra, anchor)}"
        return "mapping"
    bounds = []
    if "minimum" in s:
        bounds.append(f"≥ {s['minimum']}")
    if "exclusiveMinimum" in s:
        bounds.append(f"> {s['exclusiveMinimum']}")
    if "maximum" in s:
        bounds.append(f"≤ {s['maximum']}")
    if "minLength" in s:
        bounds.append(f"at least {s['minLength']} characters")
    if "pattern" in s:
        bounds.append(f"matching `{s['pattern']}`")
    names = {"string": "text", "integer": "integer", "number": "number", "boolean": "`true` or `false`"}
    base = names.get(str(kind), "any value") if kind else "any value"
    return base + (f" ({', '.join(bounds)})" if bounds else "")


def default_text(name: str, s: dict[str, Any], required: list[str]) -> str:
    if name in required:
        return "**required**"
    if "default" not in s or s["default"] is None:
        return "optional"
    return f"`{json.dumps(s['default'])}`"


def field_table(title: str, model: dict[str, Any], anchor: str) -> str:
    required = list(model.get("required", []))
    lines = [
        f"**`{title}`**: {cell(first_paragraph(model.get('description')))}",
        f"{{: #{anchor}-{title.lower()} }}",
    ]
    lines += ["", "| Field | Type | Default |", "|---|---|---|"]
    for name, prop in model.get("properties", {}).items():
        lines.append(f"| `{name}` | {type_text(prop, anchor)} | {default_text(name, prop, required)} |")
    return "\n".join(lines)


def schema_snippets(pages: Pages) -> None:
    for kind, schema in (
        ("case", acupoints.Case.json_schema()),
        ("rule", RuleFile.model_json_schema(by_alias=True)),
    ):
        models = {schema["title"]: schema, **schema.get("$defs", {})}
        for title, model in models.items():
            pages.add(f"snippets/{kind}/{title}.md", field_table(title, model, f"{kind}-fields"))
    lines = ["| Word list | Words |", "|---|---|"]
    for name, words in VOCABULARY.items():
        lines.append(
            f"| {name} {{: #word-{name.replace(' ', '-')} }} | {', '.join(f'`{w}`' for w in words)} |"
        )
    pages.add("snippets/vocabulary.md", "\n".join(lines))


# -- the CLI ---------------------------------------------------------------------------------
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
    with _in_root(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(argv)
    return code, out.getvalue()


def cli_snippets(pages: Pages) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    commands = list(sub.choices)
    missing = [c for c in commands if c not in CLI_EXAMPLES]
    stale = [c for c in CLI_EXAMPLES if c not in commands]
    if missing or stale:
        raise ValueError(
            f"docs/gen_pages.py CLI_EXAMPLES: add an example for {missing or 'nothing'}; "
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


# -- the changelog ---------------------------------------------------------------------------
def changelog_page(pages: Pages) -> None:
    source = ROOT / "CHANGELOG.md"
    if not source.exists():
        pages.add(
            "changelog.md",
            "# Changelog\n\nThe changelog is kept in `CHANGELOG.md` at the root of the repository; "
            "it has no entries yet.",
        )
        return
    text = source.read_text(encoding="utf-8")

    # Links written for the repository root: docs pages become site pages, the rest
    # (source files) are shown as code, since the site does not hold them.
    def relink(m: re.Match[str]) -> str:
        label, target = m.group(1), m.group(2)
        if re.match(r"^[a-z]+:|^#", target):
            return m.group(0)
        if target.startswith("docs/"):
            return f"[{label}](../{target.removeprefix('docs/')})"
        return f"{label} (`{target}`)"

    pages.add("changelog.md", re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", relink, text))


def build() -> Pages:
    cat = Catalog.default()
    pages = Pages()
    meridian_pages(cat, pages)
    cautions_page(cat, pages)
    packs_snippet(pages)
    api_page(pages)
    schema_snippets(pages)
    cli_snippets(pages)
    changelog_page(pages)
    return pages


if __name__ == "__main__":
    build().write(OUT)
