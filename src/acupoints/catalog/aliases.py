"""Other names for channels and points (``data/aliases.yaml``): schema, records, reader.

People write "Spleen 6", "San Jiao 5", "RN 6" or "GV29" as often as the WHO codes. The
point files give each channel's WHO code, English name and the prefixes typed instead
of the code; this table adds the names and abbreviations other textbooks use, and point
codes from other numbering systems, each with its sources. :func:`prefixes` turns the
channels and the table into the one map from a typed prefix to a channel code that the
catalogue resolves codes with; :func:`read_aliases` checks the table against the points
so that no alias can make a code or a name mean two things.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from ..base.vocab import MERIDIANS, describe_choice
from .records import Meridian, Point
from .tables import Frozen, Key, Text, parse

__all__ = [
    "AliasFile",
    "Aliases",
    "ChannelAlias",
    "ChannelAliasData",
    "PointAlias",
    "PointAliasData",
    "channel_words",
    "fold",
    "prefixes",
    "read_aliases",
]

#: A code as typed: a prefix of letters, then the point's number.
CODE_SHAPE = re.compile(r"^([A-Z]+)(\d{1,2})$")


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: the form names and codes are compared in.

    >>> fold("Ci Liao"), fold("Tiān Zhù"), fold("San-Jiao 5")
    ('ciliao', 'tianzhu', 'sanjiao5')
    """
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


# -- the schema ----------------------------------------------------------------------------------
class ChannelAliasData(Frozen):
    """Names and abbreviations of one channel, as written, with their sources."""

    code: str
    names: tuple[Annotated[str, Field(min_length=3)], ...] = ()
    abbreviations: tuple[Annotated[str, Field(pattern=r"^[A-Za-z]{2,4}$")], ...] = ()
    sources: tuple[Key, ...] = Field(min_length=1)


class PointAliasData(Frozen):
    """A point code of another numbering system, as written."""

    alias: str = Field(pattern=r"^[A-Za-z]{2,4}-? ?\d{1,2}$")
    point: str
    name: str = Field(min_length=2)
    note: Text
    sources: tuple[Key, ...] = Field(min_length=1)


class AliasFile(Frozen):
    """``data/aliases.yaml``: sources by key, then channel names, then point codes."""

    sources: dict[Key, Text]
    channels: tuple[ChannelAliasData, ...] = ()
    points: tuple[PointAliasData, ...] = ()


# -- records ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChannelAlias:
    """One other name (``kind="name"``) or abbreviation of a channel, with full citations."""

    code: str
    text: str
    kind: Literal["name", "abbreviation"]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PointAlias:
    """A code of another numbering system (``GV29``) and the catalogue point it stands for."""

    alias: str
    point: str
    name: str
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Aliases:
    """The whole table: channel names and abbreviations, then point codes."""

    channels: tuple[ChannelAlias, ...] = ()
    points: tuple[PointAlias, ...] = ()


# -- the lookups the catalogue builds from them --------------------------------------------------
def prefixes(meridians: Iterable[Meridian], channels: Iterable[ChannelAlias] = ()) -> dict[str, str]:
    """Every prefix a code may be typed with (folded, upper case) and the channel it means:
    the WHO codes, the point files' aliases, the channels' English names, then the table's.

    >>> from acupoints.catalog.catalog import Catalog
    >>> table = prefixes(Catalog.default().meridians.values(), Catalog.default().aliases.channels)
    >>> table["SJ"], table["LARGEINTESTINE"], table["SANJIAO"], table["RN"]
    ('TE', 'LI', 'TE', 'CV')
    """
    out: dict[str, str] = {m: m for m in MERIDIANS}
    listed = list(meridians)
    for m in listed:
        for alias in m.aliases:
            out.setdefault(fold(alias).upper(), m.code)
    for m in listed:
        out.setdefault(fold(m.name).upper(), m.code)
    for a in channels:
        out.setdefault(fold(a.text).upper(), a.code)
    return out


def channel_words(meridians: Iterable[Meridian], channels: Iterable[ChannelAlias] = ()) -> dict[str, str]:
    """The channels' names (not their short codes), folded: a query that is one of these
    asks for a channel, not for a point whose English name starts with it ("Spleen Shu")."""
    out = {fold(m.name): m.code for m in meridians}
    out.update({fold(a.text): a.code for a in channels if a.kind == "name"})
    return out


# -- reading and checking ------------------------------------------------------------------
def read_aliases(
    path: Any, points: Sequence[Point], meridians: Sequence[Meridian], trusted: bool = False
) -> Aliases:
    """The table at ``path``, checked against the catalogue's points and channels.

    A name or abbreviation may stand for one channel only and may not be a point's name;
    a point alias may not be a catalogue code, and the point it names must exist and carry
    the name written beside it. Every problem is raised at once.
    """
    parsed, check = parse(path, AliasFile, trusted)
    by_code = {p.code: p for p in points}
    point_names: dict[str, str] = {}
    for p in points:
        for name in (p.pinyin, p.english or "", *p.also):
            point_names.setdefault(fold(name), p.code)
    codes = [m.code for m in meridians]
    taken = prefixes(meridians)
    channels: list[ChannelAlias] = []
    for i, entry in enumerate(parsed.channels):
        at: tuple[Any, ...] = ("channels", i)
        if entry.code not in codes:
            check.add((*at, "code"), "unknown-word", describe_choice(entry.code, codes, "channel"))
            continue
        sources = check.sources(entry.sources, parsed.sources, (*at, "sources"))
        written: list[tuple[str, int, str, Literal["name", "abbreviation"]]] = [
            ("names", j, t, "name") for j, t in enumerate(entry.names)
        ]
        written += [("abbreviations", j, t, "abbreviation") for j, t in enumerate(entry.abbreviations)]
        for field, j, text, kind in written:
            key = fold(text)
            owner = taken.get(key.upper())
            if owner is not None and owner != entry.code:
                check.add((*at, field, j), "alias-clash", f"{text!r} already stands for channel {owner}")
            elif key in point_names:
                check.add((*at, field, j), "alias-clash", f"{text!r} is a name of point {point_names[key]}")
            else:
                taken[key.upper()] = entry.code
                channels.append(ChannelAlias(entry.code, text, kind, sources))
    aliases: list[PointAlias] = []
    for i, item in enumerate(parsed.points):
        at = ("points", i)
        sources = check.sources(item.sources, parsed.sources, (*at, "sources"))
        shape = CODE_SHAPE.match(fold(item.alias).upper())
        prefix = taken.get(shape.group(1)) if shape else None
        if shape is None or prefix is None:
            check.add((*at, "alias"), "alias-form", f"{item.alias!r} does not start with a channel's code")
            continue
        alias = f"{prefix}{int(shape.group(2))}"
        target = by_code.get(item.point)
        if alias in by_code:
            check.add((*at, "alias"), "alias-clash", f"{item.alias!r} is the WHO code of {alias} itself")
        elif any(a.alias == alias for a in aliases):
            check.add((*at, "alias"), "alias-clash", f"{item.alias!r} is listed twice")
        elif target is None:
            check.add((*at, "point"), "unknown-point", f"no point has the code {item.point!r}")
        elif fold(target.pinyin) != fold(item.name):
            check.add((*at, "name"), "name-mismatch", f"{target.code} is {target.pinyin}, not {item.name}")
        else:
            aliases.append(
                PointAlias(alias, target.code, target.pinyin, " ".join(item.note.split()), sources)
            )
    check.done()
    return Aliases(tuple(channels), tuple(aliases))
