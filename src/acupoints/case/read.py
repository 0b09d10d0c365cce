"""The one way a case is read, whatever it arrives as.

A file, standard input, a text, one line of a JSON Lines batch, or a mapping from other
software: each goes through the same bounded reading, decoding, duplicate-key rule,
scalar meaning and limits (:mod:`acupoints.io.yaml`, :mod:`.limits`), then the same
validation. :class:`~acupoints.Case`'s ``from_*`` methods are these functions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from ..base.errors import CaseError, LoadError, Problem
from ..io.document import Document
from ..io.limits import MAX_DEPTH, over_limit
from ..io.lines import read_lines
from ..io.problems import problems_from
from ..io.read import read_bounded, source_name
from ..io.yaml import load_text
from .limits import MAX_CASE_BYTES, MAX_CASE_VALUES, check_case_limits

if TYPE_CHECKING:
    from .model import Case

__all__ = [
    "case_document",
    "case_from_bytes",
    "case_from_dict",
    "case_from_json_line",
    "case_from_source",
    "case_lines",
    "plain_data",
    "read_case_document",
    "validate_case",
]

C = TypeVar("C", bound="Case")

_NAMES = ("MAX_CASE_BYTES", "MAX_CASE_VALUES")


def _as_case_error(exc: LoadError) -> CaseError:
    return exc if isinstance(exc, CaseError) else CaseError(exc.problems)


def case_document(raw: bytes | str, path: str, json_only: bool = False) -> Document:
    """Parse a case's text (YAML or JSON; only JSON with ``json_only``) under the case limits."""
    try:
        return load_text(raw, path, collect=True, json_only=json_only, max_bytes=MAX_CASE_BYTES,
                         max_values=MAX_CASE_VALUES, limit_names=_NAMES)  # fmt: skip
    except LoadError as exc:
        raise _as_case_error(exc) from None


def read_case_document(source: Any, path: str | None = None) -> Document:
    """Read a case from a path or an open stream (never more than MAX_CASE_BYTES) and parse it."""
    name = path if path is not None else source_name(source)
    try:
        raw = read_bounded(source, MAX_CASE_BYTES, name, "MAX_CASE_BYTES")
    except LoadError as exc:
        raise _as_case_error(exc) from None
    return case_document(raw, name)


def _kind(data: Any) -> str:
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "true or false"
    if isinstance(data, (int, float)):
        return "a number"
    if isinstance(data, (str, bytes)):
        return "text"
    if isinstance(data, (list, tuple)):
        return "a list"
    return f"a {type(data).__name__}"


def validate_case(doc: Document, cls: type[C]) -> C:
    """Validate a parsed case; raises :class:`~acupoints.CaseError` with every problem
    (the document's own, such as duplicate keys, and the schema's)."""
    if not isinstance(doc.data, dict):
        message = f"a case is a mapping of fields, not {_kind(doc.data)}"
        raise CaseError([Problem(doc.path, 1, 1, "not-a-mapping", message)])
    check_case_limits(doc.data, doc.path, doc.where)
    try:
        case: C = cls.__pydantic_validator__.validate_python(doc.data)  # model_validate, minus a layer
    except ValidationError as exc:
        found = doc.problems + problems_from(exc, doc, model=cls)
        raise CaseError(sorted(found, key=lambda p: (p.line, p.column))) from None
    if doc.problems:
        raise CaseError(doc.problems)
    return case


def plain_data(data: Any, path: str) -> Any:
    """``data`` with every mapping a ``dict`` and every list or tuple a ``list``.

    Other software may hand over a ``MappingProxyType``, a ``Mapping`` of its own or
    tuples; problems are placed by walking dicts and lists. Refuses nesting deeper than
    MAX_DEPTH (a mapping that holds itself, too) and more than MAX_CASE_VALUES values.
    """
    count = 0

    def convert(value: Any, depth: int) -> Any:
        nonlocal count
        count += 1
        if count > MAX_CASE_VALUES:
            what = f"more than {MAX_CASE_VALUES} values"
            raise CaseError([over_limit(path, 1, 1, "too-large", what, "MAX_CASE_VALUES", MAX_CASE_VALUES)])
        if isinstance(value, (Mapping, list, tuple)):
            if depth >= MAX_DEPTH:
                raise CaseError(
                    [Problem(path, 1, 1, "too-deep", f"nested more than {MAX_DEPTH} levels deep")]
                )
            if isinstance(value, Mapping):
                return {k: convert(v, depth + 1) for k, v in value.items()}
            return [convert(v, depth + 1) for v in value]
        return value

    return convert(data, 0)


def case_from_dict(cls: type[C], data: Any, path: str) -> C:
    """A case from a mapping (see :meth:`Case.from_dict`)."""
    if not isinstance(data, dict) and isinstance(data, Mapping):
        data = plain_data(data, path)
    if isinstance(data, dict):
        check_case_limits(data, path)
        try:
            # The common case, a valid dict, needs no Document (it only places problems),
            # and ``model_validate``'s defaults minus a layer of Python per call.
            case: C = cls.__pydantic_validator__.validate_python(data)
            return case
        except ValidationError:
            data = plain_data(data, path)  # validated again below, which places the problems
    return validate_case(Document(data, path), cls)


def case_from_bytes(cls: type[C], raw: bytes | str, path: str) -> C:
    """A case from its text (see :meth:`Case.from_text`)."""
    return validate_case(case_document(raw, path), cls)


def case_from_source(cls: type[C], source: Any, path: str | None = None) -> C:
    """A case from a path or an open stream (see :meth:`Case.from_file`)."""
    return validate_case(read_case_document(source, path), cls)


def case_lines(source: Any) -> Iterator[tuple[int, bytes | str]]:
    """The numbered lines of a JSON Lines input of cases, split at ``\\n`` only, each
    held to at most MAX_CASE_BYTES + 1 bytes (see :func:`acupoints.io.lines.read_lines`)."""
    return read_lines(source, MAX_CASE_BYTES)


def case_from_json_line(cls: type[C], raw: bytes | str, path: str, line: int) -> C:
    """A case from one line of a JSON Lines input (see :meth:`Case.from_json_line`)."""
    try:
        return validate_case(case_document(raw, path, json_only=True), cls)
    except LoadError as exc:
        moved = [Problem(path, line, p.column, p.code, p.message, p.severity) for p in exc.problems]
        raise CaseError(moved) from None
