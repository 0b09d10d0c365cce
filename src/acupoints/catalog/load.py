"""Read and validate the catalogue's data files."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..base.errors import Problem
from ..io.problems import problems_from
from ..io.resources import data_root
from ..io.yaml import load_file
from .schema import CautionFile, PointFile

__all__ = ["read_cautions", "read_point_file"]


def read_cautions(path: Any = None, trusted: bool = False) -> CautionFile:
    """The caution kinds (``data/cautions.yaml``)."""
    doc = load_file(
        path if path is not None else data_root() / "cautions.yaml", collect=True, trusted=trusted
    )
    try:
        parsed = CautionFile.model_validate(doc.data)
    except ValidationError as exc:
        doc.check(problems_from(exc, doc))
        raise  # pragma: no cover - check() always raises here
    doc.check()
    return parsed


def read_point_file(path: Any, caution_ids: frozenset[str] | None = None, trusted: bool = False) -> PointFile:
    """One meridian or extra-point file, validated; every problem raised at once."""
    doc = load_file(path, collect=True, trusted=trusted)
    try:
        parsed = PointFile.model_validate(doc.data)
    except ValidationError as exc:
        doc.check(problems_from(exc, doc))
        raise  # pragma: no cover - check() always raises here
    if caution_ids is None:
        caution_ids = frozenset(c.id for c in read_cautions().cautions)
    problems: list[Problem] = []

    def add(loc: tuple[Any, ...], code: str, message: str) -> None:
        line, column = doc.where(loc)
        problems.append(Problem(doc.path, line, column, code, message))

    if parsed.kind == "meridian" and parsed.meridian is None:
        add(("kind",), "missing-field", "a meridian file needs a 'meridian' header")
    prefix = parsed.meridian.code if parsed.meridian else "EX-"
    seen: set[str] = set()
    for i, point in enumerate(parsed.points):
        if not point.code.startswith(prefix):
            add(("points", i, "code"), "wrong-file", f"point {point.code} does not belong in a {prefix} file")
        if point.code in seen:
            add(("points", i, "code"), "duplicate-point", f"point {point.code} appears twice")
        seen.add(point.code)
        for j, caution in enumerate(point.cautions):
            if caution not in caution_ids:
                add(
                    ("points", i, "cautions", j),
                    "unknown-caution",
                    f"unknown caution {caution!r}; known: {', '.join(sorted(caution_ids))}",
                )
        if parsed.meridian and point.surface != parsed.meridian.surface:
            add(
                ("points", i, "surface"),
                "surface-mismatch",
                f"{point.code} is on the {parsed.meridian.surface} surface like its meridian, not {point.surface}",
            )
    doc.check(problems)
    return parsed
