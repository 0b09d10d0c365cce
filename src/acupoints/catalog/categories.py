"""The textbook categories of points (``data/categories.yaml``): schema, records, reader.

Thirteen categories of "specific points": the five transport points, yuan-source,
luo-connecting, xi-cleft, back-shu, front-mu, lower he-sea, hui-meeting, and the
confluent points of the extraordinary vessels with their classical pairs. Each member
names what it serves (a channel, an organ, a vessel or a tissue). The reader checks
the file against a catalogue; the questions asked of it are in
:mod:`acupoints.catalog.knowledge`.
"""

from __future__ import annotations

from typing import Any

from ..base.vocab import closest
from ..io.resources import data_root
from .catalog import Catalog
from .category_data import (
    KINDS,
    ORGANS,
    TISSUES,
    VESSELS,
    Category,
    CategoryData,
    CategoryFile,
    Member,
    MemberData,
    fold_name,
    kind_of,
)
from .tables import parse

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
            elif cat.own_channel and code == m.code and kind_of(m.serves) == "channel":
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
