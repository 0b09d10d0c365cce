"""The teaching notebooks teach: exercises with answers, self-checks that work, rich displays.

``test_notebooks.py`` runs each notebook as it is saved, with the exercises unanswered.
Here each notebook runs once more in one kernel, this time answered by its own model
answers, and the self-checks are put to the test both ways:

- every exercise cell (tagged ``exercise``) follows a Markdown cell whose ``<details>``
  block holds the model answer, and is followed by a self-check cell (``self-check``);
- run with the model answer, the self-check prints its tick;
- run with a wrong answer (``None``), it stops with an ``AssertionError`` and a hint;
- the notebooks import only the public face of ``acupoints``;
- they show the rich displays (HTML charts, cards, reports and tables), not only text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import acupoints
from data.paths import ROOT

FOLDER = ROOT / "docs" / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
_ANSWER = re.compile(r"<details>.*?```python\n(?P<code>.*?)```.*?</details>", re.DOTALL)


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def exercises(nb: Any) -> list[tuple[int, str, int]]:
    """Each exercise as (index of its cell, its model answer, index of its self-check)."""
    found = []
    for i, cell in enumerate(nb.cells):
        if "exercise" not in _tags(cell):
            continue
        text = nb.cells[i - 1].source if i and nb.cells[i - 1].cell_type == "markdown" else ""
        answer = _ANSWER.search(text)
        assert answer, f"cell {i}: an exercise needs a Markdown cell before it with the answer in <details>"
        assert i + 1 < len(nb.cells) and "self-check" in _tags(nb.cells[i + 1]), (
            f"cell {i}: no self-check after it"
        )
        found.append((i, answer.group("code"), i + 1))
    return found


def _text(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_exercises_with_answers_and_checks(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    found = exercises(nb)
    assert len(found) >= 2, f"{path.name}: {len(found)} exercises"
    for i, _, _ in found:
        # Unanswered as saved: the student writes the answer.
        assert re.fullmatch(r"answer_\w+ = \.\.\.(  #.*)?", nb.cells[i].source.strip()), nb.cells[i].source


def private_uses(source: str) -> list[str]:
    """What a cell takes from ``acupoints`` beyond its public face (``acupoints.__all__``)."""
    public = set(acupoints.__all__)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("acupoints.")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "acupoints":
            if node.module != "acupoints":
                found.append(f"from {node.module} import ...")
            else:
                found += [f"acupoints.{a.name}" for a in node.names if a.name not in public]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "acupoints"
        ):
            found += [f"acupoints.{node.attr}"] if node.attr not in public else []
    return found


def test_the_import_check_finds_private_names() -> None:
    source = (
        "import acupoints\nimport acupoints.engine\nfrom acupoints.rulebook.book import lint\n"
        "from acupoints import Engine, rules_root\nacupoints.Catalog.default()\nacupoints.io.yaml"
    )
    assert private_uses(source) == [
        "acupoints.engine",
        "from acupoints.rulebook.book import ...",
        "acupoints.rules_root",
        "acupoints.io",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_only_public_names(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    found = {i: private_uses(c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    assert not {i: f for i, f in found.items() if f}, f"{path.name}: private names by cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_answered_the_checks_tick_and_a_wrong_answer_gets_a_hint(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    found = {i: (answer, check) for i, answer, check in exercises(nb)}
    for i, (answer, _) in found.items():
        nb.cells[i].source = answer
    client = NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(FOLDER)}}
    )
    cells = list(nb.cells)
    # Cells run on the side (a wrong answer, a check again) take this last place in turn.
    nb.cells.append(nbformat.v4.new_code_cell(""))
    scratch = len(nb.cells) - 1
    ticks = hints = 0
    with client.setup_kernel():
        for index, cell in enumerate(cells):
            client.execute_cell(cell, index)
            if "self-check" not in _tags(cell):
                continue
            assert "✓" in _text(cell), (
                f"{path.name} cell {index}: the model answer does not pass: {_text(cell)}"
            )
            ticks += 1
            # A wrong answer, then the same check: a hint, not a tick; then the answer again.
            variable = re.search(r"\b(answer_\w+)\b", cell.source)
            assert variable, cell.source
            client.execute_cell(nbformat.v4.new_code_cell(f"{variable.group(1)} = None"), scratch)
            with pytest.raises(CellExecutionError, match=r"Not quite\. Hint"):
                client.execute_cell(nbformat.v4.new_code_cell(cell.source), scratch)
            hints += 1
            client.execute_cell(nbformat.v4.new_code_cell(cells[index - 1].source), scratch)
    assert ticks == hints == len(found) >= 2
    # Rich displays: HTML outputs (charts, cards, reports, pandas tables), not only text.
    html = [o for c in cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert len(html) >= 4, f"{path.name}: {len(html)} HTML outputs"
