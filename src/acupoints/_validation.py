"""Turn pydantic validation errors into positioned problems."""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ._errors import Problem
from ._vocab import closest
from ._yaml import Document

_CODES = {
    "extra_forbidden": "unknown-field",
    "missing": "missing-field",
    "literal_error": "unknown-word",
}


def _pretty_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _model_at(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``loc``, if one can be found."""
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            by_alias = [f for f in model.model_fields.values() if f.alias == part]
            if not by_alias:
                return None
            field = by_alias[0]
        model = _first_model(field.annotation)
    return model


def _first_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _first_model(arg)
        if found is not None:
            return found
    return None


def _is_branch(part: Any) -> bool:
    """Pydantic names union branches and validator wrappers in the location; fields never do."""
    return isinstance(part, str) and ("[" in part or "function-" in part or part.startswith("<"))


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def problems_from(
    exc: ValidationError, doc: Document, prefix: tuple[Any, ...] = (), model: type[BaseModel] | None = None
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, placed at the offending key or item.

    With ``model``, an unknown field names the allowed fields and the closest one. An
    unknown literal names the allowed words and the closest one. Where a field accepts one
    of several forms (``affected`` or a list of regions), only the error of the form the
    user evidently meant is kept.
    """
    errors = exc.errors(include_url=False)
    # Union fields report once per form; drop the literal form's error when the same
    # field also has an error from another form (the user wrote a list, not the keyword).
    by_field: dict[tuple[Any, ...], list[str]] = {}
    for err in errors:
        cut = next((i for i, p in enumerate(err["loc"]) if _is_branch(p)), None)
        if cut is not None:
            by_field.setdefault(tuple(err["loc"][:cut]), []).append(err["type"])
    problems = []
    for err in errors:
        cut = next((i for i, p in enumerate(err["loc"]) if _is_branch(p)), None)
        if cut is not None and err["type"] == "literal_error" and len(by_field[tuple(err["loc"][:cut])]) > 1:
            continue
        raw = tuple(p for p in err["loc"] if not _is_branch(p))
        loc = prefix + raw
        line, column = doc.where(loc)
        kind = err["type"]
        message = str(err["msg"])
        code = _CODES.get(kind, "invalid-value")
        if kind == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
            parent = _model_at(model, raw[:-1])
            if parent is not None:
                allowed = _field_names(parent)
                near = closest(str(loc[-1]), allowed)
                message += (f" (did you mean {near!r}?)" if near else "") + f"; allowed: {', '.join(allowed)}"
        elif kind == "literal_error":
            allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
            near = closest(str(err.get("input")), allowed)
            what = next((p for p in reversed(raw) if isinstance(p, str)), "value")
            message = (
                f"unknown {what} {err.get('input')!r}"
                + (f" (did you mean {near!r}?)" if near else "")
                + f"; allowed: {', '.join(allowed)}"
            )
        elif kind == "missing":
            message = "this field is required"
        elif message.startswith("Value error, "):
            message = message[len("Value error, ") :]
            if message.startswith("unknown "):
                code = "unknown-word"
        problems.append(Problem(doc.path, line, column, code, f"{_pretty_loc(loc)}: {message}"))
    return problems
