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
    from .base.errors import (
        AcupointsError,
        CaseError,
        LoadError,
        Problem,
        RuleError,
        UnknownPointError,
        UnknownWordError,
    )
    from .case.model import Case, Cause, Complaint, FlagItem
    from .catalog.catalog import Catalog
    from .catalog.categories import Category
    from .catalog.graph import MeridianGraph
    from .catalog.knowledge import Knowledge
    from .catalog.records import Caution, Instance, Meridian, Point
    from .engine.engine import Engine, suggest
    from .engine.explain import Explanation
    from .engine.result import Advice, Conflict, ExcludedPoint, Referral, SuggestedPoint, Suggestion
    from .rulebook.book import RuleBook, load_rulebook, shipped_rules

#: Where each public name lives; imported on first use, so ``import acupoints`` stays
#: cheap for command lines and workers that only need part of the library.
_LAZY: dict[str, str] = {
    "Case": ".case.model", "Cause": ".case.model", "Complaint": ".case.model", "FlagItem": ".case.model",
    "Catalog": ".catalog.catalog",
    "Engine": ".engine.engine", "suggest": ".engine.engine",
    "AcupointsError": ".base.errors", "CaseError": ".base.errors", "LoadError": ".base.errors", "Problem": ".base.errors",
    "RuleError": ".base.errors", "UnknownPointError": ".base.errors", "UnknownWordError": ".base.errors",
    "Explanation": ".engine.explain",
    "MeridianGraph": ".catalog.graph", "Knowledge": ".catalog.knowledge", "Category": ".catalog.categories",
    "Caution": ".catalog.records", "Instance": ".catalog.records", "Meridian": ".catalog.records", "Point": ".catalog.records",
    "RuleBook": ".rulebook.book", "load_rulebook": ".rulebook.book", "shipped_rules": ".rulebook.book",
    "Advice": ".engine.result", "Conflict": ".engine.result", "ExcludedPoint": ".engine.result",
    "Referral": ".engine.result", "SuggestedPoint": ".engine.result", "Suggestion": ".engine.result",
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
    "Category",
    "Cause",
    "Caution",
    "Complaint",
    "Conflict",
    "Engine",
    "ExcludedPoint",
    "Explanation",
    "FlagItem",
    "Instance",
    "Knowledge",
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
    "shipped_rules",
    "suggest",
]
