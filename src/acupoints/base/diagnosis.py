"""A diagnosis as a case writes it: a code and the system it belongs to.

Both the case model (its ``diagnoses`` field) and the code table of
:mod:`acupoints.coding` (which reads what each code says) validate it, so it sits at the
bottom layer, beside the words.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from .words import CodeSystem

__all__ = ["Diagnosis"]


class Diagnosis(BaseModel):
    """One diagnosis of a case: a code and the system it belongs to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    system: CodeSystem
    code: Annotated[str, Field(min_length=1, max_length=32)]
