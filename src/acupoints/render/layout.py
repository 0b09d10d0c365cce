"""Laying text out in a terminal: display widths, padding, wrapping by words, columns.

A terminal gives a Chinese character two cells and a combining accent none, so
``len()`` misaligns a column of point names as soon as one holds characters. Here the
width of a text is counted in cells (:func:`cells`, from
:func:`unicodedata.east_asian_width`), and padding and wrapping use that count.

>>> cells("Hegu"), cells("合谷"), cells("Tiānzhù")
(4, 4, 7)
>>> pad("合谷", 6) + "|"
'合谷  |'
>>> wrap("Local first: points on the affected part of the limb (D3)", 24)
['Local first: points on', 'the affected part of the', 'limb (D3)']
>>> print(columns([["1", "BL10", "Tianzhu", "both"], ["12", "PC6", "Neiguan", "right"]], "><<<"))
 1 BL10 Tianzhu both
12 PC6  Neiguan right
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["cells", "columns", "hang", "pad", "wrap"]


def _cell(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes: two for wide (CJK) characters, none for
    combining marks and format characters, one for the rest."""
    if text.isascii():
        return len(text)
    return sum(_cell(ch) for ch in text)


def pad(text: str, width: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``width`` cells (``"<"`` left, ``">"`` right)."""
    gap = " " * max(0, width - cells(text))
    return gap + text if align == ">" else text + gap


def _split_word(word: str, width: int) -> list[str]:
    """A word longer than the line, cut into pieces of at most ``width`` cells."""
    pieces, piece, used = [], "", 0
    for ch in word:
        w = _cell(ch)
        if piece and used + w > width:
            pieces.append(piece)
            piece, used = "", 0
        piece += ch
        used += w
    return [*pieces, piece] if piece else pieces


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells, between words where it can
    be (a word longer than a line is cut). Runs of spaces become one; never empty."""
    width = max(1, width)
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        w = cells(word)
        if w > width:
            if line:
                lines.append(line)
            *full, line = _split_word(word, width)
            lines += full
            used = cells(line)
        elif not line:
            line, used = word, w
        elif used + 1 + w <= width:
            line, used = f"{line} {word}", used + 1 + w
        else:
            lines.append(line)
            line, used = word, w
    return [*lines, line] if line or not lines else lines


def hang(text: str, width: int | None, indent: str, first: str = "") -> list[str]:
    """``first`` + ``text`` wrapped to ``width`` cells, later lines indented with ``indent``
    (``width=None``: one line, unwrapped)."""
    if width is None:
        return [first + text]
    room = max(10, width - max(cells(first), cells(indent)))
    lines = wrap(text, room)
    return [first + lines[0]] + [indent + line for line in lines[1:]]


def columns(rows: Sequence[Sequence[str]], align: str) -> str:
    """Rows of cells as aligned columns, one space apart; ``align`` holds ``<`` or ``>``
    for each column. The last column is not padded."""
    if not rows:
        return ""
    widths = [max(cells(row[i]) for row in rows) for i in range(len(align))]
    out = []
    for row in rows:
        parts = [pad(cell, widths[i], align[i]) for i, cell in enumerate(row[:-1])]
        last = pad(row[-1], widths[-1], align[-1]) if align[-1] == ">" else row[-1]
        out.append(" ".join([*parts, last]).rstrip())
    return "\n".join(out)
