"""The case's tender points, read against the engine's own catalogue.

The case model keeps tender points as written; here each written form is resolved once
per engine. An unknown one is an error (:class:`CaseError`), never a silent drop. The
per-case path reads the remembered entries; the plain meaning is the ``tender_points``
kind of :data:`.selection.SELECTION_KINDS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..base.errors import CaseError, Problem
from .caches import remember
from .ranking import Entry

if TYPE_CHECKING:
    from ..case.model import Case
    from ..catalog.catalog import Catalog

__all__ = ["TenderPoints"]


class TenderPoints:
    """Written tender points as :data:`.ranking.Found` entries, remembered per written form."""

    def __init__(self, catalog: Catalog, order: dict[str, int], midline: frozenset[str]) -> None:
        self.catalog = catalog
        self._order = order
        self._midline = midline
        #: A written tender point as its entry (empty: it names no point).
        self._entries: dict[str, tuple[Any, ...]] = {}

    def check(self, case: Case) -> None:
        """Every tender point must name one point of this engine's catalogue: an unknown
        one is an error, never silently dropped (each written form is looked up once)."""
        known = self._entries
        bad = []
        for i, text in enumerate(case.__dict__["tender_points"]):
            entry = known.get(text)
            if entry is None:
                entry = self._entry(text)
            if not entry:
                message = self.catalog.unknown_message(text, "tender point")
                bad.append(Problem("<case>", 1, 1, "unknown-point", f"tender_points[{i}]: {message}"))
        if bad:
            raise CaseError(bad)

    def entries(self, case: Case) -> tuple[Entry, ...]:
        """The case's tender points as entries, in the order written, each point once."""
        known = self._entries
        out: dict[str, Entry] = {}
        for text in case.__dict__["tender_points"]:
            entry = known.get(text)
            if entry is None:
                entry = self._entry(text)
            if entry and entry[0] not in out:
                out[entry[0]] = entry
        return tuple(out.values())

    def _entry(self, text: str) -> tuple[Any, ...]:
        """A written tender point as its entry (empty: it names no point), remembered."""
        code = self.catalog.resolve(text)
        entry = (code, (), self._order[code], code in self._midline) if code else ()
        remember(self._entries, text, entry)
        return entry
