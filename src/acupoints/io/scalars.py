"""Plain YAML scalars with JSON's meaning: ``010`` is not octal, ``1:00`` is not sixty.

PyYAML follows YAML 1.1, where an unquoted ``010`` is 8, ``1:30`` is 90, ``0x1F`` is
31 and ``no`` is false. Those readings surprise everyone who did not write a YAML
parser, and JSON never makes them. Here an unquoted scalar is:

- null for nothing, ``~`` and ``null`` (also ``Null``, ``NULL``);
- a boolean for ``true`` and ``false`` (also capitalised or in capitals);
- a number when it is a JSON number (``-12``, ``0.5``, ``1e5``);
- refused, with a hint, when YAML 1.1 would read it as a number or a boolean that JSON
  would not (``010``, ``1:00``, ``0x1F``, ``1_000``, ``+5``, ``.5``, ``.inf``, ``yes``,
  ``off``), and for ``NaN`` and ``Infinity``, which are not JSON;
- otherwise text, exactly as written (dates too).

Quoted scalars are always text. :data:`NOT_BOOL` and :data:`Integer` do the same for
models: ``true`` and ``false`` are not numbers there.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator

from . import limits

__all__ = ["NOT_BOOL", "Integer", "ScalarRefused", "plain_scalar"]

_TEXT = object()
_REFUSED = object()
#: The unquoted words that are not text: null, the booleans, and what YAML 1.1 would
#: read as a boolean or JSON would not read at all.
_SPECIAL: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"), _REFUSED),
    **dict.fromkeys(("NaN", "nan", "Infinity", "infinity", "inf", "Inf"), _REFUSED),
}
_JSON_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")
#: What YAML 1.1 (PyYAML's resolver) reads as a number or a special float, and more
#: that looks like a number (a leading '+' or '.', digits with a trailing '.').
_YAML11_NUMBER = re.compile(
    r"""(?:[-+]?0b[0-1_]+
    |[-+]?0x[0-9a-fA-F_]+
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    |[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
    |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)
    |[-+]?(?:NaN|nan|Infinity|infinity|inf|Inf))\Z""",
    re.X,
)


class ScalarRefused(Exception):
    """An unquoted scalar that means different things in YAML 1.1 and in JSON."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _hint(text: str) -> str:
    body = text.lstrip("+-")
    if ":" in text:
        return "YAML 1.1 would read it in base 60 (1:30 as 90)"
    if len(body) > 1 and body[0] == "0" and body[1].isdigit():
        return "YAML 1.1 would read a leading 0 as octal (010 as 8)"
    if body[:2] in ("0x", "0b"):
        return "YAML 1.1 would read it in base 16 or base 2"
    if "_" in text:
        return "YAML 1.1 would drop the underscores"
    if "inf" in text.lower() or "nan" in text.lower():
        return "JSON has no infinity or NaN"
    return "a JSON number starts with a digit or '-' and has digits on both sides of a '.'"


def plain_scalar(text: str) -> Any:
    """The value of an unquoted scalar, or :class:`ScalarRefused` with a hint.

    >>> [plain_scalar(t) for t in ("12", "-0.5", "1e3", "true", "~", "C6", "2024-01-31")]
    [12, -0.5, 1000.0, True, None, 'C6', '2024-01-31']
    >>> plain_scalar("010")
    Traceback (most recent call last):
    acupoints.io.scalars.ScalarRefused: 010 is not a JSON number: YAML 1.1 would read a leading 0 as octal (010 as 8); write the number as JSON does, or quote it ('010') if it is text
    """
    found = _SPECIAL.get(text, _TEXT)
    if found is _REFUSED:
        raise _refusal(text)
    if found is not _TEXT:
        return found
    first = text[0]
    if not (first.isdigit() or first in "-+."):
        return text
    if _JSON_NUMBER.match(text):
        if not _JSON_INT.match(text):
            return float(text)
        digits = len(text) - (first == "-")
        if digits > limits.MAX_INT_DIGITS:
            what = f"an integer of {digits} digits"
            problem = limits.over_limit("", 1, 1, "", what, "MAX_INT_DIGITS", limits.MAX_INT_DIGITS)
            raise ScalarRefused("too-long", problem.message)
        return int(text)
    if _YAML11_NUMBER.match(text):
        raise _refusal(text)
    return text


def _refusal(text: str) -> ScalarRefused:
    if text.lower() in ("yes", "no", "on", "off"):
        meaning = "true" if text.lower() in ("yes", "on") else "false"
        return ScalarRefused(
            "yaml-scalar",
            f"{text} is not true or false here: YAML 1.1 would read it as {meaning}; write true or false, "
            f"or quote it ('{text}') if it is text",
        )
    if text in _SPECIAL:
        message = f"{text} is not a JSON number: JSON has no infinity or NaN; quote it if it is text"
        return ScalarRefused("yaml-scalar", message)
    return ScalarRefused(
        "yaml-scalar",
        f"{text} is not a JSON number: {_hint(text)}; write the number as JSON does, "
        f"or quote it ('{text}') if it is text",
    )


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("true or false is not a number: write the number itself (1, not true)")
    return value


#: Refuses ``true`` and ``false`` where a model wants a number (pydantic would read them
#: as 1 and 0). Put it after the field's constraints, which then stay in the JSON Schema:
#: ``Annotated[int, Field(ge=0), NOT_BOOL]``.
NOT_BOOL = BeforeValidator(_no_bool)
#: An integer field without constraints: ``true`` and ``false`` are not numbers there.
Integer = Annotated[int, NOT_BOOL]
