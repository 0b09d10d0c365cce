"""The diagnosis-code table (``data/diagnoses.yaml``): its schema, its records, its reader.

Each code of the table is one frozen :class:`CodeEntry` holding everything it says (the
condition's facts merged with the code's own side, levels or spinal region), or, for a
code the rules are not written for, the reason it says nothing. The reader checks the
file against the case vocabulary and against itself (unique codes, known sources,
combinations of known codes, codes inside the prefixes the table claims to list in full).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..base.errors import Problem
from ..base.vocab import LEVELS, level_index
from ..base.words import CauseKind, Flag, Level, Limb, Nerve, RedFlag, Side
from ..io.problems import problems_from
from ..io.resources import data_root
from ..io.yaml import Document, load_file
from .codes import SYSTEM_NAMES, is_well_formed, normalize

__all__ = ["CodeEntry", "Combination", "DiagnosisTable", "Facts", "read_table"]

Text = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FactsData(_Model):
    cause: CauseKind | None = None
    nerve: Nerve | None = None
    levels: tuple[Level, ...] = ()
    limb: Limb | None = None
    side: Side | None = None
    spine: Text | None = None
    red_flags: tuple[RedFlag, ...] = ()
    flags: tuple[Flag, ...] = ()


class CodeData(FactsData):
    icd10cm: Text | None = None
    snomed: Text | None = None
    title: Text


class ConditionData(_Model):
    id: Text
    summary: Text
    sources: tuple[Text, ...]
    says: FactsData
    note: Text
    codes: tuple[CodeData, ...]


class NotCoveredData(_Model):
    id: Text
    summary: Text
    reason: Text
    codes: tuple[CodeData, ...]


class CombinationData(_Model):
    id: Text
    summary: Text
    sources: tuple[Text, ...]
    all: tuple[tuple[Text, ...], ...] = Field(min_length=2)
    says: FactsData


class TableFile(_Model):
    kind: Annotated[str, Field(pattern="^diagnoses$")]
    release: Text
    sources: dict[str, Text]
    spinal_regions: dict[str, tuple[Level, Level]]
    complete: tuple[Text, ...]
    combinations: tuple[CombinationData, ...] = ()
    conditions: tuple[ConditionData, ...]
    not_covered: tuple[NotCoveredData, ...] = ()


@dataclass(frozen=True)
class Facts:
    """What a code (or a combination of codes) says about a case; empty fields say nothing."""

    cause: str | None = None
    nerve: str | None = None
    levels: tuple[str, ...] = ()
    limb: str | None = None
    side: str | None = None
    spine: str | None = None
    red_flags: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeEntry:
    """One code of the table: its title, its condition, and what it says.

    ``covered`` is False for a code the rules are not written for; ``reason`` then says
    why it says nothing (or which code it needs beside it).
    """

    system: str
    code: str
    title: str
    condition: str
    summary: str
    covered: bool
    facts: Facts
    sources: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Combination:
    """Codes that together say what none says alone: one of each group of ``groups``."""

    id: str
    summary: str
    groups: tuple[tuple[str, ...], ...]
    facts: Facts
    sources: tuple[str, ...]


def _facts(says: FactsData, own: FactsData | None = None) -> Facts:
    """A condition's facts with a code's own facts on top (a code's side wins)."""
    fields: dict[str, Any] = {}
    for name in FactsData.model_fields:
        value = getattr(own, name) if own is not None else None
        if value in (None, ()):
            value = getattr(says, name)
        fields[name] = value
    return Facts(**fields)


class DiagnosisTable:
    """The codes, their facts, and the questions asked of them (see the module docstring)."""

    def __init__(
        self,
        entries: dict[tuple[str, str], CodeEntry],
        combinations: tuple[Combination, ...],
        complete: tuple[str, ...],
        spinal_regions: dict[str, tuple[str, str]],
        sources: dict[str, str],
        release: str,
    ) -> None:
        self.entries = entries
        self.combinations = combinations
        self.complete = complete
        self.spinal_regions = spinal_regions
        self.sources = sources
        self.release = release

    @classmethod
    def default(cls) -> DiagnosisTable:
        """The shipped table (read once per process)."""
        return _default_table()

    def get(self, system: str, code: str) -> CodeEntry | None:
        """The entry of a code (normalised first), or None."""
        return self.entries.get((system, normalize(system, code)))

    def claims(self, system: str, code: str) -> bool:
        """Whether the table lists every code of the prefix ``code`` falls under."""
        return system == "icd10cm" and any(code.startswith(p) for p in self.complete)

    def closest(self, system: str, code: str, n: int = 4) -> tuple[str, ...]:
        """The table's codes nearest to ``code`` in spelling (same system), best first."""
        code = normalize(system, code)

        def nearness(other: str) -> tuple[int, bool, float, str]:
            # A shared beginning counts most (G56.09 is nearer G56.01 than G57.09), then
            # the same length, then the spelling; the code itself breaks ties.
            shared = next(
                (i for i, (a, b) in enumerate(zip(code, other, strict=False)) if a != b),
                min(len(code), len(other)),
            )
            ratio = difflib.SequenceMatcher(None, code, other).ratio()
            return (-shared, len(other) != len(code), -ratio, other)

        pool = sorted((c for s, c in self.entries if s == system), key=nearness)
        return tuple(c for c in pool[:n] if difflib.SequenceMatcher(None, code, c).ratio() >= 0.5)

    def levels_in(self, spine: str) -> tuple[str, ...]:
        """The nerve roots a region of the spine can hold (empty for an unknown region)."""
        bounds = self.spinal_regions.get(spine)
        if bounds is None:
            return ()
        return LEVELS[level_index(bounds[0]) : level_index(bounds[1]) + 1]

    def cite(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        """The full citations of source keys."""
        return tuple(self.sources[k] for k in keys)

    def __len__(self) -> int:
        return len(self.entries)


@cache
def _default_table() -> DiagnosisTable:
    return read_table()


def read_table(path: Any = None) -> DiagnosisTable:
    """Read and check a table file (the shipped one by default); every problem raised at once."""
    doc = load_file(path if path is not None else data_root() / "diagnoses.yaml", collect=True)
    try:
        parsed = TableFile.model_validate(doc.data)
    except ValidationError as exc:
        doc.check(problems_from(exc, doc, model=TableFile))
        raise  # pragma: no cover - check() always raises here
    return _build(parsed, doc)


def _build(parsed: TableFile, doc: Document) -> DiagnosisTable:
    problems: list[Problem] = []

    def add(loc: tuple[Any, ...], code: str, message: str) -> None:
        line, column = doc.where(loc)
        problems.append(Problem(doc.path, line, column, code, message))

    entries: dict[tuple[str, str], CodeEntry] = {}

    def enter(loc: tuple[Any, ...], data: CodeData, **kw: Any) -> None:
        systems = [s for s in ("icd10cm", "snomed") if getattr(data, s) is not None]
        if len(systems) != 1:
            add(loc, "one-system", "a code names exactly one system: icd10cm or snomed")
            return
        system = systems[0]
        raw = str(getattr(data, system))
        code = normalize(system, raw)
        if code != raw or not is_well_formed(system, code):
            add(loc, "bad-code", f"{raw!r} is not a {SYSTEM_NAMES[system]} code as the table writes them")
        elif system == "icd10cm" and not any(code.startswith(p) for p in parsed.complete):
            add(loc, "outside-complete", f"{code} lies outside every prefix of 'complete'")
        if (system, code) in entries:
            add(loc, "duplicate-code", f"{code} appears twice")
        if data.spine is not None and data.spine not in parsed.spinal_regions:
            add(loc, "unknown-spine", f"unknown spinal region {data.spine!r}")
        entries[(system, code)] = CodeEntry(system=system, code=code, title=data.title, **kw)

    def check_sources(loc: tuple[Any, ...], keys: tuple[str, ...]) -> None:
        for key in keys:
            if key not in parsed.sources:
                add(loc, "unknown-source", f"unknown source {key!r}")

    for i, cond in enumerate(parsed.conditions):
        check_sources(("conditions", i, "sources"), cond.sources)
        for j, data in enumerate(cond.codes):
            enter(("conditions", i, "codes", j), data, condition=cond.id, summary=cond.summary, covered=True,
                  facts=_facts(cond.says, data), sources=cond.sources, reason=cond.note)  # fmt: skip
    for i, group in enumerate(parsed.not_covered):
        for j, data in enumerate(group.codes):
            enter(("not_covered", i, "codes", j), data, condition=group.id, summary=group.summary,
                  covered=False, facts=Facts(), reason=group.reason)  # fmt: skip
    combinations = []
    for i, combo in enumerate(parsed.combinations):
        check_sources(("combinations", i, "sources"), combo.sources)
        for j, members in enumerate(combo.all):
            for k, member in enumerate(members):
                if ("icd10cm", member) not in entries:
                    add(
                        ("combinations", i, "all", j, k),
                        "unknown-code",
                        f"{member} is not a code of the table",
                    )
        combinations.append(
            Combination(combo.id, combo.summary, combo.all, _facts(combo.says), combo.sources)
        )
    doc.check(problems)
    regions = {name: (first, last) for name, (first, last) in parsed.spinal_regions.items()}
    return DiagnosisTable(
        entries, tuple(combinations), parsed.complete, regions, dict(parsed.sources), parsed.release
    )
