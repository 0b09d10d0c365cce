"""Rule files loaded, checked as a whole, and compiled into an immutable :class:`RuleBook`.

The rule book itself and its index are in :mod:`acupoints.rulebook.compiled` and the
checks beyond the schema in :mod:`acupoints.rulebook.check`; both names are also
exported here, where the engine and users have always imported them from.

The shipped safety pack cannot be left out of an engine: :func:`with_safety` adds it to
any rule book that lacks it (the engine calls it on every rule book it is given), the
pack name ``safety`` is reserved for the shipped rules (a file of that pack may only copy
them), and a rule may not take the id of a shipped safety rule. :func:`load_rulebook` and :func:`lint` read exactly the files
they are given, so that a pack of your own can be checked alone.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from ..base.compat import Traversable
from ..base.errors import LoadError, Problem, RuleError
from ..base.vocab import closest
from ..catalog.catalog import Catalog
from ..io.problems import problems_from
from ..io.resources import rule_files, rules_root
from ..io.yaml import Document, load_file
from .check import Checker
from .compiled import SAFETY_PACK, CompiledRule, RuleBook, compile_rule
from .schema import AdviceItem, PlanItem, Rule, RuleFile

__all__ = ["CompiledRule", "RuleBook", "lint", "load_rulebook", "shipped_rules", "with_safety"]


def shipped_rules() -> Traversable:
    """The folder of the shipped rule packs (``documents``, ``classical`` and ``safety``).

    Pass it to :func:`load_rulebook` or :func:`lint` with files of your own, or use
    :meth:`acupoints.Engine.with_packs`, which adds your packs on top of these.

    >>> sorted(f.name for f in shipped_rules().iterdir() if f.name.endswith(".yaml"))[-1]
    '90-safety.yaml'
    """
    return rules_root()


def load_rulebook(
    paths: Iterable[str | Path | Traversable] | None = None,
    catalog: Catalog | None = None,
    packs: Iterable[str] | None = None,
) -> RuleBook:
    """Load, check and compile rule files; every problem of every file raised at once.

    ``paths`` are files or folders (default: the shipped rules); ``packs`` keeps only
    the rules of those packs (a name no file declares is an error). The book holds only
    what it is given: an :class:`~acupoints.Engine` adds the shipped safety pack to it.
    """
    book, problems = _load(paths, catalog, packs)
    errors = [p for p in problems if p.severity == "error"]
    if errors or book is None:
        raise RuleError(problems)
    return book


def _load(
    paths: Iterable[str | Path | Traversable] | None,
    catalog: Catalog | None,
    packs: Iterable[str] | None,
) -> tuple[RuleBook | None, list[Problem]]:
    """The rule book of the files (None when any has an error), and every problem found."""
    catalog = catalog or Catalog.default()
    files = rule_files(paths if paths is not None else [rules_root()])
    own_files = _shipped_paths()
    checker = Checker(catalog, _safety_keys)
    compiled: list[CompiledRule] = []
    seen_ids: dict[str, str] = {}
    wanted = tuple(packs) if packs is not None else None
    declared: list[str] = []
    unread = False
    caution_ids = set(catalog.cautions)
    for f in files:
        own = _key(f) in own_files
        try:
            doc = load_file(f, collect=True, trusted=own)
        except LoadError as exc:
            checker.problems.extend(exc.problems)
            unread = True
            continue
        checker.problems.extend(doc.problems)
        if not isinstance(doc.data, dict):
            checker.add(doc, (), "not-a-mapping", "a rule file is a mapping with pack, sources and rules")
            unread = True
            continue
        try:
            parsed = RuleFile.model_validate(doc.data)
        except ValidationError as exc:
            checker.problems.extend(problems_from(exc, doc, model=RuleFile))
            unread = True
            continue
        declared.append(parsed.pack)
        if parsed.pack == SAFETY_PACK and not own:
            # A copy of the shipped file is harmless; a rule of one's own in it is not.
            shipped = _shipped().rules
            for i, rule in enumerate(parsed.rules):
                if shipped.get(rule.id) != rule:
                    checker.add(
                        doc,
                        ("rules", i, "id"),
                        "reserved-pack",
                        f"the pack name '{SAFETY_PACK}' is reserved for the shipped safety pack, and rule "
                        f"'{rule.id}' is not one of its rules as shipped; put your rules in a pack of your "
                        "own (they add to the safety rules, which are always in force)",
                    )
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
            elif parsed.pack != SAFETY_PACK and rule.id in _shipped().rules:
                checker.add(
                    doc,
                    loc + ("id",),
                    "safety-rule-replaced",
                    f"rule id '{rule.id}' is the id of a rule of the shipped safety pack, which is always "
                    "in force; no pack can replace a safety rule: give your rule another id",
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
            if parsed.pack != SAFETY_PACK:
                checker.priority(doc, loc, rule)
            if wanted is not None and parsed.pack not in wanted:
                continue
            line = doc.where(loc)[0]
            source_title = parsed.sources.get(rule.source, rule.source)
            compiled.append(
                compile_rule(
                    rule, parsed.pack, doc.path, line, rule.source, source_title, len(compiled), sets
                )
            )
    problems = checker.problems
    if wanted is not None and not unread:
        problems += _unknown_packs(wanted, declared)
    if any(p.severity == "error" for p in problems):
        # Files in the order given; within a file, by position, as a compiler prints them.
        order = {p.path: i for i, p in reversed(list(enumerate(problems)))}
        return None, sorted(problems, key=lambda p: (order[p.path], p.line, p.column))
    packs_found = tuple(dict.fromkeys(r.pack for r in compiled))
    return RuleBook(tuple(compiled), packs_found), problems


def _unknown_packs(wanted: tuple[str, ...], declared: list[str]) -> list[Problem]:
    """An error for each pack asked for that no file declares (a typo must not silently
    leave an engine without the rules it was meant to have)."""
    found = []
    known = list(dict.fromkeys(declared))
    for i, name in enumerate(wanted):
        if name in known:
            continue
        near = closest(name, known)
        hint = f" (did you mean '{near}'?)" if near else ""
        found.append(
            Problem("<packs>", 1, i + 1, "unknown-pack",
                    f"unknown pack '{name}'{hint}; the files given hold: {', '.join(known) or 'no pack'}")
        )  # fmt: skip
    return found


def lint(paths: Iterable[str | Path | Traversable], catalog: Catalog | None = None) -> list[Problem]:
    """Every problem in the rule files, warnings included (an empty list when they are
    clean). The files are checked alone: a pack of your own needs no shipped pack."""
    return _load(paths, catalog, None)[1]


def with_safety(book: RuleBook, catalog: Catalog | None = None) -> RuleBook:
    """``book`` with every rule of the shipped safety pack that it lacks added after its
    own rules (``book`` itself when it has them all).

    A rule that has the id of a shipped safety rule but says something else is an error:
    no pack can replace a safety rule.
    """
    shipped = _shipped().rules
    have = {r.id: r for r in book.rules}
    missing: list[str] = []
    problems: list[Problem] = []
    for rule_id, rule in shipped.items():
        mine = have.get(rule_id)
        if mine is None:
            missing.append(rule_id)
        elif mine.rule != rule or mine.pack != SAFETY_PACK:
            problems.append(
                Problem(mine.path, mine.line, 1, "safety-rule-replaced",
                        f"rule '{rule_id}' takes the id of a rule of the shipped safety pack; no pack "
                        "can replace a safety rule: give your rule another id")
            )  # fmt: skip
    if problems:
        raise RuleError(problems)
    if not missing:
        return book
    wanted = set(missing)
    start = len(book.rules)
    compiled = [r for r in _shipped_safety(catalog or Catalog.default()) if r.id in wanted]
    added = tuple(
        compile_rule(r.rule, r.pack, r.path, r.line, r.source_key, r.source, start + i, r.sets)
        for i, r in enumerate(compiled)
    )
    return RuleBook((*book.rules, *added), tuple(dict.fromkeys((*book.packs, SAFETY_PACK))))


# -- the shipped files, read once ------------------------------------------------------------
class _Shipped(NamedTuple):
    """What the shipped files say of the safety pack, read once (nothing compiled)."""

    #: The files that hold the safety pack.
    files: tuple[Any, ...]
    #: Its rules, by id, in file order.
    rules: dict[str, Rule]
    #: The plan keys it sets, each with the lowest priority it sets it at.
    keys: dict[str, int]


_lock = threading.Lock()
_read: list[_Shipped] = []
#: The shipped safety rules compiled over a catalogue, by the catalogue's id (it is kept,
#: so the id stays its own).
_safety_rules: dict[int, tuple[Catalog, tuple[CompiledRule, ...]]] = {}


def _key(f: Any) -> str:
    """A file's resolved path, to tell the shipped files from others."""
    try:
        return str(Path(str(f)).resolve())
    except OSError:  # pragma: no cover - an unreadable path is reported when it is read
        return str(f)


def _shipped_paths() -> frozenset[str]:
    return frozenset(_key(f) for f in rule_files([rules_root()]))


def _shipped() -> _Shipped:
    if not _read:
        with _lock:
            if not _read:
                files: list[Any] = []
                rules: dict[str, Rule] = {}
                keys: dict[str, int] = {}
                for f in rule_files([rules_root()]):
                    doc: Document = load_file(f, trusted=True)
                    parsed = RuleFile.model_validate(doc.data)
                    if parsed.pack != SAFETY_PACK:
                        continue
                    files.append(f)
                    for rule in parsed.rules:
                        rules[rule.id] = rule
                        for item in rule.plan:
                            if item.key is not None:
                                keys[item.key] = min(keys.get(item.key, rule.priority), rule.priority)
                _read.append(_Shipped(tuple(files), rules, keys))
    return _read[0]


def _shipped_safety(catalog: Catalog) -> tuple[CompiledRule, ...]:
    """The shipped safety rules, checked and compiled over ``catalog`` (remembered)."""
    hit = _safety_rules.get(id(catalog))
    if hit is None or hit[0] is not catalog:
        rules = load_rulebook(list(_shipped().files), catalog).rules
        hit = _safety_rules[id(catalog)] = (catalog, rules)
    return hit[1]


def _safety_keys() -> dict[str, int]:
    """The plan keys the shipped safety pack sets, with the lowest priority of each."""
    return _shipped().keys
