"""acupoints: acupuncture point sets for nerve pain, from declarative, cited rules.

>>> import acupoints
>>> s = acupoints.suggest({"complaints": [{"region": "foot", "aspect": "plantar", "sensations": ["numbness"]}]})
>>> s.status, "SP6" in s.codes
('suggested', True)

Nothing is loaded at import: the catalogue and the rules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Where each public name lives; imported on first use, so ``import acupoints`` stays
#: cheap for command lines and workers that only need part of the library.
_LAZY: dict[str, str] = {
    "Case": "._case", "Cause": "._case", "Complaint": "._case", "FlagItem": "._case",
    "Catalog": "._catalog",
    "Engine": "._engine", "suggest": "._engine",
    "AcupointsError": "._errors", "CaseError": "._errors", "LoadError": "._errors", "Problem": "._errors",
    "RuleError": "._errors", "UnknownPointError": "._errors", "UnknownWordError": "._errors",
    "Explanation": "._explain",
    "MeridianGraph": "._graph",
    "Caution": "._point", "Instance": "._point", "Meridian": "._point", "Point": "._point",
    "RuleBook": "._rulebook", "load_rulebook": "._rulebook",
    "Advice": "._suggestion", "Conflict": "._suggestion", "ExcludedPoint": "._suggestion",
    "Referral": "._suggestion", "SuggestedPoint": "._suggestion", "Suggestion": "._suggestion",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'acupoints' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
