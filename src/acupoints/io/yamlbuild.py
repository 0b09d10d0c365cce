"""Plain data built straight from the YAML parser's events, positions kept, limits checked.

No node tree is composed: each event becomes data at once, so the nesting depth and the
number of values are checked as the events stream by, before the document is held in
memory, and nothing recurses (libyaml's own composer would, in C). Aliases are counted
by what they expand to (:data:`~acupoints.io.limits.MAX_ALIAS_VALUES`): that, not the
plain size, is what marks an alias bomb. Unquoted scalars follow JSON's meaning
(:mod:`.scalars`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from ..base.errors import LoadError, Problem
from . import limits
from .document import Path_, Positions
from .jsonpos import duplicate_message
from .scalars import ScalarRefused, plain_scalar

__all__ = ["build"]

_MAP_TAGS = frozenset({None, "!", "tag:yaml.org,2002:map"})
_SEQ_TAGS = frozenset({None, "!", "tag:yaml.org,2002:seq"})
_STR_TAGS = frozenset({"!", "tag:yaml.org,2002:str"})
#: Explicit tags whose text is read as an unquoted scalar would be (``!!int 3``).
_PLAIN_TAGS = frozenset(
    {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SURROGATE = re.compile("[\ud800-\udfff]")
#: A mapping's key slot: no key yet, or a key whose value is read and dropped.
_NO_KEY = object()
_DROP = object()


class _Stop(Exception):
    """A limit is broken: stop reading at once."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _copy(value: Any) -> Any:
    """A fresh copy of plain data (nesting is bounded by MAX_DEPTH, so recursion is safe)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class _Open:
    """A mapping or list being built."""

    __slots__ = ("anchor", "data", "height", "is_list", "key", "loc", "mark", "muted", "refused", "size")

    def __init__(
        self, is_list: bool, loc: Path_, mark: tuple[int, int], muted: bool, refused: bool, anchor: str | None
    ) -> None:
        self.is_list = is_list
        self.data: Any = [] if is_list else {}
        self.loc = loc
        self.mark = mark
        self.muted = muted  # inside a complex key or a dropped value: no positions
        self.refused = refused  # its tag is refused: read, then dropped
        self.anchor = anchor
        self.key: Any = _NO_KEY  # the key waiting for its value (mappings)
        self.size = 1
        self.height = 1


class _Builder:
    def __init__(self, path: str, max_values: int, values_name: str) -> None:
        self.path = path
        self.max_values = max_values
        self.values_name = values_name
        self.positions: Positions = {}
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.stack: list[_Open] = []
        self.expanded = 0
        self.root: Any = None

    def problem(self, mark: tuple[int, int], code: str, message: str) -> None:
        self.problems.append(Problem(self.path, mark[0], mark[1], code, message))

    def stop(self, mark: tuple[int, int], code: str, message: str) -> _Stop:
        return _Stop(Problem(self.path, mark[0], mark[1], code, message))

    # -- where values go -------------------------------------------------------------
    def place(self, mark: tuple[int, int]) -> tuple[Path_, bool]:
        """Record where the next value starts; its path, and whether it is muted."""
        if not self.stack:
            self.positions.setdefault((), mark)
            return (), False
        top = self.stack[-1]
        if top.is_list:
            loc = top.loc + (len(top.data),)
            if not top.muted:
                self.positions[loc] = mark
            return loc, top.muted
        if top.key is _NO_KEY or top.key is _DROP:
            return top.loc, True  # a complex key, or a value that is dropped
        return top.loc + (top.key,), top.muted  # placed at its key already

    def put(self, value: Any, size: int, height: int, mark: tuple[int, int], plain: bool = False) -> None:
        """Add a finished value to the collection that is open (or make it the document)."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top.size += size
        if height >= top.height:
            top.height = height + 1
        if top.is_list:
            top.data.append(value)
        elif top.key is _NO_KEY:
            self.take_key(top, value, mark, plain)
        else:
            if top.key is not _DROP:
                top.data[top.key] = value
            top.key = _NO_KEY

    def take_key(self, top: _Open, key: Any, mark: tuple[int, int], plain: bool) -> None:
        top.key = _DROP
        if plain and key == "<<":
            self.problem(mark, "yaml-merge", "merge keys ('<<') are not supported")
        elif isinstance(key, (dict, list)):
            self.problem(mark, "yaml-key", "a key must be a plain value")
        elif key in top.data:
            first = self.positions.get(top.loc + (key,), mark)
            self.problem(mark, "duplicate-key", duplicate_message(key, first, mark))
        else:
            top.key = key
            if not top.muted:
                self.positions[top.loc + (key,)] = mark

    # -- events ----------------------------------------------------------------------
    def too_many(self, mark: tuple[int, int]) -> _Stop:
        what = f"more than {self.max_values} values"
        return _Stop(
            limits.over_limit(self.path, *mark, "too-large", what, self.values_name, self.max_values)
        )

    def scalar(self, event: yaml.ScalarEvent, mark: tuple[int, int]) -> Any:
        """The value of a scalar event that is quoted, a block or tagged."""
        tag, text = event.tag, event.value
        if tag is None or tag in _STR_TAGS or tag == _TIMESTAMP:
            if not text.isascii() and _SURROGATE.search(text):
                text = self.join_surrogates(text, mark)
            return text
        if tag in _PLAIN_TAGS:
            try:
                return plain_scalar(text)
            except ScalarRefused as exc:
                self.problem(mark, exc.code, exc.message)
                return None
        self.problem(mark, "yaml-tag", f"unsupported tag {tag!r}: only plain data is read")
        return None

    def join_surrogates(self, text: str, mark: tuple[int, int]) -> str:
        # Only a reader without libyaml gets here (libyaml refuses surrogate escapes).
        joined = text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
        if _SURROGATE.search(joined):
            self.problem(mark, "encoding", "a lone surrogate escape is not a character")
        return joined

    def start(self, event: Any, mark: tuple[int, int], is_map: bool) -> None:
        loc, muted = self.place(mark)
        if len(self.stack) >= limits.MAX_DEPTH:
            raise self.stop(mark, "too-deep", f"nested more than {limits.MAX_DEPTH} levels deep")
        refused = event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS)
        if refused:
            self.problem(mark, "yaml-tag", f"unsupported tag {event.tag!r}: only plain data is read")
        self.stack.append(_Open(not is_map, loc, mark, muted or refused, refused, event.anchor))

    def end(self) -> None:
        frame = self.stack.pop()
        value = None if frame.refused else frame.data
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (value, frame.size, frame.height)
        self.put(value, frame.size, frame.height, frame.mark)

    def alias(self, event: yaml.AliasEvent, mark: tuple[int, int]) -> None:
        found = self.anchors.get(event.anchor or "")
        if found is None:
            raise self.stop(mark, "yaml-syntax", f"found undefined alias {event.anchor!r}")
        value, size, height = found
        self.expanded += size
        if self.expanded > limits.MAX_ALIAS_VALUES:
            what = f"aliases expand to more than {limits.MAX_ALIAS_VALUES} values (an alias bomb?)"
            raise _Stop(
                limits.over_limit(
                    self.path, *mark, "too-large", what, "MAX_ALIAS_VALUES", limits.MAX_ALIAS_VALUES
                )
            )
        if len(self.stack) + height > limits.MAX_DEPTH:
            raise self.stop(mark, "too-deep", f"nested more than {limits.MAX_DEPTH} levels deep")
        self.place(mark)  # what the alias expands to is placed at the alias
        self.put(_copy(value), size, height, mark)

    def run(self, events: Iterable[Any]) -> Any:
        documents = values = 0
        stack, positions, limit = self.stack, self.positions, self.max_values
        for event in events:
            kind = type(event)
            if kind in _SKIP:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                continue
            start = event.start_mark
            mark = (start.line + 1, start.column + 1)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.end()
                continue
            values += 1
            if values > limit:
                raise self.too_many(mark)
            if documents > 1:
                raise self.stop(mark, "yaml-multi", "one document per file, found more")
            if kind is not yaml.ScalarEvent:
                if kind is yaml.AliasEvent:
                    self.alias(event, mark)
                else:
                    self.start(event, mark, kind is yaml.MappingStartEvent)
                continue
            # A scalar, the most common event: its way is written out here, for speed.
            plain = event.tag is None and event.implicit[0]
            if plain:
                try:
                    value = plain_scalar(event.value)
                except ScalarRefused as exc:
                    self.problem(mark, exc.code, exc.message)
                    value = None
            else:
                value = self.scalar(event, mark)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1, 0)
            if not stack:
                positions.setdefault((), mark)
                self.root = value
                continue
            top = stack[-1]
            top.size += 1
            if top.is_list:
                if not top.muted:
                    positions[top.loc + (len(top.data),)] = mark
                top.data.append(value)
            elif top.key is _NO_KEY:
                self.take_key(top, value, mark, plain)
            else:
                if top.key is not _DROP:
                    top.data[top.key] = value
                top.key = _NO_KEY
        if documents == 0:
            raise self.stop((1, 1), "empty", "the file holds no document")
        return self.root


_SKIP = frozenset(
    {yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentStartEvent, yaml.DocumentEndEvent}
)


def build(
    events: Iterable[Any], path: str, max_values: int, values_name: str
) -> tuple[Any, Positions, list[Problem]]:
    """The data, positions and problems of one YAML document's events.

    Raises :class:`~acupoints.LoadError` at once for a broken limit, a second document,
    an undefined alias or no document; other problems are returned to the caller.
    """
    builder = _Builder(path, max_values, values_name)
    try:
        data = builder.run(events)
    except _Stop as exc:
        raise LoadError([exc.problem]) from None
    return data, builder.positions, builder.problems
