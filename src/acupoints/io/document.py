"""A parsed document: its plain data, where each value was written, and its soft problems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..base.errors import LoadError, Problem

__all__ = ["Document", "Path_", "Positions"]

#: Where a value sits in a document: the keys and list indexes leading to it.
Path_ = tuple[str | int, ...]
#: The (line, column) of every key and item, by its path.
Positions = dict[Path_, tuple[int, int]]


class Document:
    """A loaded document: its data and the (line, column) of every key and item.

    ``positions`` may be worked out only when first asked for (``locate``): the JSON
    reader does so, because a valid document never needs them.
    """

    def __init__(
        self,
        data: Any,
        path: str,
        positions: Positions | None = None,
        problems: list[Problem] | None = None,
        locate: Callable[[], Positions] | None = None,
    ) -> None:
        self.data = data
        self.path = path
        self._positions = positions
        self._locate = locate
        #: Problems found while reading that did not stop it (duplicate keys).
        self.problems: list[Problem] = list(problems or [])

    def __repr__(self) -> str:
        return f"Document({self.data!r}, {self.path!r})"

    @property
    def positions(self) -> Positions:
        """The position of every key and item (worked out on first use when needed)."""
        if self._positions is None:
            self._positions = self._locate() if self._locate is not None else {}
        return self._positions

    def check(self, problems: list[Problem] | None = None) -> None:
        """Raise every problem of the reading and ``problems`` together, if there are any."""
        found = self.problems + list(problems or [])
        if found:
            raise LoadError(sorted(found, key=lambda p: (p.line, p.column)))

    def where(self, loc: Path_) -> tuple[int, int]:
        """The position of ``loc`` or of its nearest ancestor that has one."""
        positions = self.positions
        loc = tuple(loc)
        while loc:
            if loc in positions:
                return positions[loc]
            loc = loc[:-1]
        return positions.get((), (1, 1))
