"""Turn pydantic validation errors into positioned problems.

Bounded for any input: "did you mean" is worked out for the first :data:`MAX_HINTS`
unknown words and fields only, a value is echoed in at most :data:`MAX_ECHO` characters,
and past :data:`MAX_PROBLEMS` problems the rest are counted in one last problem.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..base.errors import Problem
from ..base.vocab import closest, describe_choice
from ..base.words import UNKNOWN_WORD
from .document import Document

__all__ = ["MAX_ECHO", "MAX_HINTS", "MAX_PROBLEMS", "problems_from"]

#: Unknown words and fields that get a "did you mean" (each costs a fuzzy match).
MAX_HINTS = 10
#: Problems listed from one validation; the others are summed up in one more.
MAX_PROBLEMS = 100
#: Characters of a value shown in a message.
MAX_ECHO = 60

#: The error type of a word outside its vocabulary (see ``acupoints.base.words.Word``); its context
#: holds ``what`` (the kind of word) and ``allowed`` (the words, in order).

_CODES = {
    "extra_forbidden": "unknown-field",
    "missing": "missing-field",
    "literal_error": "unknown-word",
}


def _pretty_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, str) and len(part) > MAX_ECHO:
            part = part[: MAX_ECHO - 3] + "..."
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


#: How pydantic names union branches and validators in a location (``chain[`` and
#: ``custom-error[`` are how a vocabulary word of ``acupoints.base.words.Word`` is named).
_TAG = re.compile(
    r"^(literal\[|tuple\[|list\[|dict\[|function-|chain\[|custom-error\[|(str|int|float|bool|none)$|[A-Z])"
)


def _split_loc(loc: tuple[Any, ...], data: Any, missing: bool) -> tuple[tuple[Any, ...], int | None]:
    """The location as keys and indexes of the data, and where a union branch tag was.

    Pydantic puts the names of union branches and validators (``literal['affected']``,
    ``tuple[...]``, ``int``) into an error's location; the user's own keys may look like
    anything, so a part counts as a tag only when the data has no such key there.
    """
    out: list[Any] = []
    first_tag: int | None = None
    cur = data
    for i, part in enumerate(loc):
        in_dict = isinstance(cur, dict) and part in cur
        if in_dict or (isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)):
            out.append(part)
            cur = cur[part]
        elif missing and i == len(loc) - 1:
            out.append(part)  # the name of a required field that is absent
        elif not isinstance(cur, (dict, list)) and isinstance(part, str) and not _TAG.match(part):
            out.append(part)  # a field of a value the model expands (a bare flag word)
            cur = None
        else:
            first_tag = len(out) if first_tag is None else first_tag
    return tuple(out), first_tag


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _echo(value: Any) -> str:
    """``repr(value)``, cut to MAX_ECHO characters."""
    text = repr(value)
    return text if len(text) <= MAX_ECHO else text[: MAX_ECHO - 3] + "..."


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
    split = [_split_loc(tuple(e["loc"]), doc.data, e["type"] == "missing") for e in errors]
    # Union fields report once per form; drop the literal form's error when the same
    # field also has an error from another form (the user wrote a list, not the keyword).
    by_field: dict[tuple[Any, ...], int] = {}
    for raw, tag in split:
        if tag is not None:
            by_field[raw[:tag]] = by_field.get(raw[:tag], 0) + 1
    problems: list[Problem] = []
    seen: set[tuple[tuple[Any, ...], str]] = set()
    hints = MAX_HINTS
    left = 0
    for err, (raw, tag) in zip(errors, split, strict=True):
        if tag is not None and err["type"] == "literal_error" and by_field[raw[:tag]] > 1:
            continue
        if len(problems) >= MAX_PROBLEMS:
            left += 1
            continue
        loc = prefix + raw
        line, column = doc.where(loc)
        kind = err["type"]
        message = str(err["msg"])
        code = _CODES.get(kind, "invalid-value")
        if kind == "extra_forbidden":
            message = f"unknown field {_echo(loc[-1])}" if loc else "unknown field"
            parent = _model_at(model, raw[:-1])
            if parent is not None:
                allowed = _field_names(parent)
                near = closest(str(loc[-1]), allowed) if hints > 0 else None
                hints -= 1
                message += (f" (did you mean {near!r}?)" if near else "") + f"; allowed: {', '.join(allowed)}"
        elif kind == "literal_error":
            allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
            near = closest(str(err.get("input")), allowed) if hints > 0 else None
            hints -= 1
            what = next((p for p in reversed(raw) if isinstance(p, str)), "value")
            message = (
                f"unknown {what} {_echo(err.get('input'))}"
                + (f" (did you mean {near!r}?)" if near else "")
                + f"; allowed: {', '.join(allowed)}"
            )
        elif kind == UNKNOWN_WORD:
            ctx = err.get("ctx", {})
            word = err.get("input")
            if hints > 0 and len(str(word)) <= MAX_ECHO:
                message = describe_choice(word, ctx["allowed"], ctx["what"])
            else:
                message = f"unknown {ctx['what']} {_echo(word)}; allowed: {', '.join(ctx['allowed'])}"
            hints -= 1
            code = "unknown-word"
        elif kind == "missing":
            message = "this field is required"
        elif message.startswith("Value error, "):
            message = message[len("Value error, ") :]
            if message.startswith("unknown "):
                code = "unknown-word"
        text = f"{_pretty_loc(loc)}: {message}"
        if (raw, text) in seen:
            continue
        seen.add((raw, text))
        problems.append(Problem(doc.path, line, column, code, text))
    if left:
        last = problems[-1]
        message = f"{left} more problem(s) of this document are not listed (MAX_PROBLEMS is {MAX_PROBLEMS})"
        problems.append(Problem(doc.path, last.line, last.column, "more-problems", message))
    return problems
