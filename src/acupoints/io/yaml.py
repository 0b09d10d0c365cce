"""Safe YAML (and JSON) loading that remembers where every value came from.

Only plain data is built: mappings, sequences, strings, numbers, booleans and null.
Duplicate keys, unknown tags, alias bombs, non-UTF-8 bytes and oversized files are
reported as :class:`~acupoints.Problem` s with the file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..base.errors import LoadError, Problem

#: Files larger than this are refused before parsing (the largest data file is far smaller).
MAX_BYTES = 8 * 1024 * 1024
#: How many nodes one document may expand to; defeats "billion laughs" alias bombs.
MAX_NODES = 200_000

Path_ = tuple[str | int, ...]

#: libyaml's parser when PyYAML has it (about fifteen times faster), else the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


@dataclass
class Document:
    """A loaded document: its data and the (line, column) of every key and item."""

    data: Any
    path: str
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    #: Problems found while reading that did not stop it (duplicate keys).
    problems: list[Problem] = field(default_factory=list)

    def check(self, problems: list[Problem] | None = None) -> None:
        """Raise every problem of the reading and ``problems`` together, if there are any."""
        found = self.problems + list(problems or [])
        if found:
            raise LoadError(sorted(found, key=lambda p: (p.line, p.column)))

    def where(self, loc: Path_) -> tuple[int, int]:
        """The position of ``loc`` or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def problem(self, node: yaml.Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, code, message))

    def build(self, node: yaml.Node, loc: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node)
        self.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
            self.problem(node, "yaml-tag", f"unsupported tag {node.tag!r}: only plain data is read")
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            seen: dict[Any, yaml.Node] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problem(key_node, "yaml-merge", "merge keys ('<<') are not supported")
                    continue
                key = self.build(key_node, loc + ("<key>",))
                if isinstance(key, (dict, list)):
                    self.problem(key_node, "yaml-key", "a key must be a plain value")
                    continue
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    self.problem(key_node, "duplicate-key", f"duplicate key {key!r} (first at line {first})")
                    continue
                seen[key] = key_node
                sub = loc + (key,)
                self.positions[sub] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.build(value_node, sub)
            self.positions.pop(loc + ("<key>",), None)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        if node.tag not in _PLAIN_TAGS:
            if node.tag == "tag:yaml.org,2002:timestamp":
                return str(node.value)  # keep what the user wrote; never reinterpret a date
            self.problem(node, "yaml-tag", f"unsupported tag {node.tag!r}: only plain data is read")
            return None
        return self.constructor.construct_object(node, deep=True)


class _TooBig(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _decode(raw: bytes, path: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(
            [
                Problem(
                    path,
                    line,
                    column,
                    "encoding",
                    f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
                )
            ]
        ) from None


#: How deeply mappings and lists may nest; no real case or rule file comes near it, and
#: composing deeper documents recurses (in libyaml's C code, past the reach of Python).
MAX_DEPTH = 100


def _check_depth(text: str, path: str) -> None:
    """Refuse documents nested deeper than MAX_DEPTH, reading events (which do not recurse)."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line, column = (
                    (event.start_mark.line + 1, event.start_mark.column + 1) if event.start_mark else (1, 1)
                )
                raise LoadError(
                    [Problem(path, line, column, "too-deep",
                             f"nested more than {MAX_DEPTH} levels deep")]
                )  # fmt: skip
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def load_text(
    text: str | bytes, path: str = "<string>", collect: bool = False, trusted: bool = False
) -> Document:
    """Parse one YAML (or JSON) document from text, keeping positions.

    Raises :class:`~acupoints.LoadError` listing every problem found. With ``collect``,
    duplicate keys do not stop the reading: they wait in ``Document.problems`` so that
    the caller can report them with the schema's problems (:meth:`Document.check`).
    ``trusted`` skips the nesting-depth pre-check, for the package's own data files only.

    >>> doc = load_text("a: 1\\nb: [x, y]\\n", "demo.yaml")
    >>> doc.data, doc.where(("b", 1))
    ({'a': 1, 'b': ['x', 'y']}, (2, 8))
    """
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise LoadError(
                [Problem(path, 1, 1, "too-large", f"file is {len(text)} bytes; the limit is {MAX_BYTES}")]
            )
        text = _decode(text, path)
    elif len(text) > MAX_BYTES:
        raise LoadError(
            [Problem(path, 1, 1, "too-large", f"text is {len(text)} characters; the limit is {MAX_BYTES}")]
        )
    if not text.strip():
        raise LoadError([Problem(path, 1, 1, "empty", "the file is empty")])
    try:
        if not trusted:
            _check_depth(text, path)
        nodes = list(yaml.compose_all(text, Loader=_LOADER))
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
    except RecursionError:
        raise LoadError(
            [Problem(path, 1, 1, "too-deep", "the document is nested too deeply to read")]
        ) from None
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        raise LoadError([Problem(path, 1, 1, "empty", "the file holds no document")])
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        raise LoadError(
            [Problem(path, mark.line + 1, mark.column + 1, "yaml-multi", "one document per file, found more")]
        )
    builder = _Builder(path)
    try:
        data = builder.build(nodes[0], ())
    except RecursionError:
        raise LoadError(
            [Problem(path, 1, 1, "too-deep", "the document is nested too deeply to read")]
        ) from None
    except _TooBig as exc:
        mark = exc.node.start_mark
        raise LoadError(
            [
                Problem(
                    path,
                    mark.line + 1,
                    mark.column + 1,
                    "too-large",
                    f"the document expands to more than {MAX_NODES} values (alias bomb?)",
                )
            ]
        ) from None
    fatal = [p for p in builder.problems if p.code != "duplicate-key" or not collect]
    if fatal:
        raise LoadError(builder.problems)
    # A duplicate key keeps its first value; the problem travels with the document so
    # that the schema's problems in the same file are reported with it.
    return Document(data, path, builder.positions, list(builder.problems))


def load_file(path: Any, collect: bool = False, trusted: bool = False) -> Document:
    """Read and parse a file (a path or a Traversable); see :func:`load_text`."""
    if isinstance(path, str):
        path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LoadError([Problem(name, 1, 1, "not-found", "no such file")]) from None
    except IsADirectoryError:
        raise LoadError([Problem(name, 1, 1, "not-a-file", "this is a folder, not a file")]) from None
    except OSError as exc:
        raise LoadError([Problem(name, 1, 1, "unreadable", exc.strerror or str(exc))]) from None
    if trusted:
        # The package's own files: taken already parsed when their bytes are the ones
        # the snapshot was made from (see acupoints.io.snapshot); otherwise read as below.
        from .snapshot import lookup

        data = lookup(raw)
        if data is not None:
            return Document(data, name)
    return load_text(raw, name, collect, trusted)
