"""Where each key and item of a JSON text was written, found only when a problem needs it.

The same places the YAML reader records: a mapping entry is at its key, a list item at
its first character, the document at its first token. Duplicate keys are found on the
way, with the position of both keys.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from ..base.errors import Problem
from .document import Path_, Positions

__all__ = ["STRING", "duplicate_message", "json_positions", "offset_place"]

#: A JSON string (unrolled, so that a long string never backtracks).
STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOKEN = re.compile(r"(" + STRING + r')|([{}\[\]:,])|([^\s{}\[\]:,"]+)')


def offset_place(text: str, index: int) -> tuple[int, int]:
    """The 1-based (line, column) of character ``index``; only ``\\n`` ends a line, as in JSON."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def duplicate_message(key: Any, first: tuple[int, int], again: tuple[int, int]) -> str:
    """The message of a duplicate key: where the first one is (its column when on the same line).

    >>> duplicate_message("a", (1, 2), (1, 10))
    "duplicate key 'a' (first at column 2)"
    """
    where = f"column {first[1]}" if first[0] == again[0] else f"line {first[0]}"
    return f"duplicate key {key!r} (first at {where})"


class _Frame:
    __slots__ = ("index", "is_object", "keys", "loc", "value_loc", "want_key")

    def __init__(self, loc: Path_, is_object: bool) -> None:
        self.loc = loc
        self.is_object = is_object
        self.index = 0
        self.want_key = is_object
        self.keys: dict[str, tuple[int, int]] = {}
        self.value_loc: Path_ = loc


def json_positions(text: str, path: str) -> tuple[Positions, list[Problem]]:
    """The positions of a JSON text (which must parse) and its duplicate-key problems.

    >>> positions, dups = json_positions('{"a": [1, {"b": 2}], "a": 3}', "x.json")
    >>> positions[("a", 1, "b")], [str(p) for p in dups]
    ((1, 12), ["x.json:1:22: error[duplicate-key] duplicate key 'a' (first at column 2)"])
    """
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def place(index: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, index)
        return line, index - starts[line - 1] + 1

    positions: Positions = {}
    problems: list[Problem] = []
    stack: list[_Frame] = []

    def value_loc() -> Path_:
        if not stack:
            return ()
        top = stack[-1]
        return top.value_loc if top.is_object else top.loc + (top.index,)

    for match in _TOKEN.finditer(text):
        string, mark, _ = match.groups()
        if mark is not None:
            if mark in "{[":
                loc = value_loc()
                positions.setdefault(loc, place(match.start()))
                stack.append(_Frame(loc, mark == "{"))
            elif mark in "}]":
                if stack:
                    stack.pop()
            elif mark == "," and stack:
                top = stack[-1]
                top.index += 1
                top.want_key = top.is_object
            continue
        owner = stack[-1] if stack else None
        if owner is not None and owner.want_key and string is not None:
            key = json.loads(string)
            here = place(match.start())
            owner.want_key = False
            if key in owner.keys:
                message = duplicate_message(key, owner.keys[key], here)
                problems.append(Problem(path, *here, "duplicate-key", message))
                owner.value_loc = owner.loc + ("<duplicate>",)  # the first value is the one kept
                continue
            owner.keys[key] = here
            owner.value_loc = owner.loc + (key,)
            positions[owner.value_loc] = here
            continue
        positions.setdefault(value_loc(), place(match.start()))
    return positions, problems
