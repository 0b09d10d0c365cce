"""The shape of a diagnosis code: ICD-10-CM and SNOMED CT codes, written the standard way.

Whether a code exists is the table's question (:mod:`acupoints.coding.table`); this
module only says whether a string can be a code of its system at all, and writes it
the one way the table does (``g5601`` and ``G56.01`` are the same ICD-10-CM code).
"""

from __future__ import annotations

import re

from ..base.vocab import CODE_SYSTEMS

__all__ = ["SYSTEMS", "SYSTEM_NAMES", "SYSTEM_URIS", "is_well_formed", "normalize", "verhoeff_ok"]

#: The code systems a diagnosis may name, as the case writes them (the vocabulary's).
SYSTEMS: tuple[str, ...] = CODE_SYSTEMS
SYSTEM_NAMES: dict[str, str] = {"icd10cm": "ICD-10-CM", "snomed": "SNOMED CT"}
#: The FHIR system URI of each (the ones HL7 publishes for these code systems).
SYSTEM_URIS: dict[str, str] = {
    "icd10cm": "http://hl7.org/fhir/sid/icd-10-cm",
    "snomed": "http://snomed.info/sct",
}

# A letter, a digit, a digit or letter; then up to four characters after the dot
# (ICD-10-CM uses X as a placeholder, as in T45.1X5A).
_ICD = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
# SNOMED CT identifiers: 6 to 18 digits, no leading zero.
_SCTID = re.compile(r"^[1-9][0-9]{5,17}$")

# The dihedral-group tables of Verhoeff's check digit, which SNOMED CT identifiers end in.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)  # fmt: skip
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)  # fmt: skip


def verhoeff_ok(digits: str) -> bool:
    """Whether the last digit of ``digits`` is the Verhoeff check digit of the others.

    >>> verhoeff_ok("57406009"), verhoeff_ok("57406008")
    (True, False)
    """
    check = 0
    for i, ch in enumerate(reversed(digits)):
        check = _D[check][_P[i % 8][int(ch)]]
    return check == 0


def normalize(system: str, code: str) -> str:
    """The code as the table writes it: ICD-10-CM upper case with its dot, SNOMED as digits.

    >>> normalize("icd10cm", " g5601 "), normalize("icd10cm", "m50.121"), normalize("snomed", " 57406009")
    ('G56.01', 'M50.121', '57406009')
    """
    code = str(code).strip()
    if system == "icd10cm":
        code = code.upper().replace(" ", "")
        if "." not in code and len(code) > 3:
            code = f"{code[:3]}.{code[3:]}"
    return code


def is_well_formed(system: str, code: str) -> bool:
    """Whether ``code`` (normalised) can be a code of ``system`` at all.

    A SNOMED CT identifier must also pass its check digit and name a concept (its
    partition digits are 00 or, in an extension, 10), not a description or a relationship.

    >>> is_well_formed("icd10cm", "T45.1X5A"), is_well_formed("icd10cm", "G5"), is_well_formed("snomed", "57406009")
    (True, False, True)
    """
    if system == "icd10cm":
        return bool(_ICD.match(code))
    if system == "snomed":
        return bool(_SCTID.match(code)) and code[-3:-1] in ("00", "10") and verhoeff_ok(code)
    return False
