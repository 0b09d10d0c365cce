"""The CDS Hooks side of the service: discovery and the ``patient-view`` hook.

The service asks the client (the EHR) to prefetch the patient, their Conditions and
their pregnancy-status Observations. From them it builds a case
(:func:`acupoints.fhir.case_from_fhir`) and answers with cards
(:func:`acupoints.fhir.cards_from_result`). The service never calls the client's FHIR
server: without the Conditions prefetched it answers 412, as the specification asks.
"""

from __future__ import annotations

from typing import Any

from ..base.errors import CaseError, Problem
from ..fhir import cards_from_result, case_from_fhir, for_case_model

__all__ = ["HOOK", "PREFETCH", "SERVICE_ID", "MissingPrefetch", "cards_for", "discovery"]

SERVICE_ID = "acupoints-nerve-pain"
HOOK = "patient-view"
PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "pregnancy": "Observation?patient={{context.patientId}}&code=http://loinc.org|82810-3",
}


def discovery() -> dict[str, Any]:
    """The discovery document (``GET /cds-services``)."""
    return {
        "services": [
            {
                "hook": HOOK,
                "title": "Acupuncture points for nerve pain",
                "description": (
                    "Suggests acupuncture points, with their reasons and sources, for the nerve pain "
                    "recorded in the patient's Conditions; refers first when a red flag is recorded."
                ),
                "id": SERVICE_ID,
                "prefetch": dict(PREFETCH),
                "usageRequirements": (
                    "Conditions need a body site and a symptom (a SNOMED CT finding as code or evidence) "
                    "to make a complaint; diagnoses in ICD-10-CM or SNOMED CT fill in the cause."
                ),
            }
        ]
    }


class MissingPrefetch(Exception):
    """The request lacks the prefetched Conditions (answer 412)."""


def _info(
    summary: str, detail: str, problems: tuple[Problem, ...] | list[Problem], rules: str
) -> dict[str, Any]:
    from .. import __version__

    lines = [detail, ""] + [f"- `{p}`" for p in problems]
    return {"summary": summary, "indicator": "warning" if problems else "info", "detail": "\n".join(lines).strip(),
            "source": {"label": f"acupoints {__version__} ({rules})"}}  # fmt: skip


def cards_for(request: dict[str, Any], engine: Any, rules: str) -> list[dict[str, Any]]:
    """The cards answering one ``patient-view`` call.

    Raises :class:`MissingPrefetch` without the Conditions, and
    :class:`~acupoints.LoadError` when a prefetched resource is not valid FHIR.
    """
    prefetch = request.get("prefetch") or {}
    if "conditions" not in prefetch:
        raise MissingPrefetch
    patient_id = request.get("context", {}).get("patientId")
    items = [prefetch.get(key) for key in ("patient", "conditions", "pregnancy")]
    try:
        read = case_from_fhir(items, case_id=patient_id, where="prefetch")
    except CaseError as exc:
        # The record is valid FHIR but says too little (or an unknown code): say so on a card.
        return [_info("No acupuncture suggestion: the record does not describe the nerve pain",
                      "acupoints could not build a case from the prefetched record:", exc.problems, rules)]  # fmt: skip
    result = engine.suggest(for_case_model(read.case)).to_dict()
    patient = f"Patient/{patient_id}" if patient_id else None
    notes = [p.message for p in read.warnings]
    return cards_from_result(result, notes=notes, rules=rules, patient=patient, order=patient is not None)
