"""Schemas of the catalogue's data files (``acupoints/data/points/*.yaml``).

One file per meridian (``kind: meridian``) plus one for the WHO extra points
(``kind: extra``). Each point names its region and aspect in the case vocabulary,
its Yin/Yang surface, its spinal level(s) where it has one, a location written for
this project, and its cautions (ids of ``data/cautions.yaml``).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..base.vocab import MERIDIANS, SURFACES
from ..base.words import Aspect, Level, Region, one_of

_PINYIN = re.compile(r"^[A-Z][a-z]+$")


Surface = Annotated[str, one_of(SURFACES, "surface")]
MeridianCode = Annotated[str, one_of(MERIDIANS, "meridian")]


def _pinyin(value: str) -> str:
    if not _PINYIN.match(value):
        raise ValueError(f"pinyin {value!r} must be one toneless capitalised word, like 'Jianzhongshu'")
    return value


Pinyin = Annotated[str, AfterValidator(_pinyin)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InstanceData(_Frozen):
    """One place of a group point (Jiaji beside C5, Baxie between digits 1 and 2...)."""

    key: str = Field(pattern=r"^[A-Za-z0-9-]+$")
    location: str = Field(min_length=10)
    levels: tuple[Level, ...] = ()
    digits: tuple[Annotated[int, Field(ge=1, le=5)], ...] = ()
    region: Region | None = None


class PointData(_Frozen):
    """One point as written in a data file."""

    code: str = Field(pattern=r"^([A-Z]{2}\d{1,2}|EX-(HN|CA|B|UE|LE)\d{1,2})$")
    pinyin: Pinyin
    chinese: str = Field(min_length=1, max_length=6)
    english: str | None = None
    also: tuple[str, ...] = ()
    region: Region
    aspect: Aspect
    surface: Surface
    levels: tuple[Level, ...] = ()
    location: str = Field(min_length=10)
    cautions: tuple[str, ...] = ()
    instances: tuple[InstanceData, ...] = ()
    note: str | None = None


class MeridianData(_Frozen):
    """The header of a meridian file."""

    code: MeridianCode
    name: str
    pinyin: str
    chinese: str
    surface: Surface
    limb: Literal["hand", "foot", "trunk"]
    fingers: tuple[Annotated[int, Field(ge=1, le=5)], ...] = ()
    toes: tuple[Annotated[int, Field(ge=1, le=5)], ...] = ()
    aliases: tuple[str, ...] = ()


class PointFile(_Frozen):
    """A whole data file: a meridian with its points, or the extra points."""

    kind: Literal["meridian", "extra"]
    meridian: MeridianData | None = None
    points: tuple[PointData, ...] = Field(min_length=1)


class CautionData(_Frozen):
    """A kind of caution, with why it matters and where that is said."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    reason: str
    sources: tuple[str, ...] = Field(min_length=1)


class CautionFile(_Frozen):
    cautions: tuple[CautionData, ...]
