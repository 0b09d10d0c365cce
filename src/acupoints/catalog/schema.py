"""Schemas of the catalogue's data files (``acupoints/data/points/*.yaml``).

One file per meridian (``kind: meridian``) plus one for the WHO extra points
(``kind: extra``). Each point names its region and aspect in the case vocabulary,
its Yin/Yang surface, its spinal level(s) where it has one, a location written for
this project, and its cautions (ids of ``data/cautions.yaml``).

These models are the one declaration of a catalogue field's type, checks and meaning: the
records (:mod:`.records`) hold the same fields by name, and the docs' field tables are made
from these models' JSON Schemas (the ``description`` of each field is its table text).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..base.vocab import MERIDIANS, SURFACES
from ..base.words import Aspect, Level, Region, one_of

__all__ = [
    "CautionData",
    "CautionFile",
    "CrossingData",
    "InstanceData",
    "MeridianCode",
    "MeridianData",
    "Pinyin",
    "PointData",
    "PointFile",
    "Surface",
]

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

    key: str = Field(
        pattern=r"^[A-Za-z0-9-]+$", description="What follows the `@` in its code: `C5`, `2-3`, `anterior`."
    )
    location: str = Field(min_length=10, description="Where this one place lies, in the project's own words.")
    levels: tuple[Level, ...] = Field((), description="The spinal levels it lies at.")
    digits: tuple[Annotated[int, Field(ge=1, le=5)], ...] = Field(
        (), description="The fingers or toes it lies between or on (1 is the thumb or the big toe)."
    )
    region: Region | None = Field(None, description="Its region, where it differs from the group point's.")


class PointData(_Frozen):
    """One point as written in a data file."""

    code: str = Field(
        pattern=r"^([A-Z]{2}\d{1,2}|EX-(HN|CA|B|UE|LE)\d{1,2})$",
        description="The WHO code, the point's key everywhere: `LU7`, `EX-B2`.",
    )
    pinyin: Pinyin = Field(description="The WHO pinyin name, toneless and written as one word.")
    chinese: str = Field(min_length=1, max_length=6, description="The name in Chinese characters.")
    english: str | None = Field(None, description="An English rendering of the name.")
    also: tuple[str, ...] = Field(
        (), description="Other ways of writing the name (traditional characters) that a lookup accepts."
    )
    region: Region = Field(description="The body region it lies in, in the case vocabulary.")
    aspect: Aspect = Field(description="The aspect of that region.")
    surface: Surface = Field(description="The Yin or Yang surface, the same as its channel's.")
    levels: tuple[Level, ...] = Field(
        (), description="The spinal levels it lies at, for points of the back and neck."
    )
    location: str = Field(min_length=10, description="Where it lies, in the project's own words.")
    cautions: tuple[str, ...] = Field(
        (), description="Ids of the cautions it carries (`data/cautions.yaml`)."
    )
    instances: tuple[InstanceData, ...] = Field(
        (), description="The places of a group point, each selected as `CODE@KEY`."
    )
    note: str | None = Field(
        None, description="A remark: on the sources, on needling it, or on a choice this project made."
    )


class CrossingData(_Frozen):
    """A surface a channel's course runs over where none of its points is filed."""

    region: Region = Field(description="The region, in the case vocabulary.")
    aspect: Aspect = Field(description="The aspect of that region the course runs over.")
    where: str = Field(min_length=10, description="Where the course runs there, in the project's own words.")
    source: str = Field(min_length=3, description="Where the course is described.")


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
    crosses: tuple[CrossingData, ...] = Field(
        (),
        description="Surfaces its course runs over where none of its points is filed: the skin of the "
        "channel there, as much as the surfaces of its points.",
    )
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
    """The whole cautions file."""

    cautions: tuple[CautionData, ...]
