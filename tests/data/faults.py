"""Faults on purpose, for the reliability tests of batch runs.

:class:`FaultyEngine` is the default engine, except for cases whose id names a fault:
``raise:<ExceptionName>`` raises that builtin exception, ``exit`` ends the process at
once (a worker that dies), ``interrupt`` raises KeyboardInterrupt. It pickles as itself,
so worker processes get the same faults. :class:`FullDisk` is an output file that fails
with "No space left on device" once it holds a given number of bytes.
"""

from __future__ import annotations

import builtins
import errno
import os
from collections.abc import Mapping
from typing import IO, Any

from acupoints import Case, Engine, Suggestion


class FaultyEngine(Engine):
    """The default rules and catalogue, with faults keyed by case id."""

    def __init__(self) -> None:
        base = Engine.default()
        super().__init__(base.rulebook, base.catalog, base.max_points)

    def __reduce__(self) -> tuple[Any, ...]:
        return (FaultyEngine, ())

    def suggest(self, case: Case | Mapping[str, Any]) -> Suggestion:
        case_id = case.id if isinstance(case, Case) else case.get("id")
        if isinstance(case_id, str):
            if case_id.startswith("raise:"):
                raise getattr(builtins, case_id.split(":", 1)[1])("a fault on purpose")
            if case_id == "exit":
                os._exit(3)
            if case_id == "interrupt":
                raise KeyboardInterrupt
        return super().suggest(case)


class FullDisk:
    """A binary file that refuses to grow past ``room`` bytes, as a full disk does."""

    def __init__(self, file: IO[bytes], room: int) -> None:
        self._file = file
        self.room = room

    def write(self, data: bytes) -> int:
        if self._file.tell() + len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._file.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


__all__ = ["FaultyEngine", "FullDisk"]
