"""The teaching notebooks in docs/notebooks/: saved clean, linked from the docs, and they run.

Each notebook is executed top to bottom with nbclient and the ``python3`` kernel (under
the project's virtualenv that kernel is this interpreter, through ipykernel), from the
notebook's own folder as Jupyter would. A cell that raises, or writes to standard error,
fails the test.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from data.paths import ROOT

FOLDER = ROOT / "docs" / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
TEACHING = ("01-meridian-graph.ipynb", "02-case-to-plan.ipynb", "03-your-own-rules.ipynb")


def test_the_teaching_notebooks_are_there() -> None:
    assert {n.name for n in NOTEBOOKS} >= set(TEACHING)


def test_the_docs_link_every_notebook() -> None:
    page = (ROOT / "docs" / "notebooks.md").read_text(encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for notebook in NOTEBOOKS:
        assert f"](notebooks/{notebook.name})" in page, notebook.name
        assert f": notebooks/{notebook.name}\n" in config, f"{notebook.name} is not in the nav"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_saved_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.cells and nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_top_to_bottom(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel inherits the environment: temporary folders the notebook makes go here.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, if one fails
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code_cells)
    stderr = [
        (i, out.get("text", ""))
        for i, c in enumerate(nb.cells)
        for out in c.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]
    assert not stderr, f"{path.name} wrote to standard error: {stderr}"
    # Every notebook shows something: at least half of its code cells have an output.
    shown = sum(1 for c in code_cells if c.outputs)
    assert shown * 2 >= len(code_cells)
