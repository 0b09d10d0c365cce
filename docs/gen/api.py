"""``api.md``: the mkdocstrings directives for every public name in ``acupoints.__all__``."""

from __future__ import annotations

import acupoints

from .pages import Pages

__all__ = ["API_GROUPS", "generate"]

#: The sections of the API page; a public name missing here lands under "Other".
API_GROUPS: dict[str, tuple[str, ...]] = {
    "Suggesting points": ("suggest", "Engine", "Suggestion", "SuggestedPoint", "ExcludedPoint"),
    "Plan, advice and referral": ("Advice", "Conflict", "Referral"),
    "Why and why not": ("Explanation",),
    "Cases": ("Case", "Complaint", "Cause", "FlagItem"),
    "The catalogue and the graph": ("Catalog", "Point", "Instance", "Meridian", "Caution", "MeridianGraph"),
    "Point categories and nerve roots": ("Knowledge", "Category"),
    "Rules": ("RuleBook", "load_rulebook", "shipped_rules"),
    "Errors": (
        "AcupointsError",
        "LoadError",
        "CaseError",
        "RuleError",
        "UnknownPointError",
        "UnknownWordError",
        "Problem",
    ),
}


def generate(pages: Pages) -> None:
    names = [n for n in acupoints.__all__ if n != "__version__"]
    listed = [n for group in API_GROUPS.values() for n in group]
    unknown = sorted(set(listed) - set(names))
    if unknown:
        raise ValueError(f"API_GROUPS names what acupoints.__all__ does not export: {', '.join(unknown)}")
    groups = dict(API_GROUPS)
    others = tuple(n for n in names if n not in listed)
    if others:
        groups["Other"] = others
    lines = [
        "# Python API",
        "",
        "Every public name of the package, from its docstring. Import them from `acupoints` "
        f"itself: the modules behind them are private. This is version `{acupoints.__version__}` "
        "(`acupoints.__version__`).",
        "",
    ]
    for title, group in groups.items():
        lines += [f"## {title}", ""]
        for name in group:
            lines += [f"::: acupoints.{name}", ""]
    pages.add("api.md", "\n".join(lines))
