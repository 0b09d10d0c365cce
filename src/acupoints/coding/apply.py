"""Fill a case in from its diagnosis codes: what each code says, where the case is silent.

A case (as a mapping, before validation) may carry ``diagnoses: [{system, code}]``.
:func:`apply_diagnoses` reads them against the table (:mod:`acupoints.coding.table`)
and returns the case with the facts the codes state filled in, and the warnings:

- the cause (kind, nerve, levels) when the case gives none, or the nerve and levels
  when its cause lacks them; the case's own words always win, and a disagreement is a
  warning;
- the side of each complaint in the code's limb that states no side (G56.01 is the
  right arm);
- red flags and flags, added to the case's own (a flag is never taken away).

An unknown code is an error naming the closest codes of the table; a known code that
the rules are not written for, or a well-formed code outside the table, is a warning
and gives nothing. Codes that disagree (two causes) give nothing on that point, with a
warning: the table never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ..base.diagnosis import Diagnosis
from ..base.errors import CaseError, Problem
from ..base.vocab import LEVELS, LOWER_LIMB, UPPER_LIMB, level_index
from ..io.problems import problems_from
from ..io.yaml import Document
from .codes import SYSTEM_NAMES, is_well_formed, normalize
from .table import CodeEntry, DiagnosisTable, Facts

__all__ = ["Diagnosis", "apply_diagnoses", "read_diagnoses"]

_LIMB_REGIONS = {"arm": UPPER_LIMB, "leg": LOWER_LIMB}


class _Diagnoses(BaseModel):
    """The ``diagnoses`` field of a case, validated on its own (the rest is the case's)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    diagnoses: tuple[Diagnosis, ...] = ()


def read_diagnoses(
    case: Mapping[str, Any], doc: Document | None = None, table: DiagnosisTable | None = None
) -> tuple[list[tuple[str, Facts]], list[Problem]]:
    """What each diagnosis of ``case`` says, as ``(label, facts)``, and the warnings.

    ``label`` names where a fact came from (``"G56.01"`` or ``"G62.0 + T45.1X5A"``).
    Raises :class:`~acupoints.CaseError` for a malformed field or an unknown code.
    """
    table = table or DiagnosisTable.default()
    doc = doc if doc is not None else Document(dict(case), "<case>")
    try:
        items = _Diagnoses.model_validate(case).diagnoses
    except ValidationError as exc:
        raise CaseError(problems_from(exc, doc, model=_Diagnoses)) from None

    errors: list[Problem] = []
    warnings: list[Problem] = []

    def problem(i: int, code: str, message: str, severity: str = "error") -> Problem:
        line, column = doc.where(("diagnoses", i, "code"))
        return Problem(doc.path, line, column, code, f"diagnoses[{i}].code: {message}", severity)

    found: list[tuple[int, CodeEntry]] = []
    for i, item in enumerate(items):
        code = normalize(item.system, item.code)
        name = SYSTEM_NAMES[item.system]
        entry = table.get(item.system, code)
        if entry is not None:
            found.append((i, entry))
        elif not is_well_formed(item.system, code) or table.claims(item.system, code):
            near = table.closest(item.system, code)
            hint = f" (did you mean {', '.join(repr(c) for c in near)}?)" if near else ""
            errors.append(problem(i, "unknown-code", f"unknown {name} code {item.code!r}{hint}"))
        else:
            warnings.append(
                problem(i, "uncovered-code",
                        f"{name} {code} is not a condition this table covers; nothing was taken from it",
                        "warning")
            )  # fmt: skip
    if errors:
        raise CaseError(errors)

    said: list[tuple[str, Facts]] = [(e.code, e.facts) for _, e in found if e.covered]
    present = {e.code for _, e in found}
    used: set[str] = set()
    for combo in table.combinations:
        picks = [next((c for c in group if c in present), None) for group in combo.groups]
        if all(p is not None for p in picks):
            members = [p for p in picks if p is not None]
            said.append((" + ".join(members), combo.facts))
            used.update(members)
    for i, entry in found:
        if not entry.covered and entry.code not in used:
            name = SYSTEM_NAMES[entry.system]
            warnings.append(
                problem(i, "not-covered",
                        f"{name} {entry.code} ({entry.title}) is known but says nothing the rules use: "
                        f"{entry.reason}", "warning")
            )  # fmt: skip
    return said, warnings


def apply_diagnoses(
    case: Mapping[str, Any], doc: Document | None = None, table: DiagnosisTable | None = None
) -> tuple[dict[str, Any], tuple[Problem, ...]]:
    """The case with what its diagnosis codes say filled in, and the warnings.

    ``doc`` (the case's :class:`~acupoints.io.yaml.Document`) places the problems at
    their line and column; without it they name ``<case>``. The ``diagnoses`` field is
    kept, each code written the standard way.

    >>> case = {"complaints": [{"region": "wrist", "sensations": ["numbness"]}],
    ...         "diagnoses": [{"system": "icd10cm", "code": "G56.01"}]}
    >>> filled, warnings = apply_diagnoses(case)
    >>> filled["cause"], filled["complaints"][0]["side"], warnings
    ({'kind': 'entrapment', 'nerve': 'median'}, 'right', ())
    """
    if not case.get("diagnoses"):
        return dict(case), ()
    doc = doc if doc is not None else Document(dict(case), "<case>")
    said, warnings = read_diagnoses(case, doc, table)
    table = table or DiagnosisTable.default()
    out: dict[str, Any] = dict(case)
    out["diagnoses"] = [
        {"system": d["system"], "code": normalize(d["system"], d["code"])} for d in case["diagnoses"]
    ]

    def warn(message: str, loc: tuple[Any, ...] = ("diagnoses",)) -> None:
        line, column = doc.where(loc)
        warnings.append(Problem(doc.path, line, column, "diagnosis-conflict", message, "warning"))

    _fill_cause(out, said, table, warn)
    _fill_words(out, said)
    _fill_sides(out, said, warn)
    return out, tuple(warnings)


def _named(said: list[tuple[str, Facts]], field: str) -> dict[str, list[str]]:
    """Each value of one fact, with the codes that say it (in the order of the case)."""
    by_value: dict[str, list[str]] = {}
    for label, facts in said:
        value = getattr(facts, field)
        if value:
            by_value.setdefault(value, []).append(label)
    return by_value


def _show(by_value: dict[str, list[str]]) -> str:
    return ", ".join(f"{value} ({' and '.join(labels)})" for value, labels in by_value.items())


def _fill_cause(out: dict[str, Any], said: list[tuple[str, Facts]], table: DiagnosisTable, warn: Any) -> None:
    kinds, nerves = _named(said, "cause"), _named(said, "nerve")
    levels = sorted({lv for _, f in said for lv in f.levels}, key=level_index)
    given = out.get("cause")
    if isinstance(given, Mapping):
        cause = dict(given)
        kind = cause.get("kind")
        if kind is None and len(kinds) == 1:
            cause["kind"] = next(iter(kinds))  # the case names a nerve or levels, not the kind
        elif kinds and kind not in kinds:
            warn(f"the case's cause {kind!r} is kept; the diagnoses say {_show(kinds)}", ("cause",))
    elif given is None:
        if len(kinds) > 1:
            warn(f"the diagnoses name more than one cause: {_show(kinds)}; state the cause in the case")
            return
        if not (kinds or nerves or levels):
            return
        # A cause needs a kind; codes that name only a nerve or a level say no kind.
        cause = {"kind": next(iter(kinds), "unknown")}
    else:
        return  # not a mapping: the case model reports it
    if "nerve" not in cause and nerves:
        if len(nerves) == 1:
            cause["nerve"] = next(iter(nerves))
        else:
            warn(f"the diagnoses name more than one nerve: {_show(nerves)}; state the nerve in the case")
    if "levels" not in cause and levels:
        cause["levels"] = levels
    _check_spine(cause, said, table, warn)
    out["cause"] = cause


def _check_spine(
    cause: dict[str, Any], said: list[tuple[str, Facts]], table: DiagnosisTable, warn: Any
) -> None:
    """Warn when the case's levels lie outside every region of the spine its codes name."""
    regions = _named(said, "spine")
    stated = [lv for lv in cause.get("levels") or () if lv in LEVELS]
    if not regions or not stated:
        return
    allowed = {lv for region in regions for lv in table.levels_in(region)}
    outside = [lv for lv in stated if lv not in allowed]
    if outside:
        warn(f"the levels {', '.join(outside)} lie outside the spinal region the diagnoses name: {_show(regions)}",
             ("cause", "levels"))  # fmt: skip


def _fill_words(out: dict[str, Any], said: list[tuple[str, Facts]]) -> None:
    """Add the red flags and flags the codes state to the case's own (never remove one)."""
    red = list(out.get("red_flags") or ())
    for _, facts in said:
        red += [w for w in facts.red_flags if w not in red]
    if red:
        out["red_flags"] = red
    flags = list(out.get("flags") or ())
    names = {f if isinstance(f, str) else f.get("flag") for f in flags if isinstance(f, (str, Mapping))}
    for _, facts in said:
        for word in facts.flags:
            if word not in names:
                flags.append(word)
                names.add(word)
    if flags:
        out["flags"] = flags


def _fill_sides(out: dict[str, Any], said: list[tuple[str, Facts]], warn: Any) -> None:
    """Give each complaint in a code's limb that states no side the side the codes say."""
    sides: dict[str, set[str]] = {}
    for _, facts in said:
        if facts.limb and facts.side:
            sides.setdefault(facts.limb, set()).add(facts.side)
    complaints = out.get("complaints")
    if not sides or not isinstance(complaints, list):
        return
    filled = []
    for complaint in complaints:
        if isinstance(complaint, Mapping) and "side" not in complaint:
            limb = next(
                (lb for lb, regions in _LIMB_REGIONS.items() if complaint.get("region") in regions), None
            )
            told = sides.get(limb or "", set())
            if len(told) == 1:
                complaint = {**complaint, "side": next(iter(told))}
            elif told:
                told_sides = ", ".join(sorted(told))
                warn(
                    f"the diagnoses give the {limb} more than one side ({told_sides}); the complaint keeps 'both'"
                )
        filled.append(complaint)
    out["complaints"] = filled
