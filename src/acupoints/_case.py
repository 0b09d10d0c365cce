"""The symptom case (a contract: extend it, never rename a field or a word)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from ._errors import CaseError, Problem
from ._validation import UNKNOWN_WORD, problems_from
from ._vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    NERVES,
    RED_FLAGS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TENDERNESS,
)
from ._yaml import Document, load_file, load_text

if TYPE_CHECKING:
    from ._catalog import Catalog


@dataclass(frozen=True)
class _Word:
    """A ``str`` annotation that accepts only the words of ``allowed``.

    pydantic-core checks the word itself (a hash lookup, no Python call per value). An
    unknown word fails with the error type :data:`UNKNOWN_WORD`, whose context carries
    ``what`` and ``allowed``; :func:`problems_from` turns it into the message of
    :func:`describe_choice` (the word, the closest allowed one and the allowed ones).
    """

    allowed: tuple[str, ...]
    what: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        check = core_schema.custom_error_schema(
            core_schema.literal_schema(list(self.allowed)),
            UNKNOWN_WORD,
            # Only seen by callers of ``model_validate``, who get pydantic's own error.
            custom_error_message=f"unknown {self.what}; allowed: {', '.join(self.allowed)}",
            custom_error_context={"what": self.what, "allowed": self.allowed},
        )
        # A plain ``str`` first: the same coercions (bytes, str enums) and type errors as before.
        return core_schema.chain_schema([core_schema.str_schema(), check])

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # In the schema a word is a string; ``_enum`` lists the words (in both schema modes).
        return handler(core_schema.str_schema())


def _one_of(allowed: tuple[str, ...], what: str) -> _Word:
    """Accept only ``allowed``; the error names the allowed words and the closest one."""
    return _Word(allowed, what)


def _enum(allowed: tuple[str, ...]) -> Any:
    return Field(json_schema_extra={"enum": list(allowed)})


Region = Annotated[str, _one_of(REGIONS, "region"), _enum(REGIONS)]
Aspect = Annotated[str, _one_of(ASPECTS, "aspect"), _enum(ASPECTS)]
Sensation = Annotated[str, _one_of(SENSATIONS, "sensation"), _enum(SENSATIONS)]
CauseKind = Annotated[str, _one_of(CAUSE_KINDS, "cause kind"), _enum(CAUSE_KINDS)]
Nerve = Annotated[str, _one_of(NERVES, "nerve"), _enum(NERVES)]
Level = Annotated[str, _one_of(LEVELS, "spinal level"), _enum(LEVELS)]
Flag = Annotated[str, _one_of(FLAGS, "flag"), _enum(FLAGS)]
RedFlag = Annotated[str, _one_of(RED_FLAGS, "red flag"), _enum(RED_FLAGS)]
Side = Annotated[str, _one_of(SIDES, "side"), _enum(SIDES)]
Tenderness = Annotated[str, _one_of(TENDERNESS, "tenderness"), _enum(TENDERNESS)]
Limb = Annotated[str, _one_of(("arm", "leg"), "limb"), _enum(("arm", "leg"))]


#: Tender-point texts known to resolve, each with the catalogue it resolved in: cases
#: repeat a few spellings, and resolving one (normalising the text) is the slow part.
#: Unknown texts are never remembered, so their message is always worked out afresh.
_RESOLVED: dict[str, Catalog] = {}
#: Spellings are unbounded (any spacing or case): the memo is emptied at this size.
_RESOLVED_MAX = 4096


def _known_point(text: str) -> str:
    """A tender point must name one catalogue point; it is kept as written."""
    seen = _RESOLVED.get(text)
    # Valid only while that catalogue is still the default one (it may be reset and reloaded).
    if seen is not None and seen is type(seen).default():
        return text
    from ._catalog import Catalog

    catalog = Catalog.default()
    if catalog.resolve(text) is not None:
        if len(_RESOLVED) >= _RESOLVED_MAX:
            _RESOLVED.clear()
        _RESOLVED[text] = catalog
        return text
    same = [
        p.code for p in catalog.search(text, limit=5) if p.pinyin.lower() == text.replace(" ", "").lower()
    ]
    if len(same) > 1:
        raise ValueError(
            f"tender point {text!r} names more than one point ({', '.join(same)}): give the code"
        )
    near = catalog.suggest_codes(text, n=3)
    hint = f" (did you mean {', '.join(repr(c) for c in near)}?)" if near else ""
    raise ValueError(f"unknown tender point {text!r}{hint}")


TenderPoint = Annotated[str, AfterValidator(_known_point)]


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
    severity: Annotated[int, Field(ge=0, le=10)] | None = None
    digits: tuple[Annotated[int, Field(ge=1, le=5)], ...] = ()


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
    max_points: Annotated[int, Field(ge=1, le=60)] | None = None
    notes: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _flags_as_items(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("flags"), list):
            data = {**data, "flags": [_flag_item(f) for f in data["flags"]]}
        return data

    @property
    def flag_names(self) -> frozenset[str]:
        """The flags given, without their places."""
        return frozenset(f.flag for f in self.flags)

    @property
    def regions(self) -> frozenset[str]:
        """All regions complained of."""
        return frozenset(c.region for c in self.complaints)

    def to_dict(self) -> dict[str, Any]:
        """The case as a JSON-ready mapping (the same shape it is read from)."""
        return self.model_dump(mode="json", exclude_none=True)

    # -- loading --------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Any, path: str = "<case>") -> Case:
        """Validate a mapping; raises :class:`~acupoints.CaseError` with every problem."""
        if isinstance(data, dict):
            # The common case, a valid dict, needs no Document (it only places problems).
            try:
                # ``model_validate`` with its defaults, minus a layer of Python per call.
                case: Case = cls.__pydantic_validator__.validate_python(data)
                return case
            except ValidationError:
                pass  # validated again by _validate, which reports the problems
        return _validate(Document(data, path), cls)

    @classmethod
    def from_text(cls, text: str | bytes, path: str = "<case>") -> Case:
        """Parse YAML or JSON text (JSON is YAML)."""
        return _validate(_as_case_doc(lambda: load_text(text, path, collect=True)), cls)

    @classmethod
    def from_file(cls, path: str | Path) -> Case:
        """Read a ``.yaml``, ``.yml`` or ``.json`` case file."""
        return _validate(_as_case_doc(lambda: load_file(Path(path), collect=True)), cls)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON Schema of the case format."""
        return cls.model_json_schema()


def _as_case_doc(load: Any) -> Document:
    try:
        doc: Document = load()
    except CaseError:
        raise
    except Exception as exc:
        problems = getattr(exc, "problems", None)
        if problems is None:
            raise
        raise CaseError(problems) from None
    return doc


def _validate(doc: Document, cls: type[Case]) -> Case:
    if not isinstance(doc.data, dict):
        kind = {list: "a list", str: "text", int: "a number", float: "a number", bool: "true or false"}.get(
            type(doc.data), "null"
        )
        raise CaseError(
            [Problem(doc.path, 1, 1, "not-a-mapping", f"a case is a mapping of fields, not {kind}")]
        )
    try:
        case = cls.model_validate(doc.data)
    except ValidationError as exc:
        found = doc.problems + problems_from(exc, doc, model=cls)
        raise CaseError(sorted(found, key=lambda p: (p.line, p.column))) from None
    if doc.problems:
        raise CaseError(doc.problems)
    return case
