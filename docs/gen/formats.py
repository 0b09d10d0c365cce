"""``snippets/case/*.md``, ``snippets/rule/*.md`` and ``snippets/result/*.md``: the field
tables of the case, rule and result formats, one per model, made from their JSON Schemas."""

from __future__ import annotations

import acupoints
from acupoints.engine.contract import result_schema
from acupoints.rulebook.schema import RuleFile

from .pages import Pages
from .schema_text import field_table

__all__ = ["generate"]


def generate(pages: Pages) -> None:
    for kind, schema in (
        ("case", acupoints.Case.json_schema()),
        ("rule", RuleFile.model_json_schema(by_alias=True)),
        ("result", result_schema()),
    ):
        models = {schema["title"]: schema, **schema.get("$defs", {})}
        for title, model in models.items():
            pages.add(f"snippets/{kind}/{title}.md", field_table(title, model, f"{kind}-fields"))
