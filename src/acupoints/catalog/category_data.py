"""The point categories' words, file schema and records, apart from the catalogue.

The meridian graph reads the categories while the catalogue builds it, so what it needs
lives here, where nothing imports the catalogue; :mod:`.categories` adds the reader that
checks the file against a catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import Field

from ..base.vocab import MERIDIANS
from .tables import Frozen, Key, Text

__all__ = [
    "KINDS",
    "ORGANS",
    "TISSUES",
    "VESSELS",
    "Category",
    "CategoryData",
    "CategoryFile",
    "Member",
    "MemberData",
    "fold_name",
    "kind_of",
]


# -- the words a member may serve --------------------------------------------------------
#: The twelve organs, each with the regular channel that bears its name.
ORGANS: Mapping[str, str] = MappingProxyType({
    "lung": "LU", "large_intestine": "LI", "stomach": "ST", "spleen": "SP", "heart": "HT",
    "small_intestine": "SI", "bladder": "BL", "kidney": "KI", "pericardium": "PC",
    "sanjiao": "TE", "gall_bladder": "GB", "liver": "LR",
})  # fmt: skip
#: The eight extraordinary vessels by pinyin; the two with points of their own map to
#: their catalogue channel (du is the Governor Vessel, ren the Conception Vessel).
VESSELS: Mapping[str, str | None] = MappingProxyType({
    "du": "GV", "ren": "CV", "chong": None, "dai": None,
    "yin_qiao": None, "yang_qiao": None, "yin_wei": None, "yang_wei": None,
})  # fmt: skip
#: What the eight hui-meeting points gather: the zang and fu organs and six tissues.
TISSUES: tuple[str, ...] = ("zang", "fu", "qi", "blood", "sinews", "marrow", "bone", "vessels")
#: The kinds of thing a category's members serve, and the words of each.
KINDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"channel": MERIDIANS, "organ": tuple(ORGANS), "vessel": tuple(VESSELS), "tissue": TISSUES}
)


def kind_of(word: str) -> str | None:
    """What a word a member serves names: ``channel``, ``organ``, ``vessel`` or ``tissue``."""
    return next((kind for kind, words in KINDS.items() if word in words), None)


def fold_name(name: str) -> str:
    """The form category names are compared in.

    >>> fold_name("Shu-stream points"), fold_name("back shu")
    ('shu_stream', 'back_shu')
    """
    folded = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return re.sub(r"_points?$", "", folded)


# -- the schema ----------------------------------------------------------------------------------
#: A point code as a person may write it; the reader insists on the catalogue's own form.
_Code = Annotated[str, Field(pattern=r"^[A-Za-z]{1,3}-?\d{1,2}$|^EX-(HN|CA|B|UE|LE)\d{1,2}$")]


class MemberData(Frozen):
    """One point of a category, as written."""

    code: _Code
    serves: str
    pair: _Code | None = None
    note: str | None = None


class CategoryData(Frozen):
    """One category, as written."""

    id: Key
    name: str = Field(min_length=3)
    chinese: str = Field(min_length=1, max_length=8)
    pinyin: str = Field(min_length=2)
    aliases: tuple[str, ...] = ()
    group: Key | None = None
    serves: tuple[Literal["channel", "organ", "vessel", "tissue"], ...] = Field(min_length=1)
    own_channel: bool = False
    summary: Text
    sources: tuple[str, ...] = Field(min_length=1)
    points: tuple[MemberData, ...] = Field(min_length=1)


class CategoryFile(Frozen):
    """``data/categories.yaml``: sources by key, then the categories."""

    sources: dict[Key, Text]
    categories: tuple[CategoryData, ...] = Field(min_length=1)


# -- records ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Member:
    """A point's place in a category: what it serves, and its partner where it has one."""

    category: str
    code: str
    serves: str
    pair: str | None = None
    note: str | None = None

    @property
    def kind(self) -> str:
        """What ``serves`` names: ``channel``, ``organ``, ``vessel`` or ``tissue``."""
        return kind_of(self.serves) or "channel"

    @property
    def channel(self) -> str | None:
        """The catalogue channel ``serves`` stands for (an organ's own channel; GV for du,
        CV for ren), or None for the other vessels and the tissues."""
        if self.kind == "channel":
            return self.serves
        if self.kind == "organ":
            return ORGANS[self.serves]
        return VESSELS.get(self.serves)


@dataclass(frozen=True)
class Category:
    """A textbook category of points, with its sources (full citations)."""

    id: str
    name: str
    chinese: str
    pinyin: str
    summary: str
    sources: tuple[str, ...]
    members: tuple[Member, ...]
    aliases: tuple[str, ...] = ()
    group: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The member points' codes, in the order of the data file."""
        return tuple(m.code for m in self.members)
