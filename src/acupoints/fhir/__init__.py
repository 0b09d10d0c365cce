"""FHIR R4 in and out (the optional extra ``fhir``): Conditions to a case, a result to
CDS Hooks cards, a ServiceRequest or a CarePlan activity.

Sits on top of the library (beside the command line): it reads a case through
:mod:`acupoints.coding` and writes what ``Suggestion.to_dict()`` holds.
"""

from __future__ import annotations

from .cards import cards_from_result
from .incoming import FhirCase, case_from_fhir, resources_of
from .orders import NoOrder, care_plan, service_request
from .resources import MissingExtra, check_resource

__all__ = [
    "FhirCase",
    "MissingExtra",
    "NoOrder",
    "cards_from_result",
    "care_plan",
    "case_from_fhir",
    "check_resource",
    "for_case_model",
    "resources_of",
    "service_request",
]


def for_case_model(mapping: dict[str, object]) -> dict[str, object]:
    """The case mapping as today's case model reads it.

    The case model has no ``diagnoses`` field yet; their facts are already filled in
    by :func:`~acupoints.coding.apply_diagnoses`, so the codes themselves are left out
    until the model gains the field.
    """
    from ..case.model import Case

    if "diagnoses" in Case.model_fields:
        return mapping
    return {k: v for k, v in mapping.items() if k != "diagnoses"}
