"""FHIR records the service and FHIR tests build: a patient, Conditions, an Observation."""

from __future__ import annotations

from typing import Any

ICD = "http://hl7.org/fhir/sid/icd-10-cm"
SCT = "http://snomed.info/sct"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"


def patient(pid: str = "p1", gender: str = "female") -> dict[str, Any]:
    return {"resourceType": "Patient", "id": pid, "gender": gender, "birthDate": "1970-04-02"}


def condition(
    cid: str,
    *,
    icd: str | None = None,
    snomed: str | None = None,
    sites: tuple[str, ...] = (),
    side: str | None = None,
    symptoms: tuple[str, ...] = (),
    status: str = "active",
    site_text: str | None = None,
    patient_id: str = "p1",
) -> dict[str, Any]:
    """A Condition; ``sites`` are SNOMED CT body structures, ``side`` a laterality code,
    ``symptoms`` SNOMED CT findings recorded as its evidence."""
    coding = []
    if icd:
        coding.append({"system": ICD, "code": icd})
    if snomed:
        coding.append({"system": SCT, "code": snomed})
    res: dict[str, Any] = {
        "resourceType": "Condition",
        "id": cid,
        "clinicalStatus": {"coding": [{"system": CLINICAL, "code": status}]},
        "code": {"coding": coding},
        "subject": {"reference": f"Patient/{patient_id}"},
    }
    body_sites = [{"coding": [{"system": SCT, "code": s}]} for s in sites]
    if site_text:
        body_sites.append({"text": site_text})
    if side:
        body_sites.append({"coding": [{"system": SCT, "code": side}]})
    if body_sites:
        res["bodySite"] = body_sites
    if symptoms:
        res["evidence"] = [{"code": [{"coding": [{"system": SCT, "code": s}]} for s in symptoms]}]
    return res


def pregnancy_status(oid: str, answer: str = "77386006", status: str = "final") -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": status,
        "code": {"coding": [{"system": "http://loinc.org", "code": "82810-3"}]},
        "subject": {"reference": "Patient/p1"},
        "valueCodeableConcept": {"coding": [{"system": SCT, "code": answer}]},
    }


def searchset(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


# Right carpal tunnel syndrome with numbness and tingling of the right wrist and fingers.
WRIST = "8205005"
FINGERS = "7569003"
RIGHT, LEFT = "24028007", "7771000"
NUMBNESS, TINGLING, PAIN = "44077006", "62507009", "22253000"


def carpal_tunnel(cid: str = "c1") -> dict[str, Any]:
    return condition(cid, icd="G56.01", sites=(WRIST, FINGERS), side=RIGHT, symptoms=(NUMBNESS, TINGLING))
