"""A suggestion as a FHIR R4 ServiceRequest, or as a CarePlan activity, for acupuncture.

Both name the procedure by its SNOMED CT code (44868003 |Acupuncture|) and the points,
each with its side, in the order of the ranking. Both are drafts and proposals: the
practitioner decides. A result that refers to a doctor gives no order at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..base.errors import AcupointsError
from .terms import ACUPUNCTURE, SNOMED

__all__ = ["NoOrder", "care_plan", "point_lines", "service_request"]


class NoOrder(AcupointsError, ValueError):
    """The result refers the patient to a doctor (or has no points): nothing to order."""


def _procedure() -> dict[str, Any]:
    code, display = ACUPUNCTURE
    return {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": display}


def point_lines(result: Mapping[str, Any]) -> list[str]:
    """One line per suggested point: code, name, side (``LI4 Hegu, left``)."""
    return [f"{p['code']} {p['name']}, {p['side']}" for p in result.get("points", ())]


def _check(result: Mapping[str, Any]) -> None:
    if result.get("referral") or result.get("status") == "refer":
        raise NoOrder("the result refers the patient to a doctor first: no acupuncture is ordered")
    if not result.get("points"):
        raise NoOrder("the result suggests no points: there is nothing to order")


def _notes(result: Mapping[str, Any]) -> list[dict[str, str]]:
    texts = [i["text"] for i in result.get("plan", {}).get("items", ())] + list(result.get("warnings", ()))
    return [{"text": t} for t in texts]


def service_request(
    result: Mapping[str, Any], *, subject: str, reasons: Sequence[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """A draft ServiceRequest (intent ``proposal``) for acupuncture at the suggested points.

    ``subject`` is the patient reference (``Patient/123``); ``reasons`` are codings of
    the diagnoses (``{"system": ..., "code": ...}``) that become its ``reasonCode``.
    """
    _check(result)
    request: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "proposal",
        "code": _procedure(),
        "orderDetail": [{"text": line} for line in point_lines(result)],
        "subject": {"reference": subject},
    }
    if reasons:
        request["reasonCode"] = [{"coding": [dict(r)]} for r in reasons]
    notes = _notes(result)
    if notes:
        request["note"] = notes
    advice = [a["text"] for a in result.get("advice", ())]
    if advice:
        request["patientInstruction"] = " ".join(advice)
    return request


def care_plan(result: Mapping[str, Any], *, subject: str) -> dict[str, Any]:
    """A draft CarePlan (intent ``proposal``) with one activity: acupuncture at the points."""
    _check(result)
    plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": "draft",
        "intent": "proposal",
        "title": "Acupuncture for nerve pain",
        "subject": {"reference": subject},
        "activity": [
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "code": _procedure(),
                    "status": "not-started",
                    "description": "Points: " + "; ".join(point_lines(result)),
                }
            }
        ],
    }
    notes = _notes(result)
    if notes:
        plan["note"] = notes
    return plan
