"""``onset: [sudden, days]``: the case says its symptoms began in one of these ways.

A case that does not say how its symptoms began has no onset, so the test is false for
it; a safety rule that must also hold then writes ``not: {onset: [weeks_or_longer]}``.
"""

from __future__ import annotations

from ...base import words
from ...base.vocab import ONSETS
from .words import CaseWord

__all__ = ["Onset"]


class Onset(CaseWord):
    """``onset: [...]``: how the symptoms began is one of these."""

    key, reads, feature = "onset", "case.onset", "onset"
    every_case = ONSETS
    schema = tuple[words.Onset, ...]
