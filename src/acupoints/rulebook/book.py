"""Rule files loaded, checked as a whole, and compiled into an immutable :class:`RuleBook`.

The rule book itself and its index are in :mod:`acupoints.rulebook.compiled` and the
checks beyond the schema in :mod:`acupoints.rulebook.check`; both names are also
exported here, where the engine and users have always imported them from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..base.compat import Traversable
from ..base.errors import LoadError, Problem, RuleError
from ..base.vocab import closest
from ..catalog.catalog import Catalog
from ..io.digest import files_digest
from ..io.problems import problems_from
from ..io.resources import rule_files, rules_root
from ..io.yaml import load_file
from .check import Checker
from .compiled import CompiledRule, RuleBook, compile_rule
from .schema import AdviceItem, PlanItem, RuleFile

__all__ = ["CompiledRule", "RuleBook", "lint", "load_rulebook"]


def load_rulebook(
    paths: Iterable[str | Path | Traversable] | None = None,
    catalog: Catalog | None = None,
    packs: Iterable[str] | None = None,
) -> RuleBook:
    """Load, check and compile rule files; every problem of every file raised at once.

    ``paths`` are files or folders (default: the shipped rules); ``packs`` keeps only
    the rules of those packs.
    """
    catalog = catalog or Catalog.default()
    files = rule_files(paths if paths is not None else [rules_root()])
    checker = Checker(catalog)
    compiled: list[CompiledRule] = []
    seen_ids: dict[str, str] = {}
    wanted = set(packs) if packs is not None else None
    caution_ids = set(catalog.cautions)
    for f in files:
        try:
            doc = load_file(f, collect=True, trusted=paths is None)
        except LoadError as exc:
            checker.problems.extend(exc.problems)
            continue
        checker.problems.extend(doc.problems)
        if not isinstance(doc.data, dict):
            checker.add(doc, (), "not-a-mapping", "a rule file is a mapping with pack, sources and rules")
            continue
        try:
            parsed = RuleFile.model_validate(doc.data)
        except ValidationError as exc:
            checker.problems.extend(problems_from(exc, doc, model=RuleFile))
            continue
        sets = {name: checker.codes(doc, ("sets", name), codes) for name, codes in parsed.sets.items()}
        for i, rule in enumerate(parsed.rules):
            loc: tuple[Any, ...] = ("rules", i)
            if rule.id in seen_ids:
                checker.add(
                    doc,
                    loc + ("id",),
                    "duplicate-id",
                    f"rule id '{rule.id}' is already used at {seen_ids[rule.id]}",
                )
            line, column = doc.where(loc + ("id",))
            seen_ids.setdefault(rule.id, f"{doc.path}:{line}:{column}")
            if rule.source not in parsed.sources:
                near = closest(rule.source, list(parsed.sources))
                hint = f" (did you mean '{near}'?)" if near else ""
                checker.add(
                    doc,
                    loc + ("source",),
                    "unknown-source",
                    f"unknown source '{rule.source}'{hint}; this file's sources: {', '.join(parsed.sources)}",
                )
            checker.principles(doc, loc, rule.principles)
            parts: list[PlanItem | AdviceItem] = [*rule.plan, *rule.advice]
            for k, part in enumerate(parts):
                sub = ("plan", k) if k < len(rule.plan) else ("advice", k - len(rule.plan))
                checker.principles(doc, loc + sub, part.principles)
            for j, sel in enumerate(rule.select):
                checker.select(doc, loc + ("select", j), sel, sets)
            for j, ex in enumerate(rule.exclude):
                checker.exclude(doc, loc + ("exclude", j), ex, sets, caution_ids)
            checker.impossible(doc, loc + ("when",), rule.when)
            if wanted is not None and parsed.pack not in wanted:
                continue
            line = doc.where(loc)[0]
            source_title = parsed.sources.get(rule.source, rule.source)
            compiled.append(
                compile_rule(
                    rule, parsed.pack, doc.path, line, rule.source, source_title, len(compiled), sets
                )
            )
    errors = [p for p in checker.problems if p.severity == "error"]
    if errors:
        # Files in the order given; within a file, by position, as a compiler prints them.
        order = {p.path: i for i, p in reversed(list(enumerate(checker.problems)))}
        raise RuleError(sorted(checker.problems, key=lambda p: (order[p.path], p.line, p.column)))
    packs_found = tuple(dict.fromkeys(r.pack for r in compiled))
    return RuleBook(tuple(compiled), packs_found, files_digest(files))


def lint(paths: Iterable[str | Path], catalog: Catalog | None = None) -> list[Problem]:
    """Every problem in the rule files (an empty list when they are clean)."""
    try:
        load_rulebook(paths, catalog)
    except LoadError as exc:
        return list(exc.problems)
    return []
