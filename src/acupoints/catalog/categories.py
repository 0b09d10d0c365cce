"""The textbook categories of points (``data/categories.yaml``): schema, records, reader.

Thirteen categories of "specific points": the five transport points, yuan-source,
luo-connecting, xi-cleft, back-shu, front-mu, lower he-sea, hui-meeting, and the
confluent points of the extraordinary vessels with their classical pairs. Each member
names what it serves (a channel, an organ, a vessel or a tissue). The reader checks
the file against a catalogue; the questions asked of it are in
:mod:`acupoints.catalog.knowledge`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import Field

from ..base.vocab import MERIDIANS, closest
from ..io.resources import data_root
from .catalog import Catalog
from .tables import Frozen, Key, Text, parse

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
    "read_categories",
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


def _kind_of(word: str) -> str | None:
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
        return _kind_of(self.serves) or "channel"

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


# -- reading and checking ------------------------------------------------------------------
def read_categories(
    path: Any = None, catalog: Catalog | None = None, trusted: bool = False
) -> tuple[Category, ...]:
    """The point categories of ``path`` (default ``data/categories.yaml``), checked
    against ``catalog`` (default the shipped one); every problem raised at once."""
    catalog = catalog if catalog is not None else Catalog.default()
    parsed, check = parse(
        path if path is not None else data_root() / "categories.yaml", CategoryFile, trusted
    )
    names: dict[str, str] = {}
    out = []
    for i, cat in enumerate(parsed.categories):
        at: tuple[Any, ...] = ("categories", i)
        # The lookups accept the id, the name and the aliases; each must name one category.
        named: list[tuple[tuple[Any, ...], str]] = [(("id",), cat.id), (("name",), cat.name)]
        named += [(("aliases", k), alias) for k, alias in enumerate(cat.aliases)]
        for where, name in named:
            key = fold_name(name)
            if names.setdefault(key, cat.id) != cat.id:
                check.add((*at, *where), "duplicate-name", f"{name!r} also names category {names[key]!r}")
        allowed = tuple(w for kind in cat.serves for w in KINDS[kind])
        members: list[Member] = []
        for j, m in enumerate(cat.points):
            loc = (*at, "points", j)
            code = catalog.resolve(m.code)
            if code is None:
                check.add((*loc, "code"), "unknown-point", catalog.unknown_message(m.code))
            elif code != m.code:
                check.add((*loc, "code"), "code-form", f"write {m.code!r} as the catalogue does: {code!r}")
            elif code in (x.code for x in members):
                check.add((*loc, "code"), "duplicate-point", f"{code} appears twice in {cat.id}")
            if m.serves not in allowed:
                near = closest(m.serves, allowed)
                hint = f" (did you mean {near!r}?)" if near else ""
                check.add((*loc, "serves"), "unknown-word",
                          f"{cat.id} points serve a {' or '.join(cat.serves)}, not {m.serves!r}{hint}")  # fmt: skip
            elif cat.own_channel and code == m.code and _kind_of(m.serves) == "channel":
                on = catalog[code].meridian
                if on != m.serves:
                    check.add((*loc, "serves"), "wrong-channel",
                              f"{code} lies on {on or 'no channel'}, so it cannot be the {cat.id} point of {m.serves}")  # fmt: skip
            note = " ".join(m.note.split()) if m.note else None
            members.append(Member(cat.id, m.code, m.serves, m.pair, note))
        by_code = {m.code: m for m in members}
        for j, member in enumerate(members):
            partner = by_code.get(member.pair) if member.pair else None
            if member.pair and (partner is None or partner.pair != member.code):
                check.add((*at, "points", j, "pair"), "pair-mismatch",
                          f"{member.code} pairs with {member.pair}, which must be a {cat.id} point "
                          f"pairing back with {member.code}")  # fmt: skip
        sources = check.sources(cat.sources, parsed.sources, (*at, "sources"))
        out.append(Category(cat.id, cat.name, cat.chinese, cat.pinyin, " ".join(cat.summary.split()),
                            sources, tuple(members), cat.aliases, cat.group))  # fmt: skip
    check.done()
    return tuple(out)
