"""``snippets/catalog/point.md`` and ``instance.md``: the fields of a point and of an instance.

Made from the catalogue's schema (type, default, meaning) and from the records' own
declarations (which fields the catalogue works out, which go into ``to_dict``, which the
graph carries), so a field added to the catalogue shows up here without a docs edit.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel

from acupoints import Instance, Point
from acupoints.catalog.fields import InJson, derived_fields, json_rule
from acupoints.catalog.graph import POINT_ATTRIBUTES
from acupoints.catalog.schema import InstanceData, PointData

from .pages import Pages, cell, first_paragraph
from .schema_text import default_text, type_text

__all__ = ["fields_table", "generate"]

ANCHOR = "catalog-fields"
_IN_JSON = {InJson.ALWAYS: "yes", InJson.IF_SET: "when set", InJson.NEVER: "no"}


def fields_table(record: type, schema: type[BaseModel], graph: tuple[str, ...] | None) -> str:
    """The model's heading line, then a row per field of the record in its order (the order
    of ``to_dict``); with ``graph``, a column says which fields a graph node carries."""
    name = schema.__name__
    model = schema.model_json_schema()
    props: dict[str, Any] = model["properties"]
    required = list(model.get("required", []))
    made = derived_fields(record)
    head = ["Field", "Type", "Default", "In `to_dict`", *(["Graph attribute"] if graph is not None else [])]
    lines = [
        f"**`{name}`**: {cell(first_paragraph(model.get('description')))}",
        f"{{: #{ANCHOR}-{name.lower()} }}",
        "",
        "| " + " | ".join([*head, "What it holds"]) + " |",
        "|" + "---|" * (len(head) + 1),
    ]
    for f in dataclasses.fields(record):
        if f.name in made:
            kind, default, meaning = "set by the catalogue", "—", made[f.name]
        elif f.name in props:
            prop = props[f.name]
            if not prop.get("description"):
                raise ValueError(f"{name}.{f.name} has no description; the docs table shows it")
            kind, default = type_text(prop, ANCHOR), default_text(f.name, prop, required)
            meaning = prop["description"]
        else:
            raise ValueError(f"{record.__name__}.{f.name} is neither a field of {name} nor derived")
        row = [f"`{f.name}`", kind, default, _IN_JSON[json_rule(f)]]
        if graph is not None:
            # The code is no attribute: it is the key of the point's node.
            row.append("yes" if f.name in graph else "the node's key" if f.name == "code" else "—")
        # Python-Markdown leaves pipes inside code spans alone (the code's pattern has some),
        # so only the prose is escaped.
        lines.append("| " + " | ".join([*row, cell(meaning)]) + " |")
    missing = sorted(set(props) - {f.name for f in dataclasses.fields(record)})
    if missing:
        raise ValueError(f"{record.__name__} lacks the {name} fields {', '.join(missing)}")
    return "\n".join(lines)


def generate(pages: Pages) -> None:
    pages.add("snippets/catalog/point.md", fields_table(Point, PointData, POINT_ATTRIBUTES))
    pages.add("snippets/catalog/instance.md", fields_table(Instance, InstanceData, None))
