"""The symptom case (a contract: extend it, never rename a field or a word).

The case knows its vocabulary but not the catalogue: tender points are kept as written
and resolved by the engine against its own catalogue (an unknown one is an error there).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import IO, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from ..base.diagnosis import Diagnosis
from ..base.errors import Problem
from ..base.vocab import ASPECT_REGIONS, aspect_outside
from ..base.words import (
    Aspect,
    CauseKind,
    Flag,
    Level,
    Limb,
    Nerve,
    Onset,
    RedFlag,
    Region,
    Sensation,
    Side,
    Tenderness,
)
from ..io.scalars import NOT_BOOL
from .read import case_from_bytes, case_from_dict, case_from_json_line, case_from_source, validate_case

__all__ = ["MAX_POINTS", "Case", "Cause", "Complaint", "Diagnosis", "FlagItem", "validate_case"]

#: The most points a case may ask for (and a rule's plan may set).
MAX_POINTS = 60

#: What to say of an aspect on a region that has no such side, worked out once per pair.
_aspect_outside = functools.lru_cache(maxsize=None)(aspect_outside)

#: A tender point as written: a code or a name, resolved by the engine's catalogue.
TenderPoint = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _non_empty(field: str) -> AfterValidator:
    """Reject an empty tuple in ``field``.

    A check after the items validate, so one bad item is not also reported as "empty".
    The field's name is fixed here rather than read from a ``ValidationInfo``, which
    pydantic would build on every call.
    """

    def check(value: tuple[Any, ...]) -> tuple[Any, ...]:
        if not value:
            raise ValueError(f"{field} needs at least one entry")
        return value

    return AfterValidator(check)


class Complaint(_Model):
    """Where it hurts or is numb, and how."""

    region: Region
    aspect: Aspect | None = None
    side: Side = "both"
    sensations: Annotated[tuple[Sensation, ...], _non_empty("sensations")]
    severity: Annotated[int, Field(ge=0, le=10), NOT_BOOL] | None = None
    digits: tuple[Annotated[int, Field(ge=1, le=5), NOT_BOOL], ...] = ()


class Cause(_Model):
    """What causes the nerve pain, when known."""

    kind: CauseKind
    levels: tuple[Level, ...] = ()
    nerve: Nerve | None = None


class FlagItem(_Model):
    """A safety-relevant condition; limb flags may say where (region, limb, side)."""

    flag: Flag
    region: Region | None = None
    limb: Limb | None = None
    side: Side = "both"


def _flag_item(value: Any) -> Any:
    return {"flag": value} if isinstance(value, str) else value


class Case(_Model):
    """A symptom case, as a file (YAML or JSON) or a dict from other software.

    >>> case = Case.model_validate({"complaints": [{"region": "forearm", "sensations": ["numbness"]}]})
    >>> case.complaints[0].side, case.tenderness
    ('both', 'none')
    """

    id: str | None = None
    complaints: Annotated[tuple[Complaint, ...], _non_empty("complaints")]
    cause: Cause | None = None
    tenderness: Tenderness = "none"
    tender_points: tuple[TenderPoint, ...] = ()
    flags: tuple[Annotated[FlagItem, Field()], ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    #: Age in years, and how the symptoms began: facts some red flags need.
    age: Annotated[int, Field(ge=0, le=130), NOT_BOOL] | None = None
    onset: Onset | None = None
    max_points: Annotated[int, Field(ge=1, le=MAX_POINTS), NOT_BOOL] | None = None
    notes: str | None = None
    diagnoses: tuple[Diagnosis, ...] = ()
    # What reading the diagnoses noticed (see diagnosis_warnings); set by acupoints.case.read.
    _diagnosis_warnings: tuple[Problem, ...] = PrivateAttr(default=())

    @model_validator(mode="before")
    @classmethod
    def _flags_as_items(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("flags"), (list, tuple)):
            data = {**data, "flags": [_flag_item(f) for f in data["flags"]]}
        return data

    @property
    def flag_names(self) -> frozenset[str]:
        """The flags given, without their places."""
        return frozenset(f.flag for f in self.flags)

    @property
    def diagnosis_warnings(self) -> tuple[Problem, ...]:
        """What reading the case's diagnosis codes noticed, with the position of each: a
        code the table does not cover, a code that disagrees with what the case states.
        The engine puts their messages first among a result's warnings."""
        return self._diagnosis_warnings

    @property
    def aspect_warnings(self) -> tuple[str, ...]:
        """Each complaint's aspect that names no side of its region (a radial thigh, a
        plantar neck), with how it is read (:func:`~acupoints.base.vocab.aspect_outside`).
        The engine puts them among a result's warnings, after the diagnosis codes'.

        >>> Case.model_validate({"complaints": [{"region": "thigh", "aspect": "radial", "sensations": ["pain"]}]}).aspect_warnings
        ('complaints[0].aspect: the thigh has no radial side (a side of the arm): read as its lateral side',)
        """
        out = []
        for i, c in enumerate(self.complaints):
            if c.aspect is not None and c.aspect in ASPECT_REGIONS:
                said = _aspect_outside(c.region, c.aspect)
                if said is not None:
                    out.append(f"complaints[{i}].aspect: {said}")
        return tuple(out)

    @property
    def regions(self) -> frozenset[str]:
        """All regions complained of."""
        return frozenset(c.region for c in self.complaints)

    def to_dict(self) -> dict[str, Any]:
        """The case as a JSON-ready mapping (the same shape it is read from)."""
        return self.model_dump(mode="json", exclude_none=True)

    # -- loading (every way in goes through acupoints.case.read) ---------------------
    @classmethod
    def from_dict(cls, data: Any, path: str = "<case>") -> Case:
        """Validate a mapping (any ``Mapping``); raises :class:`~acupoints.CaseError` with every problem."""
        return case_from_dict(cls, data, path)

    @classmethod
    def from_text(cls, text: str | bytes, path: str = "<case>") -> Case:
        """Parse YAML or JSON text (text that is JSON is read as JSON)."""
        return case_from_bytes(cls, text, path)

    @classmethod
    def from_file(cls, path: str | Path) -> Case:
        """Read a ``.yaml``, ``.yml`` or ``.json`` case file (refused unread beyond MAX_CASE_BYTES)."""
        return case_from_source(cls, Path(path), str(path))

    @classmethod
    def from_stream(cls, stream: IO[bytes] | IO[str], path: str | None = None) -> Case:
        """Read a case from an open stream, such as ``sys.stdin.buffer``, never past MAX_CASE_BYTES."""
        return case_from_source(cls, stream, path)

    @classmethod
    def from_json_line(cls, line: str | bytes, path: str = "<input>", number: int = 1) -> Case:
        """One line of a JSON Lines input (JSON only); problems are placed at line ``number``.

        >>> Case.from_json_line(b'{"complaints": [{"region": "foot", "sensations": ["pain"]}]}').regions
        frozenset({'foot'})
        """
        return case_from_json_line(cls, line, path, number)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON Schema of the case format."""
        return cls.model_json_schema()
