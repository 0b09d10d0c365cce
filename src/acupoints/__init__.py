"""acupoints: acupuncture point sets for nerve pain, from declarative, cited rules.

>>> import acupoints
>>> s = acupoints.suggest({"complaints": [{"region": "foot", "aspect": "plantar", "sensations": ["numbness"]}]})
>>> s.status, "SP6" in s.codes
('suggested', True)

Nothing is loaded at import: the catalogue and the rules load on first use.
"""

from __future__ import annotations

from ._case import Case, Cause, Complaint, FlagItem
from ._catalog import Catalog
from ._engine import Engine, suggest
from ._errors import (
    AcupointsError,
    CaseError,
    LoadError,
    Problem,
    RuleError,
    UnknownPointError,
    UnknownWordError,
)
from ._explain import Explanation
from ._graph import MeridianGraph
from ._point import Caution, Instance, Meridian, Point
from ._rulebook import RuleBook, load_rulebook
from ._suggestion import Advice, Conflict, ExcludedPoint, Referral, SuggestedPoint, Suggestion

__version__ = "0.1.0"

__all__ = [
    "AcupointsError",
    "Advice",
    "Case",
    "CaseError",
    "Catalog",
    "Cause",
    "Caution",
    "Complaint",
    "Conflict",
    "Engine",
    "ExcludedPoint",
    "Explanation",
    "FlagItem",
    "Instance",
    "LoadError",
    "Meridian",
    "MeridianGraph",
    "Point",
    "Problem",
    "Referral",
    "RuleBook",
    "RuleError",
    "SuggestedPoint",
    "Suggestion",
    "UnknownPointError",
    "UnknownWordError",
    "__version__",
    "load_rulebook",
    "suggest",
]
