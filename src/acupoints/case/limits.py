"""The limits of the case format, checked before validation and before any "did you mean".

A real case is a few hundred bytes: a handful of complaints, a few tender points and
flags. These caps sit far above that and far below what would make a case slow: without
them a million complaints took a minute and 1.4 GB, and each unknown tender point costs
the engine a few milliseconds of "did you mean". Each check here is a ``len()``, so a
valid case pays well under a microsecond for all of them. docs/errors.md lists them with
their measured cost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..base.errors import CaseError, Problem
from ..io.document import Path_
from ..io.limits import over_limit

__all__ = [
    "MAX_CASE_BYTES",
    "MAX_CASE_VALUES",
    "MAX_COMPLAINTS",
    "MAX_DIGITS",
    "MAX_FLAGS",
    "MAX_ID_CHARS",
    "MAX_LEVELS",
    "MAX_NOTES_CHARS",
    "MAX_RED_FLAGS",
    "MAX_SENSATIONS",
    "MAX_TENDER_POINTS",
    "MAX_TENDER_POINT_CHARS",
    "case_limit_problems",
    "check_case_limits",
]

#: Bytes in one case: a file, standard input, a text, or one line of a batch.
MAX_CASE_BYTES = 1024 * 1024
#: Values (keys, scalars, lists, mappings) in one case document.
MAX_CASE_VALUES = 10_000
MAX_COMPLAINTS = 64
#: Sensations in one complaint (the vocabulary has 8).
MAX_SENSATIONS = 32
#: Digits in one complaint (the digits are 1 to 5).
MAX_DIGITS = 16
#: Spinal levels of the cause (the vocabulary has 30).
MAX_LEVELS = 32
#: Tender points; each unknown one costs the engine's "did you mean" 2 to 5 ms.
MAX_TENDER_POINTS = 20
MAX_FLAGS = 64
#: Red flags (the vocabulary has 10).
MAX_RED_FLAGS = 32
MAX_ID_CHARS = 256
MAX_NOTES_CHARS = 10_000
#: Characters in one tender point (a code or a point's name).
MAX_TENDER_POINT_CHARS = 64

_LISTS = (
    ("complaints", MAX_COMPLAINTS, "MAX_COMPLAINTS"),
    ("tender_points", MAX_TENDER_POINTS, "MAX_TENDER_POINTS"),
    ("flags", MAX_FLAGS, "MAX_FLAGS"),
    ("red_flags", MAX_RED_FLAGS, "MAX_RED_FLAGS"),
)
_TEXTS = (("id", MAX_ID_CHARS, "MAX_ID_CHARS"), ("notes", MAX_NOTES_CHARS, "MAX_NOTES_CHARS"))
_SURROGATE = re.compile("[\ud800-\udfff]")

Where = Callable[[Path_], tuple[int, int]]


def _at_start(loc: Path_) -> tuple[int, int]:
    return 1, 1


def _sized(value: Any) -> bool:
    return hasattr(value, "__len__") and not isinstance(value, (str, bytes, Mapping))


def _name(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Found:
    def __init__(self, path: str, where: Where) -> None:
        self.path = path
        self.where = where
        self.problems: list[Problem] = []

    def count(self, loc: Path_, value: Any, limit: int, name: str) -> None:
        if _sized(value) and len(value) > limit:
            what = f"{_name(loc)}: {len(value)} entries"
            self.problems.append(over_limit(self.path, *self.where(loc), "too-many", what, name, limit))

    def text(self, loc: Path_, value: Any, limit: int, name: str) -> None:
        if not isinstance(value, str):
            return
        if len(value) > limit:
            what = f"{_name(loc)}: {len(value)} characters"
            self.problems.append(over_limit(self.path, *self.where(loc), "too-long", what, name, limit))
        elif not value.isascii() and _SURROGATE.search(value):
            # Text that reached us as a str (a dict from other software): it would be
            # echoed into the output, which must stay valid UTF-8.
            message = f"{_name(loc)}: holds a lone UTF-16 surrogate, which is not a character"
            self.problems.append(Problem(self.path, *self.where(loc), "encoding", message))


def case_limit_problems(data: Mapping[str, Any], path: str, where: Where | None = None) -> list[Problem]:
    """The broken limits of case ``data`` (a mapping), placed with ``where`` when given."""
    found = _Found(path, where or _at_start)
    get = data.get
    for field, limit, name in _LISTS:
        found.count((field,), get(field), limit, name)
    for field, limit, name in _TEXTS:
        found.text((field,), get(field), limit, name)
    points = get("tender_points")
    if isinstance(points, (list, tuple)) and len(points) <= MAX_TENDER_POINTS:
        for i, point in enumerate(points):
            found.text(("tender_points", i), point, MAX_TENDER_POINT_CHARS, "MAX_TENDER_POINT_CHARS")
    complaints = get("complaints")
    if isinstance(complaints, (list, tuple)) and len(complaints) <= MAX_COMPLAINTS:
        for i, complaint in enumerate(complaints):
            if isinstance(complaint, Mapping):
                found.count(("complaints", i, "sensations"), complaint.get("sensations"), MAX_SENSATIONS,
                            "MAX_SENSATIONS")  # fmt: skip
                found.count(("complaints", i, "digits"), complaint.get("digits"), MAX_DIGITS, "MAX_DIGITS")
    cause = get("cause")
    if isinstance(cause, Mapping):
        found.count(("cause", "levels"), cause.get("levels"), MAX_LEVELS, "MAX_LEVELS")
    return found.problems


def _plainly_within(data: dict[str, Any]) -> bool:
    """True when every limit surely holds, seen with exact types only (a valid case from
    JSON or Python: about a microsecond). False sends the case to the full check."""
    get = data.get
    for field, limit, _ in _LISTS:
        value = get(field)
        if value is not None and (type(value) is not list or len(value) > limit):
            return False
    for field, limit, _ in _TEXTS:
        value = get(field)
        if value is not None and (type(value) is not str or len(value) > limit or not value.isascii()):
            return False
    for point in get("tender_points") or ():
        if type(point) is not str or len(point) > MAX_TENDER_POINT_CHARS or not point.isascii():
            return False
    for complaint in get("complaints") or ():
        if type(complaint) is not dict:
            return False
        value = complaint.get("sensations")
        if value is not None and (type(value) is not list or len(value) > MAX_SENSATIONS):
            return False
        value = complaint.get("digits")
        if value is not None and (type(value) is not list or len(value) > MAX_DIGITS):
            return False
    cause = get("cause")
    if cause is not None:
        if type(cause) is not dict:
            return False
        value = cause.get("levels")
        if value is not None and (type(value) is not list or len(value) > MAX_LEVELS):
            return False
    return True


def check_case_limits(data: Any, path: str, where: Where | None = None) -> None:
    """Raise :class:`~acupoints.CaseError` naming every broken limit of case ``data``.

    >>> check_case_limits({"complaints": [{}] * 65}, "c.json")
    Traceback (most recent call last):
    acupoints.base.errors.CaseError: c.json:1:1: error[too-many] complaints: 65 entries; the limit is 64 (MAX_COMPLAINTS)
    """
    if type(data) is dict and _plainly_within(data):
        return
    if isinstance(data, Mapping):
        problems = case_limit_problems(data, path, where)
        if problems:
            raise CaseError(problems)
