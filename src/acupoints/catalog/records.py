"""The catalogue's records: points, their instances, meridians and cautions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..base.vocab import level_index


@dataclass(frozen=True)
class Instance:
    """One place of a group point, such as Jiaji beside C5 (``EX-B2@C5``)."""

    point: str
    key: str
    location: str
    levels: tuple[str, ...] = ()
    digits: tuple[int, ...] = ()
    region: str | None = None

    @property
    def code(self) -> str:
        """``EX-B2@C5``: the group point's code and the instance key."""
        return f"{self.point}@{self.key}"


@dataclass(frozen=True)
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
    meridian: str | None
    number: int
    region: str
    aspect: str
    surface: str
    location: str
    levels: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    english: str | None = None
    also: tuple[str, ...] = ()
    instances: tuple[Instance, ...] = ()
    note: str | None = None
    #: Position in the catalogue (meridians in flow order, then GV, CV, extras).
    order: int = field(default=0, compare=False)

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
        from ..render.html import render_point_html
        from .catalog import Catalog

        return render_point_html(Catalog.default(), self.code)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of the record."""
        out: dict[str, Any] = {
            "code": self.code,
            "pinyin": self.pinyin,
            "chinese": self.chinese,
            "english": self.english,
            "meridian": self.meridian,
            "region": self.region,
            "aspect": self.aspect,
            "surface": self.surface,
            "levels": list(self.levels),
            "location": self.location,
            "cautions": list(self.cautions),
        }
        if self.instances:
            out["instances"] = [
                {"key": i.key, "levels": list(i.levels), "digits": list(i.digits), "location": i.location}
                for i in self.instances
            ]
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Meridian:
    """A channel: its code, names, surface, the digits it reaches and its alias prefixes."""

    code: str
    name: str
    pinyin: str
    chinese: str
    surface: str
    limb: str
    fingers: tuple[int, ...]
    toes: tuple[int, ...]
    aliases: tuple[str, ...]
    points: tuple[str, ...]

    def _repr_html_(self) -> str:
        from ..render.html import render_meridian_html
        from .catalog import Catalog

        return render_meridian_html(Catalog.default(), self.code)


@dataclass(frozen=True)
class Caution:
    """A kind of caution with its reason and sources."""

    id: str
    title: str
    reason: str
    sources: tuple[str, ...]
