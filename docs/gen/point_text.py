"""How a point reads on the point pages: its section and its row in a page's summary table.

Shared by the channel pages and the extra-point page; the cautions page links to them.
"""

from __future__ import annotations

from acupoints import Catalog, Knowledge, Point

from .pages import cell

__all__ = ["categories_text", "levels_text", "page_of", "point_section", "summary_table"]


def page_of(point: Point) -> str:
    """The file name (under ``meridians/``) of the page that lists ``point``."""
    return f"{point.meridian.lower()}.md" if point.meridian else "extra.md"


def levels_text(levels: tuple[str, ...]) -> str:
    return ", ".join(levels) if levels else "—"


def categories_text(p: Point, short: bool = False) -> str:
    """The categories a point belongs to, each linked to its section of the categories page,
    with what the point serves there (``"yuan-source (LI)"``); "" for a point in none."""
    knowledge = Knowledge.default()
    out = []
    for m in knowledge.categories_of(p.code):
        c = knowledge.categories[m.category]
        name = c.name.removesuffix(" points").removesuffix(" point")
        serves = "" if short or m.serves == p.meridian else f" of {m.serves.replace('_', ' ')}"
        out.append(f"[{name}{serves}](../categories.md#{c.id})")
    return ", ".join(out)


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
    categories = categories_text(p)
    if categories:
        lines += [f"**Categories.** {categories}.", ""]
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
        "| Code | Pinyin | Characters | Region | Aspect | Levels | Categories | Cautions |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in points:
        # Cautions by their titles, in words: a key cut short in a narrow column says nothing.
        cautions = "; ".join(f"[{cat.cautions[c].title}](../cautions.md#{c})" for c in p.cautions) or "—"
        lines.append(
            f"| [{p.code}](#{p.code}) | {p.pinyin} | {p.chinese} | {p.region} | {p.aspect} "
            f"| {levels_text(p.levels)} | {categories_text(p, short=True) or '—'} | {cautions} |"
        )
    return lines + [""]
