"""The agreement benchmark: the engine's points against published prescriptions.

One YAML file per publication in ``cases/`` (see ``README.md`` in this folder for the
format and the sources), a check half fixed once in ``split.yaml``, and recall and
precision within the top 8, 12 and 16 points for the engine and two baselines.
``python -m benchmarks --only agreement`` prints the tables.
"""

from __future__ import annotations

from .entries import CONDITIONS, AgreementDataError, Entry, load_entries
from .metrics import CUTS, Score, mean_scores, score
from .run import AgreementResult, run_agreement
from .table import agreement_lines

__all__ = [
    "CONDITIONS",
    "CUTS",
    "AgreementDataError",
    "AgreementResult",
    "Entry",
    "Score",
    "agreement_lines",
    "load_entries",
    "mean_scores",
    "run_agreement",
    "score",
]
