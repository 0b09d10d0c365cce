"""The immutable rule book: compiled rules and the index that finds the ones a case may fire.

:func:`acupoints.rulebook.book.load_rulebook` builds a :class:`RuleBook` from rule files;
nothing here reads files or reports problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..base.memo import remember
from .conditions import compile_condition, index_decides, trigger_options
from .schema import Rule
from .view import Feature, Test

__all__ = ["SAFETY_PACK", "Candidates", "CompiledRule", "RuleBook", "compile_rule"]

#: The shipped safety pack: always in force, and its plan settings win whatever a
#: rule's priority (the name is reserved for it; see :mod:`acupoints.rulebook.book`).
SAFETY_PACK = "safety"


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
    #: Whether it refers the case, and whether it has a plan, advice, warnings or forbids
    #: a treatment (read per case).
    refers: bool = field(init=False, compare=False, repr=False)
    talks: bool = field(init=False, compare=False, repr=False)
    excludes: bool = field(init=False, compare=False, repr=False)
    #: Whether it belongs to the safety pack.
    safety: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", self.rule.id)
        object.__setattr__(self, "refers", self.rule.refer is not None)
        rule = self.rule
        object.__setattr__(self, "talks", bool(rule.plan or rule.advice or rule.warn or rule.forbid))
        object.__setattr__(self, "excludes", bool(self.rule.exclude))
        object.__setattr__(self, "safety", self.pack == SAFETY_PACK)

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled conditions do not pickle; the schema does, so compile again on load.
        return (
            compile_rule,
            (self.rule, self.pack, self.path, self.line, self.source_key, self.source, self.order, self.sets),
        )


def compile_rule(
    rule: Rule,
    pack: str,
    path: str,
    line: int,
    key: str,
    source: str,
    order: int,
    sets: dict[str, tuple[str, ...]],
) -> CompiledRule:
    """A :class:`CompiledRule` whose condition compiles when first tested; also how a
    pickled one is rebuilt, since generated functions do not pickle."""
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
