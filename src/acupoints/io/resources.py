"""Where the package's own files are: the catalogue's data and the shipped rule packs.

Read with :mod:`importlib.resources`; a source checkout keeps the rules at the top level
(its ``rules/`` folder), the one place a path is worked out from this file.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from ..base.compat import Traversable

__all__ = ["data_root", "rule_files", "rules_root", "shipped_files"]


def data_root() -> Traversable:
    """The package's data folder."""
    return resources.files("acupoints") / "data"


def rules_root() -> Traversable:
    """The folder of the shipped rules: inside the wheel, or a source checkout's ``rules/``."""
    packaged = resources.files("acupoints") / "rules"
    if packaged.is_dir():
        return packaged
    # A source checkout (editable install) keeps the rules at the top level.
    return Path(__file__).resolve().parents[3] / "rules"


def rule_files(paths: Iterable[str | Path | Traversable]) -> list[Any]:
    """Expand folders to their ``*.yaml`` files, sorted by name; keep files as given."""
    out: list[Any] = []
    for p in paths:
        t: Any = Path(p) if isinstance(p, str) else p
        if t.is_dir():
            out += sorted(
                (f for f in t.iterdir() if f.name.endswith((".yaml", ".yml"))), key=lambda f: f.name
            )
        else:
            out.append(t)
    return out


def shipped_files() -> list[Any]:
    """Every file the default catalogue and rulebook read (the ones loaded as trusted)."""
    data = data_root()
    points = sorted(
        (f for f in (data / "points").iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name
    )
    return [
        data / "cautions.yaml",
        data / "aliases.yaml",
        *points,
        data / "categories.yaml",
        data / "roots.yaml",
        *rule_files([rules_root()]),
    ]
