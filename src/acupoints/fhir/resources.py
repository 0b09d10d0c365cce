"""FHIR R4 resources checked with ``fhir.resources`` (the optional extra ``fhir``).

The models are those of ``fhir.resources.R4B``; for the resources read and written here
(Patient, Condition, Observation, Bundle, ServiceRequest, CarePlan) FHIR 4.3 (R4B)
defines the same elements as R4. A resource that does not validate is a
:class:`~acupoints.LoadError` whose problems name the element, like a bad case does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ..base.errors import LoadError, Problem
from ..io.problems import problems_from
from ..io.yaml import Document

__all__ = ["MissingExtra", "as_plain", "check_resource"]


class MissingExtra(ImportError):
    """The optional dependencies of a feature are not installed."""


def _model_class(resource_type: str) -> Any:
    try:
        from fhir.resources.R4B import get_fhir_model_class
    except ImportError as exc:  # pragma: no cover - the tests run with the extra
        raise MissingExtra("FHIR support needs the optional extra: pip install 'acupoints[fhir]'") from exc
    return get_fhir_model_class(resource_type)


def check_resource(data: Mapping[str, Any], where: str = "<resource>") -> Any:
    """The validated ``fhir.resources`` model of a resource given as JSON-ready data.

    >>> check_resource({"resourceType": "Patient", "id": "p1", "gender": "female"}).gender
    'female'
    """
    if not isinstance(data, Mapping):
        raise LoadError([Problem(where, 1, 1, "not-a-resource", "a FHIR resource is a JSON object")])
    kind = data.get("resourceType")
    try:
        cls = _model_class(str(kind)) if isinstance(kind, str) else None
    except (KeyError, ValueError):  # the library's word for a type it does not know
        cls = None
    if cls is None:
        raise LoadError([Problem(where, 1, 1, "unknown-resource", f"unknown FHIR resource type {kind!r}")])
    try:
        return cls.model_validate(dict(data))
    except ValidationError as exc:
        problems = problems_from(exc, Document(dict(data), where))
        raise LoadError(
            [Problem(p.path, p.line, p.column, p.code, f"{kind}: {p.message}") for p in problems]
        ) from None


def as_plain(model: Any) -> dict[str, Any]:
    """A validated model back as JSON-ready data, without its empty elements."""
    plain: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    return plain
