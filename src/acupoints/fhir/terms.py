"""The codes the FHIR mapping reads and writes, each checked against a published source.

SNOMED CT body structures (for ``bodySite``), laterality qualifiers, symptom findings
(for a Condition's code or evidence), the LOINC pregnancy-status observation, and the
SNOMED CT procedure written into orders. Every SNOMED CT identifier here passes its
Verhoeff check digit (a test checks it); a body site the table lacks may still be given
by its text, as a region word of the case vocabulary.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = [
    "ACUPUNCTURE",
    "BODY_SITES",
    "CONDITION_CLINICAL",
    "CONDITION_VERIFICATION",
    "LATERALITY",
    "LOINC",
    "NOT_PREGNANT",
    "PREGNANCY_STATUS",
    "PREGNANT",
    "SNOMED",
    "SYMPTOMS",
]

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"

#: SNOMED CT 44868003 |Acupuncture (procedure)|, the code an order for the points carries.
ACUPUNCTURE: tuple[str, str] = ("44868003", "Acupuncture")

#: Body structures -> the case's region word. Identifiers and names as SNOMED CT's
#: fully specified names give them (the "... structure (body structure)" concepts).
BODY_SITES: MappingProxyType[str, str] = MappingProxyType({
    "89545001": "face",       # Face structure
    "45048000": "neck",       # Neck structure
    "16982005": "shoulder",   # Shoulder region structure
    "40983000": "upper_arm",  # Upper arm structure
    "127949000": "elbow",     # Elbow region structure
    "14975008": "forearm",    # Forearm structure
    "8205005": "wrist",       # Wrist region structure
    "85562004": "hand",       # Hand structure
    "7569003": "fingers",     # Finger structure
    "37822005": "lower_back", # Lower back structure
    "29836001": "hip",        # Hip region structure
    "68367000": "thigh",      # Thigh structure
    "72696002": "knee",       # Knee region structure
    "30021000": "leg",        # Lower leg structure
    "344001": "ankle",        # Ankle region structure
    "56459004": "foot",       # Foot structure
    "29707007": "toes",       # Toe structure
})  # fmt: skip

#: SNOMED CT laterality qualifier values -> the case's side word.
LATERALITY: MappingProxyType[str, str] = MappingProxyType({
    "7771000": "left",     # Left (qualifier value)
    "24028007": "right",   # Right (qualifier value)
    "51440002": "both",    # Right and left (qualifier value)
})  # fmt: skip

#: SNOMED CT findings -> the case's sensation word.
SYMPTOMS: MappingProxyType[str, str] = MappingProxyType({
    "22253000": "pain",       # Pain (finding)
    "44077006": "numbness",   # Numbness (finding)
    "62507009": "tingling",   # Pins and needles (finding)
    "90673000": "burning",    # Burning sensation (finding)
    "26544005": "weakness",   # Muscle weakness (finding)
})  # fmt: skip

#: LOINC 82810-3 "Pregnancy status", and its answers in SNOMED CT.
PREGNANCY_STATUS = "82810-3"
PREGNANT = "77386006"  # Pregnancy (finding)
NOT_PREGNANT = "60001007"  # Not pregnant (finding)
