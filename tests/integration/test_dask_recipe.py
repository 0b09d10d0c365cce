"""The Dask recipe of docs/scale.md, run as written: its results equal ``suggest_many``."""

from __future__ import annotations

import json
import random
import re
import types
from pathlib import Path
from typing import Any

import pytest

from acupoints import Engine
from acupoints.base.vocab import CAUSE_KINDS, FLAGS, RED_FLAGS, REGIONS, SENSATIONS, SIDES
from data.paths import DOCS

dask = pytest.importorskip("dask")
db = pytest.importorskip("dask.bag")

DOC = DOCS / "scale.md"
MARKER = "<!-- recipe:"


@pytest.fixture(scope="module")
def recipe() -> types.ModuleType:
    """The Python block that follows the recipe marker in docs/scale.md, as a module."""
    text = DOC.read_text(encoding="utf-8")
    assert MARKER in text, "docs/scale.md lost its recipe marker"
    block = re.search(r"```python\n(.*?)```", text.split(MARKER, 1)[1], re.S)
    assert block is not None, "no python block after the recipe marker"
    # Not registered in sys.modules: process workers receive its functions by value.
    module = types.ModuleType("scale_recipe")
    exec(compile(block.group(1), str(DOC), "exec"), module.__dict__)
    return module


def make_cases(n: int, seed: int = 21) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        case: dict[str, Any] = {
            "id": f"d{i}",
            "complaints": [
                {
                    "region": rng.choice(REGIONS),
                    "side": rng.choice(SIDES),
                    "sensations": [rng.choice(SENSATIONS)],
                }
                for _ in range(rng.randint(1, 2))
            ],
        }
        if rng.random() < 0.8:
            case["cause"] = {"kind": rng.choice(CAUSE_KINDS)}
        if rng.random() < 0.2:
            case["flags"] = [rng.choice(FLAGS)]
        if rng.random() < 0.1:
            case["red_flags"] = [rng.choice(RED_FLAGS)]
        out.append(case)
    return out


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    return make_cases(60)


@pytest.fixture(scope="module")
def expected(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s.to_dict() for s in Engine.default().suggest_many(cases)]


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_the_bag_gives_what_suggest_many_gives(
    recipe: types.ModuleType, cases: list[dict[str, Any]], expected: list[dict[str, Any]], scheduler: str
) -> None:
    bag = db.from_sequence(cases, npartitions=7)
    results = recipe.suggest_bag(bag).compute(scheduler=scheduler)
    assert results == expected
    assert len({r["status"] for r in results}) == 2  # both suggestions and referrals went through


def test_a_custom_engine_is_sent_to_worker_processes(recipe: types.ModuleType, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        """
pack: tiny
sources: {T: "A test source"}
rules:
  - id: painful-neck
    source: T
    summary: "Painful neck: two points"
    when: {complaint: {region: [neck], sensation: [pain]}}
    select: [{points: [GB20, BL10], role: local}]
""",
        encoding="utf-8",
    )
    engine = Engine.from_paths(rules)
    cases = [
        {"id": "n", "complaints": [{"region": "neck", "sensations": ["pain"]}]},
        {"id": "f", "complaints": [{"region": "foot", "sensations": ["pain"]}]},
    ] * 4
    bag = db.from_sequence(cases, npartitions=4)
    results = recipe.suggest_bag(bag, engine).compute(scheduler="processes", num_workers=2)
    assert results == [s.to_dict() for s in engine.suggest_many(cases)]
    assert [sorted(p["code"] for p in r["points"]) for r in results[:2]] == [["BL10", "GB20"], []]


def test_files_in_and_files_out_keep_the_order(
    recipe: types.ModuleType, cases: list[dict[str, Any]], expected: list[dict[str, Any]], tmp_path: Path
) -> None:
    src = tmp_path / "cases"
    src.mkdir()
    # Twelve files: with unpadded names, "10" and "11" would sort before "2".
    for k in range(12):
        part = cases[k * 5 : (k + 1) * 5]
        text = "".join(json.dumps(c) + "\n" for c in part)
        (src / f"part-{k:02d}.jsonl").write_text(text + "\n", encoding="utf-8")  # a trailing blank line
    bag = recipe.read_cases(str(src / "*.jsonl"))
    assert bag.npartitions == 12
    out = tmp_path / "results"
    with dask.config.set(scheduler="sync"):
        recipe.write_results(recipe.suggest_bag(bag), str(out))
    files = sorted(out.glob("*.jsonl"))
    assert [f.name for f in files][::11] == ["00.jsonl", "11.jsonl"]  # padded, as the page says
    rows = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    assert rows == expected
