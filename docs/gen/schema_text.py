"""JSON Schemas in words: a field's type and default as a field table shows them.

Shared by the tables of the case and rule formats and of the catalogue's fields.
"""

from __future__ import annotations

import json
from typing import Any

from .pages import cell, first_paragraph
from .vocabulary import word_link

__all__ = ["default_text", "field_table", "type_text"]


def _enum_text(values: list[Any]) -> str:
    return word_link(values) or " \\| ".join(f"`{v}`" for v in values)


def type_text(s: dict[str, Any], anchor: str) -> str:
    """A JSON Schema node in a few words, with links to the tables of referenced models."""
    if "$ref" in s:
        name = s["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{anchor}-{name.lower()})"
    if "anyOf" in s:
        parts = [type_text(a, anchor) for a in s["anyOf"] if a.get("type") != "null"]
        return " or ".join(parts)
    if "const" in s:
        return f"`{json.dumps(s['const'])}`"
    if "enum" in s:
        return _enum_text(s["enum"])
    kind = s.get("type")
    if kind == "array":
        if "prefixItems" in s:
            return "pair of " + " and ".join(type_text(i, anchor) for i in s["prefixItems"])
        items = s.get("items")
        return f"list of {type_text(items, anchor)}" if items else "list"
    if kind == "object":
        extra = s.get("additionalProperties")
        if isinstance(extra, dict):
            return f"mapping of text to {type_text(extra, anchor)}"
        return "mapping"
    bounds = []
    if "minimum" in s:
        bounds.append(f"≥ {s['minimum']}")
    if "exclusiveMinimum" in s:
        bounds.append(f"> {s['exclusiveMinimum']}")
    if "maximum" in s:
        bounds.append(f"≤ {s['maximum']}")
    if "minLength" in s:
        bounds.append(f"at least {s['minLength']} characters")
    if "pattern" in s:
        bounds.append(f"matching `{s['pattern']}`")
    names = {"string": "text", "integer": "integer", "number": "number", "boolean": "`true` or `false`"}
    base = names.get(str(kind), "any value") if kind else "any value"
    return base + (f" ({', '.join(bounds)})" if bounds else "")


def default_text(name: str, s: dict[str, Any], required: list[str]) -> str:
    if name in required:
        return "**required**"
    if "default" not in s or s["default"] is None:
        return "optional"
    return f"`{json.dumps(s['default'])}`"


def field_table(title: str, model: dict[str, Any], anchor: str) -> str:
    """A model's heading line (with its anchor) and its table of fields, types and defaults."""
    required = list(model.get("required", []))
    lines = [
        f"**`{title}`**: {cell(first_paragraph(model.get('description')))}",
        f"{{: #{anchor}-{title.lower()} }}",
    ]
    lines += ["", "| Field | Type | Default |", "|---|---|---|"]
    for name, prop in model.get("properties", {}).items():
        lines.append(f"| `{name}` | {type_text(prop, anchor)} | {default_text(name, prop, required)} |")
    return "\n".join(lines)
