"""What a condition kind is: the one base class each kind of the rule language derives from.

A condition in a rule file is a mapping such as ``{cause: [diabetes], complaint: {...}}``;
each key of it is one *kind*. A kind is a small class that owns every part of its key:

- its schema: :attr:`ConditionKind.schema`, the type of its value in a rule file;
- its meaning: :meth:`ConditionKind.interpret`, a plain closure over a :class:`CaseView`;
- its fast form: :meth:`ConditionKind.emit`, Python source for the generated function
  the engine runs (a property test pins it to the meaning);
- its description: :meth:`ConditionKind.describe`, its phrase in explanations;
- what the rule index needs of it: :meth:`ConditionKind.options` and
  :meth:`ConditionKind.decided`;
- its cost: :attr:`ConditionKind.cost`, which orders the keys of a mapping when they run;
- optionally the values that can never hold (:meth:`ConditionKind.never_true`) and the
  conditions nested in it (:meth:`ConditionKind.nested`).

Kinds hold no value: one instance per kind serves every condition, and gets the value of
its key as an argument. A kind that nests conditions (``all``, ``any``, ``not``) asks the
language for their meaning through :attr:`ConditionKind.language`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, Optional, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..view import NONE, CaseView, Feature, Matched, Test

__all__ = [
    "BRANCHES",
    "CASE_WIDE",
    "LEADING",
    "NESTED",
    "PER_COMPLAINT",
    "TRAILING",
    "WORD_LIST",
    "ConditionKind",
    "ConditionModel",
    "Emitted",
    "Emitter",
    "Language",
    "NeverTrue",
    "Place",
    "Source",
    "union",
]

#: Costs, cheapest first. The keys of one condition run in this order (and, within a
#: cost, in the registry's order), so that most rules are settled by cheap tests of the
#: case as a whole before any complaint is looked at.
CASE_WIDE = 0  #: reads the case as a whole (cause, flags, levels, counts)
PER_COMPLAINT = 1  #: loops over the complaints
NESTED = 2  #: runs one nested condition
BRANCHES = 3  #: runs several nested conditions

#: Where a kind's phrase goes in a condition's one-line description (and, within a group,
#: in the registry's order). Explanations print these lines, so the order is kept as
#: users have seen it: nested conditions, ``always`` and complaint tests first, then the
#: ``x in [...]`` word tests, then ranges, yes/no tests and counts.
LEADING, WORD_LIST, TRAILING = 0, 1, 2

V = TypeVar("V")

#: The generated expression that says a part held, and the name of the variable holding
#: the bit mask of the complaints it matched (None when it matches no complaint).
Emitted = tuple[str, str | None]
#: Emits one part of a conjunction at an indentation (see :meth:`Language.emit_all`).
Emitter = Callable[["Source", int], Emitted]
#: A place below a condition's own: the keys and list indices that lead there.
Place = tuple[Any, ...]
#: A condition that can never hold: where (below the kind's key) and why.
NeverTrue = tuple[Place, str]


class ConditionModel(BaseModel):
    """A test over the case. Several keys in one mapping must all hold."""

    # The fields are the registry's kinds: see ConditionLanguage.model.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _not_empty(self) -> ConditionModel:
        if not self.model_fields_set:
            raise ValueError("an empty condition; use 'always: true' for a rule that always applies")
        return self


class Source:
    """Generated lines, with the constants they refer to by name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self.count = 0

    def const(self, value: Any) -> str:
        """A name for ``value`` in the generated function's namespace."""
        name = f"_k{len(self.consts)}"
        self.consts[name] = value
        return name

    def var(self) -> str:
        """A fresh local variable name."""
        self.count += 1
        return f"_v{self.count}"

    def emit(self, indent: int, line: str) -> None:
        """Add a line at an indentation level (four spaces each)."""
        self.lines.append("    " * indent + line)


class Language(Protocol):
    """What a kind may ask of the whole language: the meaning, needs and parts of a nested
    condition."""

    def interpret(self, cond: ConditionModel) -> Test: ...

    def emit(self, cond: ConditionModel, src: Source, indent: int) -> Emitted: ...

    def emit_all(self, parts: Sequence[Emitter], src: Source, indent: int) -> Emitted: ...

    def options(self, cond: ConditionModel) -> list[frozenset[Feature]]: ...

    def decides(self, cond: ConditionModel) -> bool: ...

    def describe(self, cond: ConditionModel) -> str: ...

    def parts(self, cond: ConditionModel) -> list[tuple[ConditionKind[Any], Any]]: ...


class ConditionKind(ABC, Generic[V]):
    """One key of a condition mapping, with every part of its meaning (see the module)."""

    #: The key in a rule file, and the registry's key.
    key: ClassVar[str]
    #: The type of the value in a rule file, as a pydantic field type (None is added: a
    #: condition leaves out the keys it does not use). A kind that nests conditions
    #: names them as the string ``"Condition"``, which the built model resolves to itself.
    schema: ClassVar[Any]
    #: The attribute of the condition model, when the key is not a Python name (``not``).
    attribute: ClassVar[str] = ""
    #: When it runs among the keys of one mapping (see the module's constants).
    cost: ClassVar[int] = CASE_WIDE
    #: Where its phrase goes in a description (see the module's constants).
    phrase: ClassVar[int] = TRAILING

    def __init__(self, language: Language) -> None:
        self.language = language

    @classmethod
    def field(cls) -> tuple[Any, Any]:
        """The pydantic field of the condition model: the schema or nothing, by default."""
        alias = cls.key if cls.attribute and cls.attribute != cls.key else None
        return Optional[cls.schema], Field(None, alias=alias)  # noqa: UP045 (the schema may be a string)

    @classmethod
    def value_of(cls, cond: ConditionModel) -> V | None:
        """This kind's value in ``cond``, or None when the condition does not use it."""
        value: V | None = getattr(cond, cls.attribute or cls.key)
        return value

    @abstractmethod
    def interpret(self, value: V) -> Test:
        """The plain meaning: a function of a case giving (holds, complaints matched)."""

    @abstractmethod
    def emit(self, value: V, src: Source, indent: int) -> Emitted:
        """Generate the same test as :meth:`interpret` into ``src``.

        Return an expression that is true when the test holds; a test that matches
        complaints returns the name of a variable it set to their bit mask (bit *i*:
        complaint *i*; the generated function names the complaints' facts ``F``).
        """

    @abstractmethod
    def describe(self, value: V) -> str:
        """Its phrase in a condition's one-line description, e.g. ``cause in [diabetes]``."""

    def options(self, value: V) -> list[frozenset[Feature]]:
        """What it needs of a case for the index: feature sets, each needing one of its
        features (see :mod:`acupoints.rulebook.view`). Empty: the index cannot tell."""
        return []

    def decided(self, value: V) -> bool:
        """True when it holds on exactly the cases that meet :meth:`options` and matches
        no complaint, so that the index alone settles it. False unless a kind says so."""
        return False

    def nested(self, value: V) -> tuple[tuple[Place, ConditionModel], ...]:
        """The conditions nested in the value, each with its place below the key."""
        return ()

    def never_true(self, value: V, cond: ConditionModel) -> list[NeverTrue]:
        """Why the value (in ``cond``) can never hold, if it cannot; for the rule checker."""
        return []


def union(tests: list[Test], need_all: bool) -> Test:
    """AND (``need_all``) or OR of tests, merging the complaints they matched."""

    def run(v: CaseView) -> tuple[bool, Matched]:
        matched = NONE
        hit = need_all
        for t in tests:
            ok, m = t(v)
            if ok:
                hit = True
                if m:
                    matched = matched | m if matched else m
            elif need_all:
                return False, NONE
        return hit, matched

    return run
