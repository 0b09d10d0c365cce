"""``changelog.md``: CHANGELOG.md, with its links made to work on the site."""

from __future__ import annotations

import re

from .pages import ROOT, Pages

__all__ = ["generate"]


def generate(pages: Pages) -> None:
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
