"""The strict JSON reader: JSON's grammar and meaning, with the YAML reader's rules.

Python's ``json`` module reads more than JSON and less carefully than the YAML reader:
it keeps the last of two equal keys, reads ``NaN`` and ``Infinity``, converts any run of
digits (4,300 digits raise ``ValueError``), and recurses once per nesting level. Here a
duplicate key is a ``duplicate-key`` problem (the first value kept, as in YAML), the
constants are not JSON, integers have at most ``MAX_INT_DIGITS`` digits, and nesting and
size are checked before parsing. Escaped surrogate pairs read as the one character they
encode; a lone escaped surrogate is an ``encoding`` problem.

Positions are worked out only when a problem needs them (see :mod:`.jsonpos`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ..base.errors import LoadError, Problem
from . import limits
from .document import Document, Path_
from .jsonpos import STRING, json_positions, offset_place

__all__ = ["JsonSyntaxError", "load_json"]


class JsonSyntaxError(LoadError):
    """The text is not JSON (a reader of "YAML or JSON" then reads it as YAML)."""


class _Duplicate(Exception):
    pass


class _Constant(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


class _LongInt(Exception):
    def __init__(self, digits: int) -> None:
        self.digits = digits


def _pairs_or_fail(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Duplicate
    return out


def _keep_first(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


def _integer(text: str) -> int:
    digits = len(text) - (text[0] == "-")
    if digits > limits.MAX_INT_DIGITS:
        raise _LongInt(digits)
    return int(text)


def _constant(name: str) -> Any:
    raise _Constant(name)


#: The fast reader (refuses at the first duplicate) and the one that keeps reading.
_STRICT = json.JSONDecoder(object_pairs_hook=_pairs_or_fail, parse_int=_integer, parse_constant=_constant)
_COLLECT = json.JSONDecoder(object_pairs_hook=_keep_first, parse_int=_integer, parse_constant=_constant)

#: Tokens for the size and depth scan: strings (skipped whole), brackets, other values.
_SHAPE = re.compile(STRING + r'|[\[{]|[\]}]|[^\s\[\]{}:,"]+')
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_shape(text: str, path: str, max_values: int, values_name: str) -> None:
    """Refuse text nested deeper than MAX_DEPTH or holding more than ``max_values`` values.

    Counting characters settles it for almost every text; only a text long enough, or
    with brackets enough, to break a limit is scanned token by token.
    """
    # Each value takes at least one character, and each level one bracket.
    size = len(text)
    if size <= max_values and (
        size <= limits.MAX_DEPTH or text.count("[") + text.count("{") <= limits.MAX_DEPTH
    ):
        return
    depth = values = 0
    for match in _SHAPE.finditer(text):
        token = match.group()
        if token in ("]", "}"):
            depth -= 1
            continue
        values += 1
        if token in ("[", "{"):
            depth += 1
            if depth > limits.MAX_DEPTH:
                line, column = offset_place(text, match.start())
                raise LoadError([Problem(path, line, column, "too-deep",
                                         f"nested more than {limits.MAX_DEPTH} levels deep")])  # fmt: skip
        if values > max_values:
            line, column = offset_place(text, match.start())
            raise LoadError(
                [limits.over_limit(path, line, column, "too-large", f"more than {max_values} values",
                                   values_name, max_values)]
            )  # fmt: skip


def _place_outside_strings(text: str, pattern: str) -> tuple[int, int]:
    """Where ``pattern`` first matches outside a string (a failed read's culprit)."""
    for match in re.finditer(STRING + "|" + pattern, text):
        if match.group()[0] != '"':
            return offset_place(text, match.start())
    return 1, 1  # pragma: no cover - the parser met it, so it is there


def _strings(data: Any, loc: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every string of ``data`` (keys too), with its path; iterative, for any depth."""
    stack: list[tuple[Path_, Any]] = [(loc, data)]
    while stack:
        here, value = stack.pop()
        if isinstance(value, str):
            yield here, value
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    yield here + (key,), key
                stack.append((here + (key,), item))
        elif isinstance(value, list):
            stack.extend((here + (i,), item) for i, item in enumerate(value))


def _surrogates(doc: Document) -> list[Problem]:
    out = []
    for loc, text in _strings(doc.data):
        found = _LONE_SURROGATE.search(text)
        if found is not None:
            line, column = doc.where(loc)
            message = f"\\u{ord(found.group()):04x} is half of a surrogate pair with no other half"
            out.append(Problem(doc.path, line, column, "encoding", message))
    return out


def load_json(
    text: str,
    path: str,
    collect: bool = False,
    max_values: int | None = None,
    values_name: str = "MAX_VALUES",
) -> Document:
    """Parse decoded JSON ``text`` into a :class:`Document` (positions on demand).

    Raises :class:`JsonSyntaxError` when the text is not JSON, and
    :class:`~acupoints.LoadError` for a broken limit or a duplicate key (with
    ``collect``, duplicate keys wait in ``Document.problems`` instead).

    >>> load_json('{"a": [1, 2.5, "x"]}', "d.json").data
    {'a': [1, 2.5, 'x']}
    >>> load_json('{"a": 1, "a": 2}', "d.json")
    Traceback (most recent call last):
    acupoints.base.errors.LoadError: d.json:1:10: error[duplicate-key] duplicate key 'a' (first at column 2)
    """
    _check_shape(text, path, limits.MAX_VALUES if max_values is None else max_values, values_name)
    duplicates = False
    try:
        try:
            data = _STRICT.decode(text)
        except _Duplicate:
            duplicates = True
            data = _COLLECT.decode(text)
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError([Problem(path, exc.lineno, exc.colno, "bad-json", exc.msg)]) from None
    except _Constant as exc:
        line, column = _place_outside_strings(text, re.escape(exc.name))
        message = f"{exc.name} is not a JSON value (JSON has no NaN or infinity)"
        # JSON but for the constant: not read again as YAML, so every reader says the same.
        raise LoadError([Problem(path, line, column, "bad-json", message)]) from None
    except _LongInt as exc:
        line, column = _place_outside_strings(text, f"-?[0-9]{{{limits.MAX_INT_DIGITS + 1},}}")
        what = f"an integer of {exc.digits} digits"
        problem = limits.over_limit(
            path, line, column, "too-long", what, "MAX_INT_DIGITS", limits.MAX_INT_DIGITS
        )
        raise LoadError([problem]) from None
    problems: list[Problem] = []
    positions = None
    if duplicates:
        positions, found_dups = json_positions(text, path)
        problems.extend(found_dups)
    doc = Document(data, path, positions, locate=lambda: json_positions(text, path)[0])
    if _SURROGATE_ESCAPE.search(text):
        problems.extend(_surrogates(doc))
    if problems and (not collect or any(p.code != "duplicate-key" for p in problems)):
        raise LoadError(sorted(problems, key=lambda p: (p.line, p.column)))
    doc.problems = problems
    return doc
