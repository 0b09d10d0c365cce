"""The plan's fields as labelled values a person reads, not keys and Python values.

A rule sets plan fields by key (``infrared: true``, ``needles: [6, 40]``); the JSON result
keeps them so. The views write them as a label and a value in words: ``Infrared during
retention: yes``, ``Needles: 6 to 40``, ``Scope: peripheral neuropathy``. Known keys have a
label and a unit here; any other key still reads well (its words, its value in words).

>>> for label, value in plan_values({"infrared": True, "needles": [6, 40], "scope": "peripheral_neuropathy",
...                                  "session_minutes": [15, 90], "adjuncts": ["cupping", "gua_sha"]}):
...     print(f"{label}: {value}")
Infrared during retention: yes
Needles: 6 to 40
Scope: peripheral neuropathy
Session length: 15 to 90 minutes
Adjuncts: cupping, gua sha
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["LABELS", "plan_value", "plan_values"]

#: Labels (and units) of the plan fields the shipped rules set; other keys get their words.
LABELS: Mapping[str, tuple[str, str]] = {
    "scope": ("Scope", ""),
    "retention_minutes": ("Needle retention", "minutes"),
    "infrared": ("Infrared during retention", ""),
    "session_minutes": ("Session length", "minutes"),
    "needles": ("Needles", ""),
    "max_points": ("Points at most", ""),
    "max_points_cap": ("Points capped at", ""),
    "frequency": ("How often", ""),
    "review_after_sessions": ("Review after", "sessions"),
    "technique": ("Technique", ""),
    "electroacupuncture": ("Electroacupuncture", ""),
    "adjuncts": ("Adjuncts", ""),
    "trigger_point_therapy": ("Trigger point therapy", ""),
    "if_worse": ("If it gets worse", ""),
    "intake": ("Ask at intake about", ""),
    "prognosis_factors": ("Relief depends on", ""),
    "compression_outcome": ("Outcome for a compression", ""),
}

#: Units a key's last word stands for, for keys not in :data:`LABELS`.
_UNITS = {"minutes": "minutes", "sessions": "sessions", "days": "days", "weeks": "weeks", "hours": "hours"}


def _words(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("_", " ")


def plan_value(key: str, value: Any) -> tuple[str, str]:
    """The label and the value in words of one plan field.

    Two numbers are a range (``6 to 40``); a list is its items in words; a unit follows
    a number or a range.

    >>> plan_value("retention_minutes", 30), plan_value("electroacupuncture", False)
    (('Needle retention', '30 minutes'), ('Electroacupuncture', 'no'))
    >>> plan_value("rest_days", [2, 3])
    ('Rest', '2 to 3 days')
    """
    label, unit = LABELS.get(key, ("", ""))
    if not label:
        words = key.split("_")
        if len(words) > 1 and words[-1] in _UNITS:
            unit, words = _UNITS[words[-1]], words[:-1]
        label = " ".join(words).capitalize()
    numbers = isinstance(value, (list, tuple)) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
    )
    if isinstance(value, (list, tuple)):
        text = (
            f"{_words(value[0])} to {_words(value[1])}"
            if numbers and len(value) == 2
            else ", ".join(_words(v) for v in value)
        )
    else:
        text = _words(value)
    counted = numbers or (isinstance(value, (int, float)) and not isinstance(value, bool))
    return label, f"{text} {unit}" if unit and counted else text


def plan_values(plan: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every plan field as (label, value in words), in the plan's order."""
    return [plan_value(k, v) for k, v in plan.items()]
