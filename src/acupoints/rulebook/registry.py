"""The registry of condition kinds: every key a rule's ``when`` may use, and its class.

To add a kind, write its class (see ``docs/add-a-condition-kind.md``) and add one line
below. Nothing else names kinds: the schema, the interpreter, the code generator, the
descriptions and the rule index all loop over this registry.

The order is the order of the fields in the rule files' JSON schema. The order in which
a condition's keys run comes from each kind's ``cost``, and the order of its description
from each kind's ``phrase``; within each, kinds keep this order.
"""

from __future__ import annotations

from typing import Any

from .kinds.age import Age
from .kinds.always import Always
from .kinds.base import ConditionKind
from .kinds.both_sides import BothSides
from .kinds.combinators import AllOf, AnyOf, Not
from .kinds.complaint import Complaint
from .kinds.has_tender_points import HasTenderPoints
from .kinds.level_between import LevelBetween
from .kinds.min_complaints import MinComplaints
from .kinds.onset import Onset
from .kinds.regions_count import RegionsCount
from .kinds.words import Cause, Flag, Levels, Nerve, RedFlag, Tenderness
from .language import ConditionLanguage

__all__ = ["CONDITIONS", "KINDS", "Condition"]

#: Every condition kind, by its key in a rule file.
KINDS: dict[str, type[ConditionKind[Any]]] = {
    "all": AllOf,
    "any": AnyOf,
    "not": Not,
    "always": Always,
    "complaint": Complaint,
    "cause": Cause,
    "nerve": Nerve,
    "levels": Levels,
    "level_between": LevelBetween,
    "tenderness": Tenderness,
    "has_tender_points": HasTenderPoints,
    "flag": Flag,
    "red_flag": RedFlag,
    "min_complaints": MinComplaints,
    "regions_count": RegionsCount,
    "both_sides": BothSides,
    "age": Age,
    "onset": Onset,
}

#: The language of the shipped kinds: every reading of a condition.
CONDITIONS = ConditionLanguage(KINDS, module=__name__)

#: The pydantic model of a condition (a rule's ``when``), one field per kind.
Condition = CONDITIONS.model
