"""Turn pydantic validation errors into positioned problems."""

from __future__ import annotations

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
            return None
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


def problems_from(
    exc: ValidationError, doc: Document, prefix: tuple[Any, ...] = (), model: type[BaseModel] | None = None
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, placed at the offending key or item.

    With ``model``, an unknown field names the allowed fields and the closest one.
    """
    problems = []
    for err in exc.errors(include_url=False):
        raw = tuple(
            p for p in err["loc"] if not (isinstance(p, str) and ("function-" in p or p.startswith("<")))
        )
        loc = prefix + raw
        line, column = doc.where(loc)
        kind = err["type"]
        message = str(err["msg"])
        code = _CODES.get(kind, "invalid-value")
        if kind == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
            parent = _model_at(model, raw[:-1])
            if parent is not None:
                allowed = list(parent.model_fields)
                near = closest(str(loc[-1]), allowed)
                message += (f" (did you mean {near!r}?)" if near else "") + f"; allowed: {', '.join(allowed)}"
        elif kind == "missing":
            message = "this field is required"
        elif message.startswith("Value error, "):
            message = message[len("Value error, ") :]
            if message.startswith("unknown "):
                code = "unknown-word"
        problems.append(Problem(doc.path, line, column, code, f"{_pretty_loc(loc)}: {message}"))
    return problems
