"""The catalogue's cited knowledge, asked: point categories and nerve roots.

Two data files sit beside the points: ``data/categories.yaml`` (the textbook categories
of points, read by :mod:`acupoints.catalog.categories`) and ``data/roots.yaml`` (each
spinal nerve root's exit, dermatome, myotome and channels, read by
:mod:`acupoints.catalog.roots`). :class:`Knowledge` holds both for one catalogue and
answers the questions rules and point cards ask; the functions below ask the shipped
tables:

>>> [m.category for m in categories_of("LU9")]
['shu_stream', 'yuan_source', 'hui_meeting']
>>> points_in_category("lower he-sea")
('ST36', 'ST37', 'ST39', 'BL40', 'BL39', 'GB34')
>>> root("C6").segment, root("C6").channel_codes
('C5', ('LI', 'LU'))
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar

from ..base.compat import Traversable
from ..base.errors import LoadError, Problem, UnknownPointError, UnknownWordError
from ..base.vocab import LEVELS, describe_choice
from .catalog import Catalog
from .categories import Category, Member, fold_name, read_categories
from .roots import Root, read_roots

__all__ = [
    "Knowledge",
    "categories_of",
    "category",
    "exit_points",
    "pair_of",
    "points_in_category",
    "root",
    "serving",
]


class Knowledge:
    """The categories and roots of one catalogue, with the lookups rules and cards need.

    Build it with :meth:`default` (the shipped files, loaded once on first use) or
    :meth:`from_files`.

    >>> k = Knowledge.default()
    >>> k.serving("luo_connecting", "SP"), k.pair_of("SP4")
    (('SP4', 'SP21'), 'PC6')
    >>> k.exit_points("C8")
    ('SI15', 'GV14', 'EX-B1', 'EX-B2@C7')
    """

    _default: ClassVar[Knowledge | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, categories: Iterable[Category], roots: Iterable[Root], catalog: Catalog) -> None:
        self._catalog = catalog
        self._categories: dict[str, Category] = {c.id: c for c in categories}
        self._roots: dict[str, Root] = {r.level: r for r in roots}
        self._names: dict[str, str] = {}
        for c in self._categories.values():
            for name in (c.id, c.name, *c.aliases):
                self._names.setdefault(fold_name(name), c.id)
        self._of: dict[str, list[Member]] = {}
        for c in self._categories.values():
            for m in c.members:
                self._of.setdefault(m.code, []).append(m)
        self._exits: dict[str, tuple[str, ...]] = {}

    @classmethod
    def default(cls) -> Knowledge:
        """The shipped tables over the shipped catalogue, loaded once and shared."""
        if cls._default is None:
            with cls._lock:
                if cls._default is None:
                    cls._default = cls.from_files(_trusted=True)
        return cls._default

    @classmethod
    def from_files(
        cls,
        categories: Traversable | Path | str | None = None,
        roots: Traversable | Path | str | None = None,
        catalog: Catalog | None = None,
        *,
        _trusted: bool = False,
    ) -> Knowledge:
        """Read both files (defaults: the shipped ones); the problems of both in one
        :class:`~acupoints.LoadError`."""
        catalog = catalog if catalog is not None else Catalog.default()
        problems: list[Problem] = []
        cats: tuple[Category, ...] = ()
        found: tuple[Root, ...] = ()
        try:
            cats = read_categories(categories, catalog, trusted=_trusted)
        except LoadError as exc:
            problems.extend(exc.problems)
        try:
            found = read_roots(roots, catalog, trusted=_trusted)
        except LoadError as exc:
            problems.extend(exc.problems)
        if problems:
            raise LoadError(problems)
        return cls(cats, found, catalog)

    # -- categories -------------------------------------------------------------------
    @property
    def categories(self) -> Mapping[str, Category]:
        """Categories by id, in the order of the data file (a read-only view)."""
        return MappingProxyType(self._categories)

    def category(self, name: str) -> Category:
        """A category by id, name or alias, in any case and with ``-`` or spaces
        (``"shu-stream"``, ``"Xi-cleft points"``, ``"alarm"``)."""
        cid = self._names.get(fold_name(str(name)))
        if cid is None:
            raise UnknownWordError(describe_choice(name, list(self._categories), "point category"))
        return self._categories[cid]

    def points_in_category(self, name: str) -> tuple[str, ...]:
        """The codes of a category's points, in the order of the data file."""
        return self.category(name).codes

    def categories_of(self, code: str) -> tuple[Member, ...]:
        """Every category a point belongs to, in file order; () for a point in none.

        The code may be written in any form the catalogue reads (``SJ5``, ``Hegu``);
        one it cannot read raises :class:`~acupoints.UnknownPointError`.
        """
        found = self._catalog.resolve(code)
        if found is None:
            raise UnknownPointError(str(code), tuple(self._catalog.suggest_codes(str(code))))
        return tuple(self._of.get(found, ()))

    def serving(self, name: str, serves: str) -> tuple[str, ...]:
        """The points of a category that serve ``serves``: a channel (``"LU"``), organ
        (``"lung"``), vessel (``"du"``) or tissue (``"blood"``). A channel also finds
        the points of its organ, and GV and CV those of du and ren."""
        cat = self.category(name)
        return tuple(m.code for m in cat.members if serves in (m.serves, m.channel))

    def pair_of(self, code: str) -> str | None:
        """The classical partner of a confluent point (SI3 -> BL62), or None."""
        return next((m.pair for m in self.categories_of(code) if m.pair), None)

    # -- nerve roots ------------------------------------------------------------------
    @property
    def roots(self) -> Mapping[str, Root]:
        """Roots by level, in the order of the data file (a read-only view)."""
        return MappingProxyType(self._roots)

    def root(self, level: str) -> Root:
        """The entry of one nerve root (``"C6"``, ``"s1"``)."""
        key = str(level).strip().upper()
        if key not in LEVELS:
            raise UnknownWordError(describe_choice(level, LEVELS, "spinal level"))
        if key not in self._roots:
            raise UnknownWordError(
                f"the nerve root table has no entry for {key}; it covers {', '.join(self._roots)}"
            )
        return self._roots[key]

    def exit_points(self, level: str) -> tuple[str, ...]:
        """Points and group instances (``EX-B2@C5``) at a root's exit, in catalogue
        order: the segmental points of that root (see :meth:`Root.at_exit`)."""
        r = self.root(level)
        hit = self._exits.get(r.level)
        if hit is None:
            out: list[str] = []
            for p in self._catalog:
                if r.at_exit(p.levels):
                    out.append(p.code)
                out += [i.code for i in p.instances if r.at_exit(i.levels)]
            hit = self._exits[r.level] = tuple(out)
        return hit


# -- the same questions of the shipped tables -----------------------------------------------------
def category(name: str) -> Category:
    """:meth:`Knowledge.category` of the shipped tables."""
    return Knowledge.default().category(name)


def points_in_category(name: str) -> tuple[str, ...]:
    """:meth:`Knowledge.points_in_category` of the shipped tables."""
    return Knowledge.default().points_in_category(name)


def categories_of(code: str) -> tuple[Member, ...]:
    """:meth:`Knowledge.categories_of` of the shipped tables."""
    return Knowledge.default().categories_of(code)


def serving(name: str, serves: str) -> tuple[str, ...]:
    """:meth:`Knowledge.serving` of the shipped tables."""
    return Knowledge.default().serving(name, serves)


def pair_of(code: str) -> str | None:
    """:meth:`Knowledge.pair_of` of the shipped tables."""
    return Knowledge.default().pair_of(code)


def root(level: str) -> Root:
    """:meth:`Knowledge.root` of the shipped tables."""
    return Knowledge.default().root(level)


def exit_points(level: str) -> tuple[str, ...]:
    """:meth:`Knowledge.exit_points` of the shipped tables."""
    return Knowledge.default().exit_points(level)
