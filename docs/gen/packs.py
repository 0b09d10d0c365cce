"""``snippets/packs.md``: every shipped rule by pack, and the principles each rule encodes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from acupoints import Engine
from acupoints.base.principles import PRINCIPLES

from .pages import Pages, cell

__all__ = ["generate"]


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


def generate(pages: Pages) -> None:
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
        # A rule encodes a principle by naming it itself, or in one of its plan or advice parts.
        users = [r.id for r in book if pid in r.rule.principles]
        users += [
            r.id
            for r in book
            if r.id not in users and any(pid in part.principles for part in (*r.rule.plan, *r.rule.advice))
        ]
        shown = ", ".join(f"`{u}`" for u in users) or "**none**"
        lines.append(f"| {pid} | {kind} | {', '.join(docs)} | {shown} |")
    pages.add("snippets/packs.md", "\n".join(lines))
