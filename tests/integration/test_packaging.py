"""The package as users get it: the wheel carries the data and the rules, and the public
names are exactly those in ``__all__``."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

import acupoints
from data.paths import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("acupoints-*.whl")
    return built


def test_the_wheel_carries_the_data_rules_and_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped_points = {
        f"acupoints/data/points/{p.name}" for p in (ROOT / "src/acupoints/data/points").glob("*.yaml")
    }
    shipped_rules = {f"acupoints/rules/{p.name}" for p in (ROOT / "rules").glob("*.yaml")}
    assert len(shipped_points) == 15 and shipped_points <= names
    assert shipped_rules and shipped_rules <= names
    assert {"acupoints/data/cautions.yaml", "acupoints/data/chart.yaml", "acupoints/py.typed"} <= names
    assert not any(n.startswith(("tests/", "docs/", "benchmarks/")) for n in names)


def test_the_installed_wheel_works_without_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    script = (
        "import acupoints, acupoints.io.resources as rb, pathlib\n"
        "root = pathlib.Path(str(rb.rules_root()))\n"
        "assert 'site' in root.parts, root\n"
        "engine = acupoints.Engine.default()\n"
        "s = engine.suggest({'complaints': [{'region': 'foot', 'aspect': 'plantar', 'sensations': ['numbness']}]})\n"
        "print(len(acupoints.Catalog.default()), len(engine.rulebook), s.status, 'SP6' in s.codes)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r})\n{script}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    count, rules, status, has_sp6 = done.stdout.split()
    assert int(count) == 409 and int(rules) > 40 and status == "suggested" and has_sp6 == "True"


def test_all_is_sorted_complete_and_importable() -> None:
    public = [n for n in acupoints.__all__ if n != "__version__"]
    assert public == sorted(public)
    for name in acupoints.__all__:
        assert getattr(acupoints, name) is not None
    lazy = set(acupoints._LAZY)
    assert lazy == set(public), "every lazily exported name is in __all__ and nothing else"
    # The layers' subpackages become attributes once imported; they are not public names.
    exported = {
        n
        for n in dir(acupoints)
        if not n.startswith("_") and not isinstance(getattr(acupoints, n), ModuleType)
    }
    assert exported - {"annotations", "TYPE_CHECKING", "Any"} == set(acupoints.__all__) - {"__version__"}


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = acupoints.Nope  # type: ignore[attr-defined]


def test_import_loads_nothing_heavy() -> None:
    code = (
        "import sys, acupoints\n"
        "heavy = [m for m in ('networkx', 'pydantic', 'yaml') if m in sys.modules]\n"
        "print(','.join(heavy) or 'none')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "none"
