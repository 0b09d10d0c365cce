"""Rule coverage: over a set of cases, how often each rule fires, and which rules never do.

A rule that no case makes fire is either dead or untested; ``acupoints coverage CASES``
prints this report and exits 1 while one is left. Cases come from case files (YAML or
JSON, one case each, or a test-case file with its case under ``case:``), from JSON Lines
files (``.jsonl``, one case a line, as ``suggest-batch`` reads them), and from folders of
either.

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = pathlib.Path(folder, "c6.yaml").write_text(
...         "complaints: [{region: forearm, aspect: dorsal, sensations: [numbness]}]\\n"
...         "cause: {kind: nerve_root_compression, levels: [C6]}\\n"
...     )
...     report = coverage_report([folder])
>>> report.cases, report.count("cervical-compression-named-points"), report.count("red-flag-infection")
(1, 1, 0)
>>> report.complete, "red-flag-infection" in report.never_fired
(False, True)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base.errors import CaseError, LoadError, Problem
from ..case.model import Case, validate_case
from ..case.read import case_lines
from ..engine.engine import Engine
from ..io.yaml import Document, load_file
from ..rulebook.book import load_rulebook
from ..rulebook.conditions import CaseView

#: The file names a folder of cases is read from (``.jsonl``: one case a line).
CASE_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


@dataclass(frozen=True)
class RuleCoverage:
    """One rule's line of the report: the cases (their file names) it fired in."""

    rule: str
    pack: str
    cases: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many cases it fired in."""
        return len(self.cases)


@dataclass(frozen=True)
class CoverageReport:
    """Which rules fired over which cases, in rulebook order."""

    rules: tuple[RuleCoverage, ...]
    case_files: tuple[str, ...]

    @property
    def cases(self) -> int:
        """How many cases were run."""
        return len(self.case_files)

    def count(self, rule: str) -> int:
        """How many cases ``rule`` fired in (KeyError for a rule not in the rulebook)."""
        for r in self.rules:
            if r.rule == rule:
                return r.count
        raise KeyError(rule)

    @property
    def never_fired(self) -> tuple[str, ...]:
        """The rules no case made fire, in rulebook order."""
        return tuple(r.rule for r in self.rules if not r.cases)

    @property
    def complete(self) -> bool:
        """True when every rule fired at least once."""
        return not self.never_fired

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "cases": self.cases,
            "case_files": list(self.case_files),
            "rules": [
                {"rule": r.rule, "pack": r.pack, "count": r.count, "cases": list(r.cases)} for r in self.rules
            ],
            "never_fired": list(self.never_fired),
            "complete": self.complete,
        }

    def as_text(self) -> str:
        """A table of rules and the number of cases each fired in, then the summary."""
        width = max([len("rule"), *(len(r.rule) for r in self.rules)])
        pack_width = max([len("pack"), *(len(r.pack) for r in self.rules)])
        lines = [f"{'rule':<{width}}  {'pack':<{pack_width}}  cases"]
        for r in self.rules:
            mark = "" if r.cases else "  <- never fired"
            lines.append(f"{r.rule:<{width}}  {r.pack:<{pack_width}}  {r.count:>5}{mark}")
        fired = len(self.rules) - len(self.never_fired)
        share = 100.0 * fired / len(self.rules) if self.rules else 100.0
        lines.append("")
        lines.append(f"{self.cases} case(s), {len(self.rules)} rule(s), {fired} fired ({share:.1f}%)")
        if self.never_fired:
            lines.append(f"never fired ({len(self.never_fired)}): {', '.join(self.never_fired)}")
        return "\n".join(lines)


def case_files(paths: Sequence[str | Path]) -> list[Path]:
    """Files as given; folders expanded to their case files (not recursively), sorted by name."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(f for f in path.iterdir() if f.is_file() and f.suffix in CASE_SUFFIXES)
            if not found:
                raise CaseError(
                    [Problem(str(path), 1, 1, "no-cases", f"no case files ({', '.join(CASE_SUFFIXES)}) here")]
                )
            out += found
        else:
            out.append(path)
    return out


def read_case(path: str | Path) -> Case:
    """A case from a plain case file, or from the ``case:`` part of a test-case file."""
    doc = load_file(Path(path), collect=True)
    if isinstance(doc.data, dict) and "case" in doc.data and "complaints" not in doc.data:
        # A test-case file: the case sits under `case:`; keep the positions of that part.
        inner = {loc[1:]: pos for loc, pos in doc.positions.items() if loc[:1] == ("case",)}
        inner.setdefault((), doc.positions.get(("case",), (1, 1)))
        doc = Document(doc.data["case"], doc.path, inner, doc.problems)
    return validate_case(doc, Case)


def _entries(path: Path) -> Iterator[tuple[str, Callable[[], Case]]]:
    """The cases of one file, each with its name in the report and a reader: the file's
    name, or for a JSON Lines file ``name:line`` for each non-blank line (so that a bad
    line is reported at its number and the others are still read)."""
    if path.suffix != ".jsonl":
        yield str(path), lambda: read_case(path)
        return
    for number, raw in case_lines(path):
        if raw.strip():
            yield f"{path}:{number}", functools.partial(Case.from_json_line, raw, str(path), number)


def coverage_report(case_paths: Sequence[str | Path], rules: Sequence[str] | None = None) -> CoverageReport:
    """Run every case through the rules and count, for each rule, the cases it fired in.

    ``case_paths`` are case files, JSON Lines files or folders of them; ``rules`` are
    rule files or folders (default: the shipped rulebook). The cases run with the shipped safety pack in force,
    as they always do, but the report covers only the rules of ``rules``: a pack of your
    own is reported alone. Every unreadable case is reported at once, as one
    :class:`~acupoints.CaseError`.
    """
    book = load_rulebook(list(rules)) if rules else None
    engine = Engine(book) if book is not None else Engine.default()
    reported = (book or engine.rulebook).rules
    problems: list[Problem] = []
    hits: dict[str, list[str]] = {r.id: [] for r in engine.rulebook}
    names: list[str] = []
    for path in case_files(case_paths):
        try:
            for name, read in _entries(path):
                try:
                    case = read()
                except LoadError as exc:
                    problems.extend(exc.problems)
                    continue
                names.append(name)
                for rule, _ in engine.fired(CaseView.of(case)):
                    hits[rule.id].append(name)
        except LoadError as exc:  # a JSON Lines file that cannot be read at all
            problems.extend(exc.problems)
    if problems:
        raise CaseError(problems)
    return CoverageReport(
        rules=tuple(RuleCoverage(r.id, r.pack, tuple(hits[r.id])) for r in reported),
        case_files=tuple(names),
    )


__all__ = ["CoverageReport", "RuleCoverage", "case_files", "coverage_report", "read_case"]
