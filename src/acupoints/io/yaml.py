"""Safe YAML (and JSON) loading that remembers where every value came from.

Every file and text the package reads goes through :func:`load_text` (or
:func:`load_file`, which reads with a bounded reader first): one decoding policy
(:mod:`.decode`), one set of limits (:mod:`.limits`), duplicate keys an error, and one
meaning for scalars. A text that is JSON is read by the JSON reader (:mod:`.jsondoc`),
so JSON means the same here as in a JSON Lines batch; anything else is YAML, read from
the parser's events (:mod:`.yamlbuild`) with unquoted scalars taking JSON's meaning
(:mod:`.scalars`).

Only plain data is built: mappings, lists, strings, numbers, booleans and null.
Duplicate keys, unknown tags, merge keys, alias bombs, non-UTF-8 bytes and oversized or
too deeply nested documents are reported as :class:`~acupoints.Problem` s with the file,
line and column.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..base.errors import LoadError, Problem
from .decode import decode_input
from .document import Document, Path_
from .jsondoc import JsonSyntaxError, load_json
from .limits import MAX_ALIAS_VALUES, MAX_BYTES, MAX_DEPTH, MAX_INT_DIGITS, MAX_VALUES, over_limit
from .read import read_bounded, source_name
from .yamlbuild import build

__all__ = [
    "MAX_ALIAS_VALUES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_VALUES",
    "Document",
    "Path_",
    "load_file",
    "load_text",
]

#: libyaml's parser when PyYAML has it (about fifteen times faster), else the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _size_check(text: str | bytes, path: str, max_bytes: int, bytes_name: str) -> None:
    if len(text) > max_bytes:
        # Not the exact size: a JSON Lines reader gives only the first max_bytes + 1 of a line.
        what = f"more than {max_bytes} {'bytes' if isinstance(text, bytes) else 'characters'}"
        raise LoadError([over_limit(path, 1, 1, "too-large", what, bytes_name, max_bytes)])


def _looks_like_json(text: str) -> bool:
    start = text.lstrip(" \t\r\n")[:1]
    return start == "{" or start == "["


def _yaml(text: str, path: str, max_values: int, values_name: str) -> tuple[Any, Any, list[Problem]]:
    try:
        return build(yaml.parse(text, Loader=_LOADER), path, max_values, values_name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"{exc.problem or exc.context or 'invalid YAML'}"
        source_lines = text.splitlines()
        if 0 < line <= len(source_lines) and "\t" in source_lines[line - 1][:column]:
            message += " (indent with spaces, not tabs)"
        raise LoadError([Problem(path, line, column, "yaml-syntax", message)]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Problem(path, 1, 1, "yaml-syntax", str(exc).splitlines()[0])]) from None


def load_text(
    text: str | bytes,
    path: str = "<string>",
    collect: bool = False,
    trusted: bool = False,
    *,
    json_only: bool = False,
    max_bytes: int | None = None,
    max_values: int | None = None,
    limit_names: tuple[str, str] = ("MAX_BYTES", "MAX_VALUES"),
) -> Document:
    """Parse one YAML (or JSON) document from text, keeping positions.

    Raises :class:`~acupoints.LoadError` listing every problem found. With ``collect``,
    duplicate keys do not stop the reading: they wait in ``Document.problems`` so that
    the caller can report them with the schema's problems (:meth:`Document.check`).
    ``json_only`` refuses text that is not JSON (a JSON Lines line). ``max_bytes`` and
    ``max_values`` replace :data:`MAX_BYTES` and :data:`MAX_VALUES` (the case format has
    its own), named in errors as ``limit_names``. ``trusted`` is accepted for symmetry
    with :func:`load_file`: every document is checked the same way.

    >>> doc = load_text("a: 1\\nb: [x, y]\\n", "demo.yaml")
    >>> doc.data, doc.where(("b", 1))
    ({'a': 1, 'b': ['x', 'y']}, (2, 8))
    """
    del trusted  # the limits are cheap enough to apply to the package's own files too
    bytes_name, values_name = limit_names
    _size_check(text, path, MAX_BYTES if max_bytes is None else max_bytes, bytes_name)
    text = decode_input(text, path)
    if not text or text.isspace():
        raise LoadError([Problem(path, 1, 1, "empty", "the file is empty")])
    values = MAX_VALUES if max_values is None else max_values
    if json_only or _looks_like_json(text):
        try:
            return load_json(text, path, collect, values, values_name)
        except JsonSyntaxError:
            if json_only:
                raise
            # Not JSON after all: a YAML flow mapping such as {a: 1} starts the same way.
    data, positions, problems = _yaml(text, path, values, values_name)
    if any(p.code != "duplicate-key" or not collect for p in problems):
        raise LoadError(problems)
    # A duplicate key keeps its first value; the problem travels with the document so
    # that the schema's problems in the same file are reported with it.
    return Document(data, path, positions, problems)


def load_file(path: Any, collect: bool = False, trusted: bool = False) -> Document:
    """Read and parse a file (a path or a Traversable); see :func:`load_text`.

    The file is read with :func:`~acupoints.io.read.read_bounded`: one larger than
    :data:`MAX_BYTES` is refused before it is read.
    """
    name = source_name(path)
    raw = read_bounded(path, MAX_BYTES, name)
    if trusted:
        # The package's own files: taken already parsed when their bytes are the ones
        # the snapshot was made from (see acupoints.io.snapshot); otherwise read as below.
        from .snapshot import lookup

        data = lookup(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
        if data is not None:
            return Document(data, name)
    return load_text(raw, name, collect)
