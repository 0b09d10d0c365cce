"""The kinds that test the case's words: ``cause``, ``nerve``, ``levels``, ``tenderness``,
``flag`` and ``red_flag`` (and, in its own module, ``onset``). Each holds when the case
has one of the words listed.

Two shapes share the work: :class:`CaseWord` for what a case has at most one of (its
cause, nerve, tenderness), :class:`CaseWords` for what it has a set of (levels, flags).
A kind that names a feature of :class:`~acupoints.rulebook.view.CaseView` gives the
index that need and is settled by it.
"""

from __future__ import annotations

from operator import attrgetter
from typing import ClassVar

from ...base import words
from ...base.vocab import CAUSE_KINDS, TENDERNESS
from ..view import NONE, NOT_GIVEN, Feature, Test
from .base import WORD_LIST, ConditionKind, Emitted, Source

__all__ = ["CaseWord", "CaseWords", "Cause", "Flag", "Levels", "Nerve", "RedFlag", "Tenderness"]


class _Words(ConditionKind[tuple[str, ...]]):
    """A test of the words the case has, read from one attribute of the view."""

    #: The attribute of the case view that holds the case's word(s), e.g. ``flags``.
    reads: ClassVar[str]
    #: The kind of feature (see ``CaseView.features``) the words are, or "" when the
    #: view lists no such feature (then the index cannot help).
    feature: ClassVar[str] = ""
    phrase = WORD_LIST

    def describe(self, value: tuple[str, ...]) -> str:
        return f"{self.key} in [{', '.join(value)}]"

    def options(self, value: tuple[str, ...]) -> list[frozenset[Feature]]:
        return [frozenset((self.feature, w) for w in value)] if self.feature else []

    def decided(self, value: tuple[str, ...]) -> bool:
        return bool(self.feature)


class CaseWord(_Words):
    """The case's one word (or None) is among the words listed."""

    #: Every word the case may have, when the view lists exactly one feature of this kind
    #: per case (:data:`~acupoints.rulebook.view.NOT_GIVEN` when the case gives none);
    #: empty when it may list none. Then "not one of these words" is a need too.
    every_case: ClassVar[tuple[str, ...]] = ()

    def complement(self, value: tuple[str, ...]) -> frozenset[Feature] | None:
        """The need of ``not: {key: value}``: one of the other words, or none given; None
        when the view does not list one feature of this kind for every case."""
        if not self.every_case:
            return None
        return frozenset((self.feature, w) for w in (*self.every_case, NOT_GIVEN) if w not in value)

    def interpret(self, value: tuple[str, ...]) -> Test:
        words, read = frozenset(value), attrgetter(self.reads)
        return lambda v: (read(v) in words, NONE)

    def emit(self, value: tuple[str, ...], src: Source, indent: int) -> Emitted:
        return f"(v.{self.reads} in {src.const(frozenset(value))})", None


class CaseWords(_Words):
    """Some word of the case's set is among the words listed."""

    def interpret(self, value: tuple[str, ...]) -> Test:
        words, read = frozenset(value), attrgetter(self.reads)
        return lambda v: (not words.isdisjoint(read(v)), NONE)

    def emit(self, value: tuple[str, ...], src: Source, indent: int) -> Emitted:
        return f"(not {src.const(frozenset(value))}.isdisjoint(v.{self.reads}))", None


class Cause(CaseWord):
    """``cause: [...]``: the case's cause is one of these kinds."""

    key, reads, feature = "cause", "cause", "cause"
    schema = tuple[words.CauseKind, ...]
    every_case = CAUSE_KINDS


class Nerve(CaseWord):
    """``nerve: [...]``: the case's nerve is one of these."""

    key, reads, feature = "nerve", "nerve", "nerve"
    schema = tuple[words.Nerve, ...]


class Levels(CaseWords):
    """``levels: [...]``: the case names one of these spinal levels."""

    key, reads, feature = "levels", "levels", "level"
    schema = tuple[words.Level, ...]


class Tenderness(CaseWord):
    """``tenderness: [...]``: the case's tenderness is one of these."""

    key, reads, feature = "tenderness", "case.tenderness", "tenderness"
    schema = tuple[words.Tenderness, ...]
    every_case = TENDERNESS


class Flag(CaseWords):
    """``flag: [...]``: the case has one of these flags."""

    key, reads, feature = "flag", "flags", "flag"
    schema = tuple[words.Flag, ...]


class RedFlag(CaseWords):
    """``red_flag: [...]``: the case has one of these red flags."""

    key, reads, feature = "red_flag", "red_flags", "red_flag"
    schema = tuple[words.RedFlag, ...]
