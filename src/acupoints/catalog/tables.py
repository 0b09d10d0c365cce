"""Reading the catalogue's cited tables: a frozen schema base, source keys, positioned checks.

The knowledge tables (:mod:`acupoints.catalog.categories`, :mod:`acupoints.catalog.roots`)
share one shape: a ``sources`` mapping of keys to full citations, then entries that name
those keys. This module reads such a file with the safe loader, validates it against its
schema, and collects the problems the semantic checks find, each at its key or item, so
that a reader reports them all at once like the point files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..base.errors import Problem
from ..base.vocab import describe_choice
from ..io.problems import problems_from
from ..io.yaml import Document, load_file

__all__ = ["Checker", "Frozen", "Key", "Text", "parse", "show_levels"]

#: A source key or an entry id: lower case, digits and ``_``.
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
#: A text written for the project: a sentence, not a word.
Text = Annotated[str, Field(min_length=10)]


class Frozen(BaseModel):
    """Schema base: frozen, and unknown fields are errors (a misspelt key cannot hide)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Checker:
    """Collects positioned problems for one document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, loc: tuple[Any, ...], code: str, message: str) -> None:
        """A problem at the key or item ``loc`` (or its nearest ancestor with a position)."""
        line, column = self.doc.where(loc)
        self.problems.append(Problem(self.doc.path, line, column, code, message))

    def sources(self, keys: Iterable[str], known: Mapping[str, str], loc: tuple[Any, ...]) -> tuple[str, ...]:
        """The citations of ``keys``, one line each; an unknown key is a problem at ``loc``."""
        out = []
        for j, key in enumerate(keys):
            if key in known:
                out.append(" ".join(known[key].split()))
            else:
                self.add((*loc, j), "unknown-source", describe_choice(key, sorted(known), "source"))
        return tuple(out)

    def done(self) -> None:
        """Raise every problem found (with any the reading left), if there are any."""
        self.doc.check(self.problems)


_Model = TypeVar("_Model", bound=BaseModel)


def parse(path: Any, model: type[_Model], trusted: bool = False) -> tuple[_Model, Checker]:
    """Read ``path`` and validate it as ``model``; schema problems are raised at once."""
    doc = load_file(path, collect=True, trusted=trusted)
    try:
        parsed = model.model_validate(doc.data)
    except ValidationError as exc:
        doc.check(problems_from(exc, doc, model=model))
        raise  # pragma: no cover - check() always raises here
    return parsed, Checker(doc)


def show_levels(levels: Iterable[str] | None) -> str:
    """Spinal levels as a message writes them: ``[C5, C6]``, or ``none``.

    >>> show_levels(("C5", "C6")), show_levels(None)
    ('[C5, C6]', 'none')
    """
    return f"[{', '.join(levels)}]" if levels else "none"
