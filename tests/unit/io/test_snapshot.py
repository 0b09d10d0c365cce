"""The parsed snapshot of the shipped files: current, exact, and never used when stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from acupoints import Catalog, Engine
from acupoints.cli import snapshot as snapshot_tool
from acupoints.io import snapshot
from acupoints.io.resources import data_root, shipped_files
from acupoints.io.yaml import load_file, load_text
from acupoints.rulebook.book import load_rulebook


def test_the_snapshot_is_current() -> None:
    want = snapshot_tool.render(snapshot_tool.build(shipped_files()))
    have = snapshot.snapshot_path().read_text(encoding="utf-8")
    assert have == want, "a shipped YAML file changed: run `make snapshot` (python -m acupoints.cli.snapshot)"


@pytest.mark.parametrize("path", shipped_files(), ids=lambda f: f.name)
def test_each_shipped_file_comes_back_as_its_yaml_reads(path: Path) -> None:
    raw = path.read_bytes()
    assert snapshot.lookup(raw) == load_text(raw, str(path), collect=True).data
    assert load_file(path, collect=True, trusted=True).data == load_text(raw, str(path), collect=True).data


def test_each_lookup_gives_new_objects() -> None:
    raw = (data_root() / "cautions.yaml").read_bytes()
    first = snapshot.lookup(raw)
    first["cautions"].clear()
    assert snapshot.lookup(raw)["cautions"]


def test_an_edited_file_is_read_as_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(str(data_root()), folder)
    lu = folder / "points" / "lu.yaml"
    text = lu.read_text(encoding="utf-8")
    assert "english: Middle Palace" in text
    lu.write_text(text.replace("english: Middle Palace", "english: Central Mansion"), encoding="utf-8")
    assert snapshot.lookup(lu.read_bytes()) is None
    assert Catalog.from_folder(folder, _trusted=True)["LU1"].english == "Central Mansion"


def test_without_the_snapshot_the_engine_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    case = {"complaints": [{"region": "wrist", "sensations": ["numbness"], "digits": [1, 2]}],
            "cause": {"kind": "entrapment", "nerve": "median"}}  # fmt: skip
    with_snapshot = Engine.default().suggest(case).to_json()
    monkeypatch.setattr(snapshot, "_entries", {})
    catalog = Catalog.from_folder(data_root(), _trusted=True)
    assert Engine(load_rulebook(None, catalog), catalog).suggest(case).to_json() == with_snapshot
