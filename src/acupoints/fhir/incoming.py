"""FHIR in: a patient's Conditions and Observations become a case.

- A Condition coded in ICD-10-CM or SNOMED CT gives a diagnosis of the case (read by
  :func:`acupoints.coding.apply_diagnoses`: cause, nerve, levels, side, red flags, flags).
- A Condition's ``bodySite`` (a SNOMED CT body structure, or a region word as its text,
  with a laterality qualifier) and its symptoms (a SNOMED CT finding as its code or in
  its ``evidence``) give a complaint: where, which side, and what is felt.
- An Observation of pregnancy status (LOINC 82810-3) answered "pregnant" gives the
  pregnancy flag; so does a Condition coded as a pregnancy (through the code table).

Conditions that are refuted, entered in error, resolved, inactive or in remission are
left out. Every resource is validated first (:func:`~acupoints.fhir.resources.check_resource`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..base.errors import CaseError, LoadError, Problem
from ..base.vocab import REGIONS, SENSATIONS
from ..coding import SYSTEM_URIS, apply_diagnoses
from .resources import as_plain, check_resource
from .terms import (
    BODY_SITES,
    LATERALITY,
    LOINC,
    NOT_PREGNANT,
    PREGNANCY_STATUS,
    PREGNANT,
    SNOMED,
    SYMPTOMS,
)

__all__ = ["FhirCase", "case_from_fhir", "resources_of"]

_SYSTEM_OF_URI = {uri: system for system, uri in SYSTEM_URIS.items()}
_GONE_CLINICAL = {"inactive", "remission", "resolved"}
_GONE_VERIFICATION = {"refuted", "entered-in-error"}
_OBSERVATION_DONE = {"final", "amended", "corrected", "preliminary", "registered"}


@dataclass(frozen=True)
class FhirCase:
    """A case read from FHIR resources: the case mapping and what was noticed on the way."""

    case: dict[str, Any]
    warnings: tuple[Problem, ...]


def resources_of(items: Iterable[Any], where: str = "<fhir>") -> list[dict[str, Any]]:
    """Each resource validated and as plain data; a Bundle gives its entries' resources.

    ``None`` items (a CDS Hooks prefetch key the client had no data for) are skipped.
    Raises :class:`~acupoints.LoadError` listing every resource that does not validate.
    """
    out: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for i, item in enumerate(items):
        if item is None:
            continue
        label = f"{where}[{i}]"
        data = item if isinstance(item, Mapping) else as_plain(item)
        try:
            plain = as_plain(check_resource(data, label))
        except LoadError as exc:
            problems += exc.problems
            continue
        if plain["resourceType"] == "Bundle":
            out += [e["resource"] for e in plain.get("entry", ()) if "resource" in e]
        else:
            out.append(plain)
    if problems:
        raise LoadError(problems)
    return out


def _codes(concept: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """The (system URI, code) pairs of a CodeableConcept."""
    if not concept:
        return []
    return [(c.get("system", ""), c.get("code", "")) for c in concept.get("coding", ()) if c.get("code")]


def _status(concept: Mapping[str, Any] | None) -> set[str]:
    return {code for _, code in _codes(concept)}


def _where(resource: Mapping[str, Any]) -> tuple[list[str], str | None, list[str]]:
    """The regions and the side of a resource's bodySite, and the sites it could not read."""
    regions: list[str] = []
    side: str | None = None
    unread: list[str] = []
    for site in resource.get("bodySite", ()) or ():
        read = False
        for system, code in _codes(site):
            if system == SNOMED and code in BODY_SITES:
                regions.append(BODY_SITES[code])
                read = True
            elif system == SNOMED and code in LATERALITY:
                side = LATERALITY[code]
                read = True
        text = str(site.get("text", "")).strip().lower().replace(" ", "_")
        if not read and text in REGIONS:
            regions.append(text)
            read = True
        if not read:
            unread.append(site.get("text") or ", ".join(f"{s}|{c}" for s, c in _codes(site)) or "(empty)")
    return regions, side, unread


def _symptoms(resource: Mapping[str, Any]) -> list[str]:
    found = [SYMPTOMS[c] for s, c in _codes(resource.get("code")) if s == SNOMED and c in SYMPTOMS]
    for evidence in resource.get("evidence", ()) or ():
        for concept in evidence.get("code", ()) or ():
            found += [SYMPTOMS[c] for s, c in _codes(concept) if s == SNOMED and c in SYMPTOMS]
    return found


def _diagnosis(resource: Mapping[str, Any]) -> dict[str, str] | None:
    """The Condition's diagnosis code: its ICD-10-CM coding first, else a SNOMED CT one
    that is not a symptom (symptoms make complaints, not diagnoses)."""
    pairs = [(_SYSTEM_OF_URI[s], c) for s, c in _codes(resource.get("code")) if s in _SYSTEM_OF_URI]
    pairs = [(s, c) for s, c in pairs if not (s == "snomed" and c in SYMPTOMS)]
    pairs.sort(key=lambda p: p[0] != "icd10cm")
    return {"system": pairs[0][0], "code": pairs[0][1]} if pairs else None


def case_from_fhir(resources: Iterable[Any], case_id: str | None = None, where: str = "<fhir>") -> FhirCase:
    """A case (mapping) from FHIR resources: Patient, Condition, Observation, or Bundles of them.

    Raises :class:`~acupoints.LoadError` for a resource that does not validate, and
    :class:`~acupoints.CaseError` when no complaint can be read (a body site with a
    symptom) or a diagnosis code is unknown.
    """
    plain = resources_of(resources, where)
    warnings: list[Problem] = []

    def note(label: str, message: str) -> None:
        warnings.append(Problem(where, 1, 1, "fhir", f"{label}: {message}", "warning"))

    sensations: dict[tuple[str, str | None], list[str]] = {}
    diagnoses: list[dict[str, str]] = []
    flags: list[str] = []
    for resource in plain:
        kind = resource["resourceType"]
        label = f"{kind}/{resource.get('id', '?')}"
        if kind == "Patient":
            case_id = case_id or resource.get("id")
        elif kind == "Condition":
            if _status(resource.get("clinicalStatus")) & _GONE_CLINICAL or (
                _status(resource.get("verificationStatus")) & _GONE_VERIFICATION
            ):
                continue
            diagnosis = _diagnosis(resource)
            if diagnosis and diagnosis not in diagnoses:
                diagnoses.append(diagnosis)
            felt = _symptoms(resource)
            regions, side, unread = _where(resource)
            for text in unread:
                note(
                    label, f"body site {text!r} is not one this mapping reads; give a region word as its text"
                )
            if regions and not felt:
                note(
                    label, "a body site without a symptom makes no complaint; record the symptom as evidence"
                )
            if felt and not regions:
                note(label, "a symptom without a body site makes no complaint")
            for region in regions:
                sensations.setdefault((region, side), []).extend(felt)
        elif kind == "Observation":
            if resource.get("status") not in _OBSERVATION_DONE:
                continue
            if (LOINC, PREGNANCY_STATUS) in _codes(resource.get("code")):
                answer = {c for s, c in _codes(resource.get("valueCodeableConcept")) if s == SNOMED}
                if PREGNANT in answer and "pregnancy" not in flags:
                    flags.append("pregnancy")
                elif NOT_PREGNANT not in answer:
                    note(
                        label, "a pregnancy status this mapping cannot read; the case gets no pregnancy flag"
                    )
        else:
            note(label, f"a {kind} is not read")
    complaints = []
    for (region, side), felt in sensations.items():
        if felt:
            complaint: dict[str, Any] = {"region": region, "sensations": [s for s in SENSATIONS if s in felt]}
            if side:
                complaint["side"] = side
            complaints.append(complaint)
    if not complaints:
        raise CaseError(
            [Problem(where, 1, 1, "no-complaint",
                     "no complaint: no active Condition has both a body site and a symptom "
                     "(a SNOMED CT finding as its code or evidence)")]
        )  # fmt: skip
    case: dict[str, Any] = {"complaints": complaints}
    if case_id:
        case = {"id": str(case_id), **case}
    if diagnoses:
        case["diagnoses"] = diagnoses
    if flags:
        case["flags"] = flags
    filled, found = apply_diagnoses(case) if diagnoses else (case, ())
    return FhirCase(filled, tuple(warnings) + tuple(found))
