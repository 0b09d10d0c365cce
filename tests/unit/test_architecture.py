"""The layers hold: no import cycle, counting imports inside functions, and every module
states its public names."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import grimp
import networkx as nx
import pytest

import acupoints

SRC = Path(acupoints.__file__).resolve().parent


def _modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.walk_packages(acupoints.__path__, "acupoints.")
        if not m.name.endswith("__main__")
    )


def test_no_import_cycle_at_run_time() -> None:
    # Imports under ``if TYPE_CHECKING:`` never run; every other import counts, also those
    # inside functions (the display methods' way up must not come back down in a loop).
    graph = grimp.build_graph("acupoints", exclude_type_checking_imports=True, cache_dir=None)
    g = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("acupoints"):
                g.add_edge(module, imported)
    # A package's __init__ is reached by importing any of its modules; only module-to-module
    # imports can loop.
    packages = {m for m in graph.modules if (SRC / Path(*m.split(".")[1:]) / "__init__.py").exists()}
    cycles = [
        sorted(c) for c in nx.strongly_connected_components(g.subgraph(set(g) - packages)) if len(c) > 1
    ]
    assert cycles == []


def test_a_planted_cycle_is_found() -> None:
    g = nx.DiGraph([("a", "b"), ("b", "a")])
    assert [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1] == [["a", "b"]]


@pytest.mark.parametrize("name", _modules())
def test_every_module_states_its_public_names(name: str) -> None:
    module = importlib.import_module(name)
    assert isinstance(getattr(module, "__all__", None), list), f"{name} has no __all__ list"
    for exported in module.__all__:
        assert hasattr(module, exported), f"{name}.__all__ names {exported!r}, which it lacks"


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_every_module_states_its_public_names_once(path: Path) -> None:
    # A second assignment silently replaces the first (a merge can leave two behind).
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [
        t.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name) and t.id == "__all__"
    ]
    assert len(names) <= 1, f"{path.name} assigns __all__ {len(names)} times"


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_is_longer_than_a_person_reads_at_once(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 600, f"{path.name} has {len(text.splitlines())} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= 400, f"class {node.name} in {path.name} has {length} lines"
