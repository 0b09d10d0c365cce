"""The catalogue's records: points, their instances, meridians and cautions.

Each record holds every field of its schema (:mod:`.schema`) under the same name, plus the
few the catalogue works out (marked :func:`~.fields.derived`). Their order is the order of
``to_dict``; how each field goes into it is declared on the field (:mod:`.fields`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..base.vocab import level_index
from .fields import InJson, derived, in_json, record_dict

__all__ = ["Caution", "Crossing", "Instance", "Meridian", "Point"]


@dataclass(frozen=True, kw_only=True)
class Instance:
    """One place of a group point, such as Jiaji beside C5 (``EX-B2@C5``)."""

    point: str = field(metadata=derived("The code of the group point.", InJson.NEVER))
    key: str
    levels: tuple[str, ...] = ()
    digits: tuple[int, ...] = ()
    location: str
    #: Where it differs from the group point's region (the graph falls back to that one).
    region: str | None = field(default=None, metadata=in_json(InJson.NEVER))

    @property
    def code(self) -> str:
        """``EX-B2@C5``: the group point's code and the instance key."""
        return f"{self.point}@{self.key}"


@dataclass(frozen=True, kw_only=True)
class Point:
    """A catalogue point. ``code`` is the WHO code and the key everywhere.

    >>> from acupoints import Catalog
    >>> p = Catalog.default()["BL10"]
    >>> p.pinyin, p.meridian, p.levels
    ('Tianzhu', 'BL', ('C1', 'C2'))
    """

    code: str
    pinyin: str
    chinese: str
    english: str | None = None
    also: tuple[str, ...] = field(default=(), metadata=in_json(InJson.NEVER))
    meridian: str | None = field(
        metadata=derived("The code of its channel, from the file's header; none for an extra point.")
    )
    number: int = field(metadata=derived("The number in its code: 7 for LU7, 2 for EX-B2.", InJson.NEVER))
    region: str
    aspect: str
    surface: str
    levels: tuple[str, ...] = ()
    location: str
    cautions: tuple[str, ...] = ()
    instances: tuple[Instance, ...] = field(default=(), metadata=in_json(InJson.IF_SET))
    note: str | None = field(default=None, metadata=in_json(InJson.IF_SET))
    order: int = field(
        default=0,
        compare=False,
        metadata=derived(
            "Its position in the catalogue: the channels in flow order, then GV, CV and the extra points.",
            InJson.NEVER,
        ),
    )

    @property
    def is_extra(self) -> bool:
        """True for the WHO extra points (``EX-...``)."""
        return self.meridian is None

    @property
    def name(self) -> str:
        """The WHO pinyin name."""
        return self.pinyin

    def instance(self, key: str) -> Instance:
        """The instance with this key (``"C5"``, ``"1-2"``); raises ``KeyError``."""
        for inst in self.instances:
            if inst.key.lower() == key.lower():
                return inst
        raise KeyError(
            f"{self.code} has no instance {key!r}; it has {', '.join(i.key for i in self.instances) or 'none'}"
        )

    def lowest_level(self) -> int | None:
        """Index of the point's first spinal level, for ordering; None without one."""
        return level_index(self.levels[0]) if self.levels else None

    def _repr_html_(self) -> str:
        from ..render.html import default_point_html

        return default_point_html(self.code)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of the record: its fields in order, by their ``in_json`` rules."""
        return record_dict(self)


@dataclass(frozen=True, kw_only=True)
class Crossing:
    """A surface a channel's course runs over where none of its points is filed."""

    region: str
    aspect: str
    where: str
    source: str


@dataclass(frozen=True)
class Meridian:
    """A channel: its code, names, surface, the digits it reaches, the skin its course
    crosses where none of its points is filed, and its alias prefixes."""

    code: str
    name: str
    pinyin: str
    chinese: str
    surface: str
    limb: str
    fingers: tuple[int, ...]
    toes: tuple[int, ...]
    crosses: tuple[Crossing, ...]
    aliases: tuple[str, ...]
    points: tuple[str, ...] = field(metadata=derived("The codes of its points, in WHO order."))

    def _repr_html_(self) -> str:
        from ..render.html import default_meridian_html

        return default_meridian_html(self.code)


@dataclass(frozen=True)
class Caution:
    """A kind of caution with its reason and sources."""

    id: str
    title: str
    reason: str
    sources: tuple[str, ...]
