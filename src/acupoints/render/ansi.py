"""Colour for the terminal table: ANSI styles, switched off unless the caller asks.

The table is plain text by default (files, pipes, ``str(suggestion)``). The CLI turns
colour on only when standard output is a terminal and ``NO_COLOR`` is not set
(https://no-color.org); see :func:`wanted`. Styles wrap text that is already escaped
(:mod:`acupoints.render.escape`), so input never writes an escape sequence of its own.

>>> Style(False).bold("plan:"), Style(True).bold("plan:")
('plan:', '\\x1b[1mplan:\\x1b[0m')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

__all__ = ["Style", "wanted"]

_RESET = "\x1b[0m"
_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "alarm": "1;31"}


@dataclass(frozen=True)
class Style:
    """Wraps text in an ANSI style when ``on``; returns it unchanged otherwise."""

    on: bool = False

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{_CODES[code]}m{text}{_RESET}" if self.on and text else text

    def bold(self, text: str) -> str:
        """Headings and point codes."""
        return self._wrap("bold", text)

    def dim(self, text: str) -> str:
        """Secondary text: sources, rules."""
        return self._wrap("dim", text)

    def warn(self, text: str) -> str:
        """Warnings and cautions."""
        return self._wrap("yellow", text)

    def alarm(self, text: str) -> str:
        """A referral."""
        return self._wrap("alarm", text)

    def status(self, status: str) -> str:
        """The status word: green when suggested, red when referred."""
        return self._wrap("alarm" if status == "refer" else "green", status)


def wanted(stream: IO[Any], environ: Mapping[str, str]) -> bool:
    """Whether to colour what goes to ``stream``: only a terminal, and never with
    ``NO_COLOR`` set to a non-empty value."""
    if environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
