"""The JSON result as types: what ``Suggestion.to_dict()`` returns, and its JSON Schema.

Each part of the result is a ``TypedDict`` here, so the Python type of ``to_dict()`` and
the schema that ``acupoints schema result`` prints come from one declaration (pydantic
writes the schema from these types). The result is a contract with a version,
:data:`SCHEMA_VERSION`: a minor version only adds (an optional key, a word to an open
set of words); a major version may rename, remove or change the meaning of a key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar, Union

from pydantic import ConfigDict, Field, JsonValue, TypeAdapter, ValidationError
from typing_extensions import NotRequired, TypedDict

from ..base.errors import LoadError, Problem

__all__ = [
    "JSON_SCHEMA_DIALECT",
    "MAX_ALTERNATIVES",
    "SCHEMA_VERSION",
    "AdviceDict",
    "AlternativeDict",
    "ConflictDict",
    "EngineDict",
    "ExcludedDict",
    "PlanDict",
    "PlanItemDict",
    "PlanValue",
    "PointDict",
    "ReferralDict",
    "ResultDict",
    "Status",
    "Urgency",
    "check_result",
    "result_adapter",
    "result_schema",
    "schema_id",
    "settings_adapter",
]

#: The version of the result's shape, ``major.minor`` (see the module docstring).
SCHEMA_VERSION = "1.0"
#: How many alternatives a result lists at most.
MAX_ALTERNATIVES = 8
#: The JSON Schema dialect of every schema the library prints.
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_T = TypeVar("_T")


def _titled(title: str) -> Any:
    """Give a ``TypedDict`` its title in the schema (what ``pydantic.with_config`` does;
    written out because pydantic before 2.7 lacks it)."""

    def wrap(cls: _T) -> _T:
        setattr(cls, "__pydantic_config__", ConfigDict(title=title))  # noqa: B010
        return cls

    return wrap


#: What a result says of the case: points, or a referral first.
Status = Literal["suggested", "refer"]
#: How soon a referred case should see a doctor.
Urgency = Literal["emergency", "urgent", "soon"]
#: A plan setting's value: what a rule's plan item may set (a word, number, flag or list).
PlanValue = Union[bool, int, float, str, None, list[JsonValue]]  # noqa: UP007

_Codes = Annotated[list[str], Field(description="Rule ids, in rule order.")]


@_titled("Point")
class PointDict(TypedDict):
    """A chosen point, best first: where it goes, how strongly and why."""

    code: Annotated[str, Field(description="The WHO standard code (or the extra point's code).")]
    name: Annotated[str, Field(description="The point's pinyin name.")]
    meridian: Annotated[str | None, Field(description="Its channel's code; null for an extra point.")]
    side: Annotated[str, Field(description="`left`, `right`, `both` or `midline`.")]
    role: Annotated[str, Field(description="The role of its largest part: `local`, `segmental`, `distal` or `adjunct`.")]  # fmt: skip
    score: Annotated[float, Field(description="The sum of role weight x selection weight over every rule that chose it.")]  # fmt: skip
    rules: _Codes
    principles: Annotated[list[str], Field(description="The principle ids of those rules, in order.")]
    why: Annotated[str, Field(description="Each rule's summary with its source key, joined by `; `.")]
    packs: Annotated[list[str], Field(description="The packs of those rules, sorted.")]
    sources: Annotated[list[str], Field(description="The sources of those rules, in order.")]
    found_by: Annotated[list[str], Field(description="`rule: how it found the point`, one per part.")]
    instances: NotRequired[Annotated[list[str], Field(description="For a group point, the places chosen (`C6` of Jiaji).")]]  # fmt: skip
    cautions: NotRequired[Annotated[list[str], Field(description="The point's own caution ids.")]]


@_titled("Alternative")
class AlternativeDict(TypedDict):
    """A point that the cut left out, among the best of them: what to swap in."""

    code: Annotated[str, Field(description="The point's code.")]
    name: Annotated[str, Field(description="Its pinyin name.")]
    side: Annotated[str, Field(description="The side it would go on, as for a chosen point.")]
    role: Annotated[str, Field(description="The role of its largest part.")]
    score: Annotated[float, Field(description="Its score, as for a chosen point.")]
    rules: _Codes
    why: Annotated[str, Field(description="Each rule's summary with its source key.")]
    sources: Annotated[list[str], Field(description="The sources of those rules, in order.")]
    instances: NotRequired[Annotated[list[str], Field(description="For a group point, the places it would take (`C6` of Jiaji); only these, as a safety rule may have left others out.")]]  # fmt: skip
    cautions: NotRequired[Annotated[list[str], Field(description="The point's own caution ids, as for a chosen point.")]]  # fmt: skip


@_titled("Excluded")
class ExcludedDict(TypedDict):
    """A point that a rule chose and a safety rule then left out."""

    code: Annotated[str, Field(description="The point's code.")]
    reason: Annotated[str, Field(description="Why it was left out.")]
    rule: Annotated[str, Field(description="The rule that left it out.")]
    source: Annotated[str, Field(description="That rule's source key.")]
    side: Annotated[str, Field(description="The side left out: `left`, `right` or `both`.")]
    instance: NotRequired[Annotated[str, Field(description="For a group point, the one place left out.")]]


@_titled("PlanItem")
class PlanItemDict(TypedDict):
    """A line of the treatment plan, with the rule that says it."""

    text: Annotated[str, Field(description="The line.")]
    principles: Annotated[list[str], Field(description="The principle ids it states.")]
    rule: Annotated[str, Field(description="The rule that says it.")]
    source: Annotated[str, Field(description="That rule's source key.")]


@_titled("Plan")
class PlanDict(TypedDict):
    """The plan: its items, and beside them the settings the rules made (such as
    `max_points`, `needles` or `electroacupuncture`), each a plan value."""

    items: Annotated[list[PlanItemDict], Field(description="Every plan line of the rules that fired, in rule order.")]  # fmt: skip


@_titled("Advice")
class AdviceDict(TypedDict):
    """Advice for the patient, with the principles it states and those it disagrees with."""

    text: Annotated[str, Field(description="The advice.")]
    principles: Annotated[list[str], Field(description="The principle ids it states.")]
    conflicts_with: Annotated[list[str], Field(description="The principle ids it disagrees with.")]
    rule: Annotated[str, Field(description="The rule that gives it.")]
    source: Annotated[str, Field(description="That rule's source key.")]
    about: NotRequired[Annotated[str, Field(description="What it is about, for matching conflicts.")]]


@_titled("Conflict")
class ConflictDict(TypedDict):
    """Two sources that disagree; both are kept and shown."""

    about: Annotated[str, Field(description="The plan setting or topic they disagree on.")]
    between: Annotated[list[str], Field(description="The rules or principles that disagree.")]
    detail: Annotated[str, Field(description="Who says what.")]


@_titled("Referral")
class ReferralDict(TypedDict):
    """Why the case goes to a doctor before any needling."""

    reason: Annotated[str, Field(description="The referring rules' reasons, joined.")]
    urgency: Annotated[Urgency, Field(description="The most urgent of them.")]
    findings: Annotated[list[str], Field(description="The case's red flags.")]
    rules: _Codes
    sources: Annotated[list[str], Field(description="The referring rules' sources.")]


@_titled("Engine")
class EngineDict(TypedDict):
    """Which engine produced the result: enough to tell two rulebooks apart."""

    version: Annotated[str, Field(description="The version of the acupoints library.")]
    packs: Annotated[list[str], Field(description="The rule packs of the rulebook, in rule order.")]
    digest: Annotated[str, Field(description="`sha256:` and the hex SHA-256 over the rule files and the catalogue data the engine was built from.")]  # fmt: skip


@_titled("Result")
class ResultDict(TypedDict):
    """One result of `Engine.suggest`: the JSON that `Suggestion.to_dict()` returns."""

    schema_version: Annotated[str, Field(description="The version of this shape, `major.minor`.")]
    case: Annotated[str | None, Field(description="The case's `id`, if it has one.")]
    status: Annotated[Status, Field(description="`refer`: a red flag; no points.")]
    points: Annotated[list[PointDict], Field(description="The chosen points, best first.")]
    excluded: Annotated[list[ExcludedDict], Field(description="Points left out for safety.")]
    plan: PlanDict
    advice: Annotated[list[AdviceDict], Field(description="Advice for the patient.")]
    conflicts: Annotated[list[ConflictDict], Field(description="Where sources disagree.")]
    warnings: Annotated[list[str], Field(description="What the practitioner should know.")]
    referral: Annotated[ReferralDict | None, Field(description="Why the case is referred; null when it is not.")]  # fmt: skip
    rules_fired: Annotated[list[str], Field(description="Every rule whose condition held, in rule order.")]
    dropped: Annotated[list[str], Field(description="Every supported point the cut left out, best first.")]
    alternatives: Annotated[list[AlternativeDict], Field(description="The best of the dropped points, at most 8, best first.")]  # fmt: skip
    engine: Annotated[EngineDict | None, Field(description="The engine that made it; null for a result built by hand.")]  # fmt: skip


_adapters: dict[str, TypeAdapter[Any]] = {}


def result_adapter() -> TypeAdapter[ResultDict]:
    """The pydantic adapter that checks a result against :class:`ResultDict` (made once)."""
    got = _adapters.get("result")
    if got is None:
        got = _adapters["result"] = TypeAdapter(ResultDict)
    return got


def settings_adapter() -> TypeAdapter[dict[str, PlanValue]]:
    """The adapter that checks the plan's settings (the keys beside its ``items``)."""
    got = _adapters.get("settings")
    if got is None:
        got = _adapters["settings"] = TypeAdapter(dict[str, PlanValue])
    return got


def schema_id(what: str) -> str:
    """The ``$id`` of a schema of this library (``case``, ``rules`` or ``result``).

    An identifier, not a place to download from: a URN that names the library, the
    schema and, for the result, its version.
    """
    return f"urn:acupoints:schema:{what}" + (f":{SCHEMA_VERSION}" if what == "result" else "")


def result_schema(ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """The JSON Schema of the result, from :class:`ResultDict`, with ``$schema`` and ``$id``.

    The plan's settings are open (any key a rule sets), which ``TypedDict`` cannot say
    yet (PEP 728), so the schema says it here: the plan allows other keys, each a plan
    value. Definitions are named by their titles (``Point``, not ``PointDict``) and kept
    under ``$defs``; ``ref_template`` says how references to them are written (an OpenAPI
    document keeps them elsewhere).
    """
    schema = result_adapter().json_schema()
    defs: dict[str, Any] = schema.pop("$defs", {})
    plan_value = TypeAdapter(PlanValue).json_schema()
    # A list in a plan setting holds any JSON value: the empty schema, written in place.
    anything = {f"#/$defs/{key}" for key in plan_value.pop("$defs", {})}
    refs = {
        f"#/$defs/{key}": ref_template.format(model=value.get("title", key)) for key, value in defs.items()
    }
    header = {"$schema": JSON_SCHEMA_DIALECT, "$id": schema_id("result")}
    out: dict[str, Any] = {**header, **_renamed(schema, refs, anything)}
    named = {value.get("title", key): _renamed(value, refs, anything) for key, value in defs.items()}
    named["Plan"]["additionalProperties"] = _renamed(plan_value, refs, anything)
    # Any 1.x result: a minor version only adds.
    out["properties"]["schema_version"]["pattern"] = rf"^{SCHEMA_VERSION.split('.')[0]}\.[0-9]+$"
    out["$defs"] = named
    return out


def _renamed(node: Any, refs: dict[str, str], anything: set[str]) -> Any:
    """``node`` with each ``$ref`` in ``refs`` replaced by its new name, and each one in
    ``anything`` by the empty schema (any value)."""
    if isinstance(node, dict):
        if node.get("$ref") in anything:
            return {k: _renamed(v, refs, anything) for k, v in node.items() if k != "$ref"}
        return {k: refs.get(v, v) if k == "$ref" else _renamed(v, refs, anything) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, refs, anything) for v in node]
    return node


def check_result(data: Any, path: str = "<result>") -> ResultDict:
    """``data`` if it is a result of this schema's major version, else a
    :class:`~acupoints.LoadError` naming each problem (``points[0].score: ...``).

    The types check the shape and nothing is converted: the values stay as given, so a
    result read back is written out exactly as it came in.
    """
    if isinstance(data, Mapping) and not isinstance(data, dict):
        data = dict(data)
    version = data.get("schema_version") if isinstance(data, dict) else None
    major = SCHEMA_VERSION.split(".")[0]
    if not isinstance(version, str) or version.split(".")[0] != major:
        raise LoadError([Problem(path, 1, 1, "schema-version",
                                 f"schema_version: {version!r} is not a result of schema {major}.x; "
                                 f"this library reads {major}.x (it writes {SCHEMA_VERSION})")])  # fmt: skip
    try:
        result_adapter().validate_python(data)
        settings_adapter().validate_python({k: v for k, v in data["plan"].items() if k != "items"})
    except ValidationError as exc:
        raise LoadError([
            Problem(path, 1, 1, "invalid-result", f"{_where(e['loc'])}: {e['msg']}") for e in exc.errors()
        ]) from None  # fmt: skip
    checked: ResultDict = data
    return checked


def _where(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a path into the result: ``points[0].score``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the result)"
