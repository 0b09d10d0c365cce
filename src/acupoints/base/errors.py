"""The exceptions of acupoints.

Every exception the library raises on purpose derives from :class:`AcupointsError`, and
also from the builtin that fits, so callers may catch either::

    AcupointsError
    ├── LoadError(ValueError)            a data, rule or case file has problems
    │   ├── CaseError                     ... a case file or dict
    │   └── RuleError                     ... a rule file
    ├── UnknownPointError(LookupError)    a point code or name the catalogue does not hold
    └── UnknownWordError(ValueError)      a word outside the vocabulary

A :class:`LoadError` carries every :class:`Problem` found, not only the first; its
message is one compiler-style line per problem. All of them pickle.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AcupointsError",
    "CaseError",
    "LoadError",
    "Problem",
    "RuleError",
    "UnknownPointError",
    "UnknownWordError",
]


@dataclass(frozen=True)
class Problem:
    """One problem in one file, with its position (1-based line and column)."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}[{self.code}] {self.message}"


class AcupointsError(Exception):
    """Base class of every error acupoints raises on purpose."""


class LoadError(AcupointsError, ValueError):
    """A file or mapping could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self) -> tuple[type[LoadError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))


class CaseError(LoadError):
    """A case (file, JSON or dict) is not valid."""


class RuleError(LoadError):
    """A rule file is not valid."""


class UnknownPointError(AcupointsError, LookupError):
    """No point has that code or name."""

    def __init__(self, query: str, suggestions: tuple[str, ...] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        super().__init__(query, self.suggestions)

    def __str__(self) -> str:
        if not isinstance(self.query, str):  # None or a number from other software
            return f"a point is named by a code or a name (text), not {self.query!r}"
        hint = f" (did you mean {', '.join(repr(s) for s in self.suggestions)}?)" if self.suggestions else ""
        return f"unknown point {self.query!r}{hint}"


class UnknownWordError(AcupointsError, ValueError):
    """A word that is not in the vocabulary of its field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
