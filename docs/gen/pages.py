"""The set of generated files, and the small text helpers every page generator shares."""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["DOCS", "OUT", "ROOT", "Pages", "cell", "first_paragraph"]

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
OUT = DOCS / "generated"


class Pages:
    """The files to write, by path under docs/generated/."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def add(self, name: str, text: str) -> None:
        if name in self.files:
            raise ValueError(f"{name} is written twice")
        self.files[name] = text.rstrip("\n") + "\n"

    def write(self, out: Path) -> None:
        # Emptied first, so a page that is no longer made does not linger.
        if out.exists():
            shutil.rmtree(out)
        for name, text in sorted(self.files.items()):
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def first_paragraph(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())
