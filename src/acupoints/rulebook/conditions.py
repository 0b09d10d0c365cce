"""Conditions compiled to plain functions over a prepared case, with a readable trace.

A compiled condition takes a :class:`CaseView` and returns ``(holds, matched)``, where
``matched`` is the set of complaint indices that made complaint tests true (the
"affected" complaints the actions use).

The functions here read a condition through the registry of condition kinds
(:mod:`acupoints.rulebook.registry`): each is one loop of
:class:`~acupoints.rulebook.language.ConditionLanguage` over the kinds the condition uses.
"""

from __future__ import annotations

from .kinds.base import ConditionModel
from .kinds.complaint import compile_complaint_test
from .language import as_matched
from .registry import CONDITIONS
from .view import NO_DIGITS, NO_WORDS, NONE, CaseView, Facts, Feature, Matched, Test, limb_of, selectivity

__all__ = [
    "NONE",
    "NO_DIGITS",
    "NO_WORDS",
    "CaseView",
    "Facts",
    "Feature",
    "Matched",
    "Test",
    "as_matched",
    "compile_complaint_test",
    "compile_condition",
    "describe",
    "index_decides",
    "interpret_condition",
    "limb_of",
    "selectivity",
    "trace",
    "trigger_options",
]


def interpret_condition(cond: ConditionModel) -> Test:
    """The reference meaning of a condition, as nested closures (slow, plainly correct).

    The engine runs :func:`compile_condition`, which must agree with this on every case
    (a property test checks it); "why not" traces and very deep conditions use this one.
    The cheap tests of the case as a whole (cause, flags, levels) run first, so that most
    rules are settled before any complaint is looked at.
    """
    return CONDITIONS.interpret(cond)


def compile_condition(cond: ConditionModel) -> Test:
    """Turn a condition into one generated function; the keys of one mapping are joined by AND.

    The cheap tests of the case as a whole (cause, flags, levels) come first and end the
    test as soon as one fails, so most rules are settled before any complaint is looked at.
    Complaint tests loop over the complaints once and keep the matched ones as a bit mask.
    The result is the same as :func:`interpret_condition`'s, without a call per test.
    """
    return CONDITIONS.compile(cond)


def trigger_options(cond: ConditionModel) -> list[frozenset[Feature]]:
    """What ``cond`` needs of a case: a list of feature sets, each needing one of its features.

    Every set must be met (they come from conditions joined by AND), most selective first;
    an empty list means "cannot tell", and the rule is tried on every case. The rule book
    indexes rules by these, so that a larger rulebook costs little more per case.
    """
    return CONDITIONS.options(cond)


def index_decides(cond: ConditionModel) -> bool:
    """True when the rule index alone settles ``cond``: it holds on exactly the cases whose
    features meet every need of :func:`trigger_options`, and it matches no complaint.

    So are ``always``, the tests of the cause, nerve, levels, flags, onset, tenderness and
    tender points, ``not`` of the cause, onset or tenderness (every case has one of these,
    or none given), and ``all`` and ``any`` of such conditions (each branch of an ``any``
    one need, so that their union is the ``any``'s need). Complaint tests match
    complaints, and other ``not`` conditions, ages and counts are not features: rules with
    them are tested on every case the index lets through.
    A kind is never taken as settled unless it says so (see ``ConditionKind.decided``).
    """
    return CONDITIONS.decides(cond)


def describe(cond: ConditionModel) -> str:
    """The condition in one line, e.g. ``complaint(region in [forearm]) and cause in [diabetes]``."""
    return CONDITIONS.describe(cond)


def trace(cond: ConditionModel, view: CaseView, indent: int = 0) -> list[str]:
    """Every part of the condition with whether it held for this case (for "why not")."""
    return CONDITIONS.trace(cond, view, indent)
