"""The quick start shows the output of each snippet, and that output is what the snippet prints.

Every ```python block of docs/quickstart.md is followed by a ```text title="Output" block.
The snippets run in order, in one namespace, from the repository root (as test_docs.py
runs them); what each prints must be its Output block, line for line. When the engine's
answers change on purpose, paste the new output into the page.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import re
from pathlib import Path
from typing import Any

import pytest

from data.paths import DOCS, ROOT

PAGE = DOCS / "quickstart.md"
# A fence at the start of a line, its info string, its body, and the closing fence.
_BLOCK = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def snippets_with_outputs(text: str) -> list[tuple[int, str, str | None]]:
    """Each python block as (its line, its code, the Output block right after it or None)."""
    blocks = list(_BLOCK.finditer(text))
    found = []
    for i, block in enumerate(blocks):
        if block.group("info").strip() != "python":
            continue
        output = None
        if i + 1 < len(blocks):
            after = blocks[i + 1]
            between = text[block.end() : after.start()]
            if not between.strip() and after.group("info").strip() == 'text title="Output"':
                output = after.group("body")
        found.append((text.count("\n", 0, block.start()) + 2, block.group("body"), output))
    return found


def test_the_parser_pairs_each_snippet_with_the_output_right_after_it() -> None:
    text = '```python\nprint(1)\n```\n\n```text title="Output"\n1\n```\n\nWords.\n\n```python\nx = 2\n```\n'
    assert snippets_with_outputs(text) == [(2, "print(1)\n", "1\n"), (12, "x = 2\n", None)]


def test_every_snippet_shows_its_output_and_the_output_is_true(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(ROOT)
    snippets = snippets_with_outputs(PAGE.read_text(encoding="utf-8"))
    assert len(snippets) >= 4
    namespace: dict[str, Any] = {"__name__": "docs_quickstart"}
    for line, code, shown in snippets:
        assert shown is not None, f"quickstart.md:{line}: the snippet has no Output block after it"
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile("\n" * (line - 1) + code, str(PAGE), "exec"), namespace)
        got = [row.rstrip() for row in printed.getvalue().splitlines()]
        want = [row.rstrip() for row in shown.splitlines()]
        assert got == want, (
            f"quickstart.md:{line}: the Output block differs from what the snippet prints:\n"
            + "\n".join(difflib.unified_diff(want, got, "shown", "printed", lineterm=""))
        )
