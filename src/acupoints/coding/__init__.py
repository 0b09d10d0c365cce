"""Diagnosis codes in a case: ICD-10-CM and SNOMED CT codes, and what each says.

The table is data (``acupoints/data/diagnoses.yaml``, cited); :func:`apply_diagnoses`
fills a case mapping in from its ``diagnoses`` before the case model validates it.
This layer sits beside the case model and imports only the vocabulary and the loaders.
"""

from __future__ import annotations

from .apply import Diagnosis, apply_diagnoses, read_diagnoses
from .codes import SYSTEM_URIS, SYSTEMS, is_well_formed, normalize
from .table import CodeEntry, Combination, DiagnosisTable, Facts, read_table

__all__ = [
    "SYSTEMS",
    "SYSTEM_URIS",
    "CodeEntry",
    "Combination",
    "Diagnosis",
    "DiagnosisTable",
    "Facts",
    "apply_diagnoses",
    "is_well_formed",
    "normalize",
    "read_diagnoses",
    "read_table",
]
