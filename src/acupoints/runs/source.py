"""The input of a batch run: its lines, a read that fails as a problem, and a first look.

The lines come from :func:`acupoints.case.read.case_lines` (split at ``\\n`` only, each
held to the case limit). A read that fails partway (a disk error, a closed pipe) is a
an ``unreadable`` problem at the line it stopped at, never a traceback. And the first
non-blank line tells whether the input is JSON Lines at all: a YAML case file or one
case written over several lines gets one error instead of one error a line (the run
decides, see ``batch._Run``).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..base.errors import LoadError, Problem
from ..case.read import case_lines
from ..io.read import source_name
from .outcome import is_blank

__all__ = ["first_look", "open_input"]

_YAML_START = re.compile(r"(?:---|%YAML|#|- |[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$))")


def _not_json_lines(raw: bytes | str) -> str | None:
    """Why the first non-blank line shows the input is not JSON Lines at all, or None."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    text = text.strip(" \t\r\n")
    if text in ("{", "["):
        return "one case written over several lines; suggest-batch reads one JSON case a line"
    if not text.startswith(("{", "[")) and _YAML_START.match(text):
        return (
            "this is YAML, not JSON Lines: suggest-batch reads one JSON case a line "
            "(for one YAML case, use acupoints suggest FILE)"
        )
    return None


def first_look(
    name: str, lines: Iterator[tuple[int, bytes | str]]
) -> tuple[Iterator[tuple[int, bytes | str]], Problem | None]:
    """``lines``, and what their first non-blank line says: an input that seems not to be
    JSON Lines at all (YAML, a case over several lines) is a problem to give instead of
    one problem a line, if no line of it turns out to be a case (``batch._Run`` decides)."""
    head: list[tuple[int, bytes | str]] = []
    verdict = None
    for number, raw in lines:
        head.append((number, raw))
        if not is_blank(raw):
            why = _not_json_lines(raw)
            verdict = Problem(name, number, 1, "not-json-lines", why) if why is not None else None
            break
    return itertools.chain(head, lines), verdict


def open_input(input: Any) -> tuple[str, Iterator[tuple[int, bytes | str]], str | None]:
    """The input's name, its numbered lines, and its path when it is a file."""
    if isinstance(input, (str, os.PathLike)):
        name = os.fspath(input)
        return name, _reading(name, case_lines(input)), name
    name = source_name(input)
    return name, _reading(name, case_lines(input)), None


def _reading(name: str, lines: Iterable[tuple[int, bytes | str]]) -> Iterator[tuple[int, bytes | str]]:
    """``lines``, with a failure to read (a disk error, a closed pipe) as a problem at the
    line it stopped at, never a traceback."""
    number = 0
    try:
        for number, raw in lines:
            yield number, raw
    except OSError as exc:
        problem = Problem(name, number + 1, 1, "unreadable", f"reading stopped: {exc.strerror or exc}")
        raise LoadError([problem]) from None
