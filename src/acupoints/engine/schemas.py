"""The JSON Schemas of the library's three formats: the case, the rule files, the result.

Each is generated from its typed model (the case and rule models, the result's types in
:mod:`.contract`) and says which dialect it is written in (``$schema``) and which schema
it is (``$id``), so a stored schema can be told from another. ``acupoints schema WHAT``
and the service's ``GET /schema/WHAT`` print these.
"""

from __future__ import annotations

from typing import Any

from ..case.model import Case
from ..rulebook.schema import RuleFile
from .contract import JSON_SCHEMA_DIALECT, result_schema, schema_id

__all__ = ["SCHEMAS", "json_schema", "with_header"]

#: The formats with a schema, as ``acupoints schema`` names them.
SCHEMAS = ("case", "rules", "result")


def with_header(what: str, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with ``$schema`` and ``$id`` first (any it has are replaced)."""
    rest = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": schema_id(what), **rest}


def json_schema(what: str) -> dict[str, Any]:
    """The JSON Schema of ``case``, ``rules`` or ``result`` (ValueError for another name).

    >>> json_schema("case")["$id"], json_schema("result")["title"]
    ('urn:acupoints:schema:case', 'Result')
    """
    if what == "result":
        return result_schema()
    if what == "case":
        return with_header(what, Case.json_schema())
    if what == "rules":
        return with_header(what, RuleFile.model_json_schema(by_alias=True))
    raise ValueError(f"no schema {what!r}; the schemas are: {', '.join(SCHEMAS)}")
