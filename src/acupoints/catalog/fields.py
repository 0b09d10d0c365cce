"""How a record's fields follow the schema of the data files, declared once per field.

A catalogue field is declared in the schema (:mod:`.schema`, which validates the files) and
as a typed attribute of its record (:mod:`.records`, which Python's type checkers read).
Everything else is derived from those two declarations, never copied by hand:

- :func:`carried` gives the record's keyword arguments from a validated schema object,
  field by field, so a schema field the record lacks fails the load at once;
- :func:`record_dict` gives a record's ``to_dict``, in the record's field order, each field
  going in according to its :class:`InJson` rule (always, when it holds something, never);
- the graph names the fields its queries read and takes their values from the record;
- the docs tables are made from the schema and from these rules.

A field the catalogue works out itself (a point's meridian, number and order) is marked
:func:`derived` on the record, with the sentence that the docs show for it.

Adding a field to a point is therefore two lines: the schema's (type, checks, description)
and the record's (type, and ``metadata=in_json(...)`` when it should not always be in the
JSON). ``tests/unit/catalog/test_point_fields.py`` checks that the two agree.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

__all__ = ["InJson", "carried", "derived", "derived_fields", "in_json", "json_rule", "record_dict"]

#: The key of the record fields' ``metadata`` entries below.
_JSON = "acupoints.json"
_DERIVED = "acupoints.derived"


class InJson(enum.Enum):
    """When a record's field goes into its ``to_dict``."""

    ALWAYS = "always"
    #: Only when the value holds something (a note, a non-empty list of instances).
    IF_SET = "if set"
    NEVER = "never"


def in_json(rule: InJson) -> Mapping[str, Any]:
    """The ``metadata`` of a record field that is not always in the JSON."""
    return {_JSON: rule}


def derived(doc: str, json: InJson = InJson.ALWAYS) -> Mapping[str, Any]:
    """The ``metadata`` of a record field the catalogue works out instead of reading it.

    ``doc`` says how, for the docs' table of point fields.
    """
    return {_DERIVED: doc, _JSON: json}


def json_rule(field: dataclasses.Field[Any]) -> InJson:
    """The :class:`InJson` rule of a record field (``ALWAYS`` unless declared)."""
    rule: InJson = field.metadata.get(_JSON, InJson.ALWAYS)
    return rule


def derived_fields(record: type) -> dict[str, str]:
    """The record's derived fields, by name, with the sentence that says how each is made."""
    return {f.name: f.metadata[_DERIVED] for f in dataclasses.fields(record) if _DERIVED in f.metadata}


def carried(data: BaseModel, **changed: Any) -> dict[str, Any]:
    """Every field of a validated schema object, by name, as a record's keyword arguments.

    ``changed`` replaces the values a record holds in another form (a location with its
    white space folded, instances as records) and adds the derived fields.
    """
    values = {name: getattr(data, name) for name in type(data).model_fields}
    values.update(changed)
    return values


#: Per record class, the fields its ``to_dict`` takes, each with whether it is left out
#: when empty. Worked out once: ``fields()`` and the metadata lookups cost more than the
#: copying itself.
_PLANS: dict[type, tuple[tuple[str, bool], ...]] = {}
#: Values that go into JSON as they are.
_AS_IS = (str, int, float, bool, type(None))


def _plan(record: type) -> tuple[tuple[str, bool], ...]:
    plan = _PLANS.get(record)
    if plan is None:
        plan = tuple(
            (f.name, rule is InJson.IF_SET)
            for f in dataclasses.fields(record)
            if (rule := json_rule(f)) is not InJson.NEVER
        )
        _PLANS[record] = plan  # a few record classes only; races just compute it twice
    return plan


def record_dict(record: object) -> dict[str, Any]:
    """A JSON-ready mapping of a frozen dataclass record, by its fields' :class:`InJson` rules.

    Tuples become lists, and records inside (a point's instances) mappings by the same rules.
    """
    out: dict[str, Any] = {}
    for name, if_set in _plan(type(record)):
        value = getattr(record, name)
        if if_set and not value:
            continue
        out[name] = value if isinstance(value, _AS_IS) else _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [v if isinstance(v, _AS_IS) else _plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return record_dict(value)
    return value
