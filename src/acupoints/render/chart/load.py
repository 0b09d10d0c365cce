"""Reading the chart's data file, once, and checking it against a catalogue."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ...io.problems import problems_from
from ...io.resources import data_root
from ...io.yaml import load_file
from .schema import ChartFile

if TYPE_CHECKING:
    from ...catalog.catalog import Catalog

__all__ = ["check_chart", "default_chart", "read_chart"]


def read_chart(path: Any = None) -> ChartFile:
    """Read and validate a chart file (the packaged one by default); raises ``LoadError``."""
    doc = load_file(path if path is not None else data_root() / "chart.yaml", collect=True)
    try:
        parsed = ChartFile.model_validate(doc.data)
    except ValidationError as exc:
        doc.check(problems_from(exc, doc, model=ChartFile))
        raise  # pragma: no cover - check() always raises here
    doc.check()
    return parsed


_lock = threading.Lock()
_default: ChartFile | None = None


def default_chart() -> ChartFile:
    """The packaged chart, read on first use and shared."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = read_chart()
    return _default


def check_chart(chart: ChartFile, catalog: Catalog) -> list[str]:
    """Problems between a chart and a catalogue: points or instances without a place, unknown codes."""
    expected: set[str] = set()
    for p in catalog:
        expected.add(p.code)
        expected.update(i.code for i in p.instances)
    out = [f"{c}: no place on the chart" for c in catalog.codes if c not in chart.points]
    out += [f"{c}: no place on the chart" for c in sorted(expected - set(chart.points)) if "@" in c]
    out += [f"{c}: not a catalogue point" for c in sorted(set(chart.points) - expected)]
    for m in catalog.meridians:
        if m not in chart.channels:
            out.append(f"{m}: no channel course")
    return out
