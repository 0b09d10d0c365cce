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
    """A case that :func:`case_from_fhir` read, for the engine: without its codes.

    The case model reads ``diagnoses`` itself (filling the case in, with warnings), but
    :func:`case_from_fhir` has already done so: the case is filled in and the warnings
    are in :attr:`FhirCase.warnings`. Leaving the codes out reads them once, so each
    warning is said once.
    """
    return {k: v for k, v in mapping.items() if k != "diagnoses"}
