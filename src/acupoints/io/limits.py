"""The limits every document is read under, and the problem that names a broken one.

Each limit is checked before the work it protects: the byte limit before the bytes are
read, the depth and value limits while the parser's events stream by (before any tree is
built), the digit limit before a number is converted. docs/errors.md lists every limit
with what a document at the limit costs to read.
"""

from __future__ import annotations

from ..base.errors import Problem

__all__ = [
    "MAX_ALIAS_VALUES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_VALUES",
    "over_limit",
]

#: Bytes in one file (a rule file, a catalogue file, the chart). The largest shipped file
#: is about 60 kB; a rule file of 10,000 rules is about 3 MB.
MAX_BYTES = 8 * 1024 * 1024
#: How deeply mappings and lists may nest. No real file comes near it, and every reader
#: refuses deeper documents before building them (so nothing recurses past Python's stack).
MAX_DEPTH = 100
#: Values (keys, scalars, lists and mappings) written in one document. Only a guard on
#: the memory a document may take: 10,000 rules are about 350,000 values.
MAX_VALUES = 1_000_000
#: Values that expanding aliases (``*name``) may add to one document. This is what tells
#: an alias bomb ("billion laughs") from a large honest file, which repeats little.
MAX_ALIAS_VALUES = 100_000
#: Digits in one integer. Converting a long run of digits costs time quadratic in its
#: length (Python refuses beyond 4,300); no field needs more than a handful.
MAX_INT_DIGITS = 30


def over_limit(path: str, line: int, column: int, code: str, what: str, name: str, limit: int) -> Problem:
    """The problem of a broken limit, naming the limit and its value.

    >>> print(over_limit("c.json", 1, 9, "too-many", "complaints: 70 entries", "MAX_COMPLAINTS", 64))
    c.json:1:9: error[too-many] complaints: 70 entries; the limit is 64 (MAX_COMPLAINTS)
    """
    return Problem(path, line, column, code, f"{what}; the limit is {limit} ({name})")
