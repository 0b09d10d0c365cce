"""Rule files loaded, checked as a whole, and compiled into an immutable :class:`RuleBook`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from ..base.compat import Traversable
from ..base.errors import LoadError, Problem, RuleError
from ..base.memo import remember
from ..base.principles import PRINCIPLES
from ..base.vocab import closest
from ..catalog.catalog import Catalog
from ..io.problems import problems_from
from ..io.resources import rule_files, rules_root
from ..io.yaml import Document, load_file
from .conditions import Feature, Test, compile_condition, index_decides, trigger_options
from .registry import CONDITIONS
from .schema import AdviceItem, Condition, Exclude, PlanItem, Query, Rule, RuleFile, Select


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to run: its schema, where it came from, and its compiled condition."""

    rule: Rule
    pack: str
    path: str
    line: int
    source_key: str
    source: str
    order: int
    test: Test = field(compare=False, repr=False)
    #: What the condition needs of a case (see :func:`trigger_options`), for the index.
    options: tuple[frozenset[Feature], ...] = ()
    #: Whether the index alone settles the condition (see :func:`index_decides`): the
    #: engine then takes the rule as fired, matching no complaint, without testing it.
    decided: bool = field(default=False, compare=False, repr=False)
    #: Named sets of its file, resolved to codes (selections and ``among`` use them).
    sets: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    #: The rule's id, stored: it is read for every rule that fires.
    id: str = field(init=False, compare=False)
    #: Whether it refers the case, and whether it has a plan, advice or warnings (read per case).
    refers: bool = field(init=False, compare=False, repr=False)
    talks: bool = field(init=False, compare=False, repr=False)
    excludes: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", self.rule.id)
        object.__setattr__(self, "refers", self.rule.refer is not None)
        object.__setattr__(self, "talks", bool(self.rule.plan or self.rule.advice or self.rule.warn))
        object.__setattr__(self, "excludes", bool(self.rule.exclude))

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled conditions do not pickle; the schema does, so compile again on load.
        return (
            _recompile,
            (self.rule, self.pack, self.path, self.line, self.source_key, self.source, self.order, self.sets),
        )


def _recompile(
    rule: Rule,
    pack: str,
    path: str,
    line: int,
    key: str,
    source: str,
    order: int,
    sets: dict[str, tuple[str, ...]],
) -> CompiledRule:
    compiled = CompiledRule(rule, pack, path, line, key, source, order, _never_called,
                            tuple(trigger_options(rule.when)), index_decides(rule.when), sets)  # fmt: skip
    object.__setattr__(compiled, "test", _compile_on_first_call(compiled))
    return compiled


#: The largest index (in bits: a rule's needs plus one) whose answers are remembered.
_MEMO_BITS = 2048


def _never_called(view: Any) -> Any:
    raise AssertionError("replaced before use")  # pragma: no cover


def _compile_on_first_call(compiled: CompiledRule) -> Test:
    """A test that compiles the rule's condition when first called and puts the compiled one
    in its place: most rules of a large rulebook are never tried (the index skips them), and
    compiling costs far more than loading. Two threads may both compile; the results agree."""

    def first(view: Any) -> Any:
        test = compile_condition(compiled.rule.when)
        object.__setattr__(compiled, "test", test)
        return test(view)

    return first


class Candidates(NamedTuple):
    """The rules the index lets through for one set of features (see :meth:`RuleBook.index`)."""

    #: All of them, in rule order.
    rules: tuple[CompiledRule, ...]
    #: The bits (see :meth:`RuleBook.fired_rules`) of those the index settles: they hold.
    decided: int
    #: The others, each with its bit: they hold if their test says so.
    tests: tuple[tuple[CompiledRule, int], ...]


@dataclass(frozen=True)
class RuleBook:
    """All rules of one or more packs, in a stable order, indexed by what they test."""

    rules: tuple[CompiledRule, ...]
    packs: tuple[str, ...]

    def __post_init__(self) -> None:
        # The index: every need of every rule (see trigger_options) is one bit of a large
        # integer, each rule's bits side by side and followed by one spare bit. A feature
        # of a case sets the bits of the needs it meets; adding 1 at the start of each
        # rule's bits carries into its spare bit exactly when all of them are set. So one
        # OR per feature of the case, one addition and one AND find every rule whose needs
        # the case meets, however many rules there are.
        by_feature: dict[Any, int] = {}
        starts = guards = 0
        spare: dict[int, int] = {}
        bit = 0
        for position, r in enumerate(self.rules):
            starts |= 1 << bit
            for option in r.options:
                for feature in option:
                    by_feature[feature] = by_feature.get(feature, 0) | 1 << bit
                bit += 1
            guards |= 1 << bit
            spare[bit] = position
            bit += 1
        object.__setattr__(self, "_by_feature", by_feature)
        object.__setattr__(self, "_starts", starts)
        object.__setattr__(self, "_guards", guards)
        object.__setattr__(self, "_spare", spare)
        object.__setattr__(self, "_by_id", {r.id: r for r in self.rules})
        # Each rule with its bit, shared by every Candidates that tests it.
        object.__setattr__(self, "_with_bit", tuple((r, 1 << i) for i, r in enumerate(self.rules)))
        # Cases whose features meet the same needs try the same rules: remembered for books
        # of up to a few hundred rules, whose keys are small; with larger books few rules
        # pass the index, so finding them again costs little, and the keys would be large.
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "_memo_limit", 20_000 if bit <= _MEMO_BITS else 0)
        # What engines over this rulebook prepare once, whatever the case (see prepared()).
        object.__setattr__(self, "_prepared", {})

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Any:
        return iter(self.rules)

    def __getitem__(self, rule_id: str) -> CompiledRule:
        by_id: dict[str, CompiledRule] = self._by_id  # type: ignore[attr-defined]
        return by_id[rule_id]

    def candidates(self, features: frozenset[tuple[str, str]]) -> tuple[CompiledRule, ...]:
        """The rules that may hold for a case with these features, in rule order: those
        whose every need (see :func:`trigger_options`) one of the features meets."""
        return self.index(features).rules

    def index(self, features: frozenset[tuple[str, str]]) -> Candidates:
        """The :meth:`candidates` for these features, split into the rules the index settles
        and those to test, with the bits that :meth:`fired_rules` reads back."""
        by_feature: dict[Any, int] = self._by_feature  # type: ignore[attr-defined]
        met = 0
        for f in features:
            met |= by_feature.get(f, 0)
        ready = (met + self._starts) & self._guards  # type: ignore[attr-defined]
        memo: dict[int, Candidates] = self._memo  # type: ignore[attr-defined]
        limit: int = self._memo_limit  # type: ignore[attr-defined]
        hit = memo.get(ready) if limit else None  # (hashing a wide key costs as much as a miss)
        if hit is None:
            spare: dict[int, int] = self._spare  # type: ignore[attr-defined]
            with_bit: tuple[tuple[CompiledRule, int], ...] = self._with_bit  # type: ignore[attr-defined]
            rules = self.rules
            # Highest bit first: finding it reads one digit of the integer, and clearing it
            # leaves a shorter one (a lowest-bit loop works on the whole width each time,
            # which shows with thousands of rules).
            positions = []
            rest = ready
            while rest:
                top = rest.bit_length() - 1
                positions.append(spare[top])
                rest ^= 1 << top
            found = []
            tests = []
            decided = 0
            for position in reversed(positions):
                rule = rules[position]
                found.append(rule)
                if rule.decided:
                    decided |= 1 << position
                else:
                    tests.append(with_bit[position])
            hit = Candidates(tuple(found), decided, tuple(tests))
            if limit:
                remember(memo, ready, hit, limit)
        return hit

    def fired_rules(self, bits: int) -> list[CompiledRule]:
        """The rules whose bits are set, in rule order: bit *i* is the *i*-th rule of the book."""
        rules = self.rules
        out = []
        while bits:
            low = bits & -bits
            out.append(rules[low.bit_length() - 1])
            bits ^= low
        return out

    def prepared(self, catalog: Any) -> dict[Any, Any]:
        """A store for what an engine works out once from this rulebook and ``catalog``
        alone (selections that do not depend on the case), shared by every engine over
        both, so that a new engine does not resolve them again."""
        store: dict[int, tuple[Any, dict[Any, Any]]] = self._prepared  # type: ignore[attr-defined]
        hit = store.get(id(catalog))
        if hit is None or hit[0] is not catalog:  # the catalogue is kept, so its id stays its own
            hit = store[id(catalog)] = (catalog, {})
        return hit[1]

    def __reduce__(self) -> tuple[Any, ...]:
        return (RuleBook, (self.rules, self.packs))


class _Checker:
    """Cross-file checks: codes, sets, sources, principles, ids, impossible conditions."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.problems: list[Problem] = []
        self.resolved: dict[str, str | None] = {}

    def add(
        self, doc: Document, loc: tuple[Any, ...], code: str, message: str, severity: str = "error"
    ) -> None:
        line, col = doc.where(loc)
        self.problems.append(Problem(doc.path, line, col, code, message, severity))

    def code(self, doc: Document, loc: tuple[Any, ...], text: str) -> str | None:
        base = text.split("@")[0]
        # Large rulebooks name the same points again and again: resolve each spelling once.
        resolved = self.resolved.get(base, "")
        if resolved == "":
            resolved = self.resolved[base] = self.catalog.resolve(base)
        if resolved is None:
            near = self.catalog.suggest_codes(base, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            self.add(doc, loc, "unknown-point", f"unknown point code '{text}'{hint}")
            return None
        if "@" in text:
            key = text.split("@", 1)[1]
            point = self.catalog[resolved]
            keys = [i.key for i in point.instances]
            if key not in keys:
                near_key = closest(key, keys)
                hint = f" (did you mean '{resolved}@{near_key}'?)" if near_key else ""
                self.add(doc, loc, "unknown-point", f"{resolved} has no instance '{key}'{hint}")
                return None
            return f"{resolved}@{key}"
        return resolved

    def codes(self, doc: Document, loc: tuple[Any, ...], texts: Sequence[str]) -> tuple[str, ...]:
        out = [self.code(doc, loc + (i,), t) for i, t in enumerate(texts)]
        return tuple(c for c in out if c is not None)

    def principles(self, doc: Document, loc: tuple[Any, ...], ids: Sequence[str]) -> None:
        for j, pid in enumerate(ids):
            if pid not in PRINCIPLES:
                near = closest(pid, list(PRINCIPLES))
                hint = f" (did you mean '{near}'?)" if near else ""
                self.add(
                    doc, loc + ("principles", j), "unknown-principle", f"unknown principle id '{pid}'{hint}"
                )

    def set_name(
        self, doc: Document, loc: tuple[Any, ...], name: str, sets: dict[str, tuple[str, ...]]
    ) -> None:
        if name in sets:
            return
        near = closest(name, list(sets))
        hint = f" (did you mean '{near}'?)" if near else ""
        known = f"; this file's sets: {', '.join(sets)}" if sets else "; this file defines no sets"
        self.add(doc, loc, "unknown-set", f"unknown set '{name}'{hint}{known}")

    def meridians(self, doc: Document, loc: tuple[Any, ...], names: Sequence[str]) -> None:
        known = list(self.catalog.meridians)
        for i, m in enumerate(names):
            if m not in known:
                near = closest(m, known)
                hint = f" (did you mean '{near}'?)" if near else ""
                self.add(
                    doc,
                    loc + (i,),
                    "unknown-meridian",
                    f"unknown meridian '{m}'{hint}; allowed: {', '.join(known)}",
                )

    def query(self, doc: Document, loc: tuple[Any, ...], q: Query, sets: dict[str, tuple[str, ...]]) -> None:
        if q.meridians:
            self.meridians(doc, loc + ("meridians",), q.meridians)
        if q.groups:
            for i, g in enumerate(q.groups):
                p = self.code(doc, loc + ("groups", i), g)
                if p is not None and not self.catalog[p].instances:
                    self.add(doc, loc + ("groups", i), "not-a-group", f"{p} has no instances to select")
        if q.neighbours_of:
            self.codes(doc, loc + ("neighbours_of",), q.neighbours_of)
        if q.among is not None:
            self.set_name(doc, loc + ("among",), q.among, sets)

    def impossible(self, doc: Document, loc: tuple[Any, ...], cond: Condition) -> None:
        """Report the parts of a condition that no case can satisfy (each kind says which)."""
        for place, why in CONDITIONS.never_true(cond):
            self.add(doc, loc + place, "never-true", why)


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
    checker = _Checker(catalog)
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
                _check_select(checker, doc, loc + ("select", j), sel, sets)
            for j, ex in enumerate(rule.exclude):
                _check_exclude(checker, doc, loc + ("exclude", j), ex, sets, caution_ids)
            checker.impossible(doc, loc + ("when",), rule.when)
            if wanted is not None and parsed.pack not in wanted:
                continue
            line = doc.where(loc)[0]
            source_title = parsed.sources.get(rule.source, rule.source)
            compiled.append(
                _recompile(rule, parsed.pack, doc.path, line, rule.source, source_title, len(compiled), sets)
            )
    errors = [p for p in checker.problems if p.severity == "error"]
    if errors:
        # Files in the order given; within a file, by position, as a compiler prints them.
        order = {p.path: i for i, p in reversed(list(enumerate(checker.problems)))}
        raise RuleError(sorted(checker.problems, key=lambda p: (order[p.path], p.line, p.column)))
    packs_found = tuple(dict.fromkeys(r.pack for r in compiled))
    return RuleBook(tuple(compiled), packs_found)


def _check_select(
    checker: _Checker, doc: Document, loc: tuple[Any, ...], sel: Select, sets: dict[str, tuple[str, ...]]
) -> None:
    if sel.points:
        checker.codes(doc, loc + ("points",), sel.points)
    if sel.set is not None:
        checker.set_name(doc, loc + ("set",), sel.set, sets)
    if sel.query is not None:
        checker.query(doc, loc + ("query",), sel.query, sets)


def _check_exclude(
    checker: _Checker,
    doc: Document,
    loc: tuple[Any, ...],
    ex: Exclude,
    sets: dict[str, tuple[str, ...]],
    cautions: set[str],
) -> None:
    if ex.points:
        checker.codes(doc, loc + ("points",), ex.points)
    if ex.caution is not None and ex.caution not in cautions:
        near = closest(ex.caution, sorted(cautions))
        hint = f" (did you mean '{near}'?)" if near else ""
        checker.add(
            doc,
            loc + ("caution",),
            "unknown-caution",
            f"unknown caution '{ex.caution}'{hint}; allowed: {', '.join(sorted(cautions))}",
        )
    if ex.query is not None:
        checker.query(doc, loc + ("query",), ex.query, sets)


def lint(paths: Iterable[str | Path], catalog: Catalog | None = None) -> list[Problem]:
    """Every problem in the rule files (an empty list when they are clean)."""
    try:
        load_rulebook(paths, catalog)
    except LoadError as exc:
        return list(exc.problems)
    return []
