"""Where the tests find the project's files, wherever a test module sits."""

from __future__ import annotations

from pathlib import Path

#: The project's root folder (the one with pyproject.toml).
ROOT = Path(__file__).resolve().parents[2]
#: Test data: the data-driven cases and the broken rule files with their golden errors.
DATA = ROOT / "tests" / "data"
CASES = DATA / "cases"
BROKEN = DATA / "broken_rules"
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"
