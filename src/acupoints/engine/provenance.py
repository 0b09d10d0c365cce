"""Which engine made a result: the library's version, its packs, and one digest.

The digest is the SHA-256 over the digest of the rule files (worked out when the rule
book is loaded) and that of the catalogue data (points, cautions and the knowledge
tables, worked out when the catalogue is loaded), so it names exactly the data that
produced a stored result. It is made once per engine; every result shares it.

A rule book or catalogue built in memory has no files; its part of the digest is then
taken over its content (each rule's schema and pack; each point, meridian and caution),
so two such engines with the same content still share a digest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..base.memo import json_once
from .contract import EngineDict

if TYPE_CHECKING:
    from ..catalog.catalog import Catalog
    from ..rulebook.compiled import RuleBook

__all__ = ["Provenance", "provenance_of"]


@dataclass(frozen=True)
class Provenance:
    """Which engine produced a result: the library's version, the packs of its rulebook,
    and one digest over the rule files and the catalogue data it was built from."""

    version: str
    packs: tuple[str, ...]
    digest: str

    def to_dict(self) -> EngineDict:
        return {"version": self.version, "packs": list(self.packs), "digest": self.digest}

    def _json(self) -> str:
        """``to_dict()`` as JSON text, worked out once (every result of an engine has it)."""
        return json_once(self)

    @classmethod
    def from_dict(cls, data: EngineDict) -> Provenance:
        return cls(data["version"], tuple(data["packs"]), data["digest"])


def provenance_of(rulebook: RuleBook, catalog: Catalog) -> Provenance:
    """The :class:`Provenance` of an engine over ``rulebook`` and ``catalog``."""
    rules = rulebook.digest or _rules_content(rulebook)
    data = catalog.digest or _catalog_content(catalog)
    digest = hashlib.sha256(f"rules {rules}\ncatalogue {data}\n".encode()).hexdigest()
    return Provenance(__version__, rulebook.packs, f"sha256:{digest}")


def _rules_content(rulebook: RuleBook) -> str:
    total = hashlib.sha256()
    for r in rulebook.rules:
        total.update(f"{r.pack}\0{r.source_key}\0{r.source}\0".encode())
        total.update(r.rule.model_dump_json().encode() + b"\n")
    return total.hexdigest()


def _catalog_content(catalog: Catalog) -> str:
    total = hashlib.sha256()
    parts: list[dict[str, Any]] = [p.to_dict() for p in catalog]
    parts += [asdict(m) for m in catalog.meridians.values()]
    parts += [asdict(c) for c in catalog.cautions.values()]
    for part in parts:
        total.update(json.dumps(part, sort_keys=True, ensure_ascii=False).encode() + b"\n")
    return total.hexdigest()
