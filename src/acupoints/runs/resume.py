"""Resuming an interrupted batch run from its last complete line.

While a run writes ``FILE``, the complete results so far are in ``FILE.part`` and its
*checkpoint* is in ``FILE.part.json``: which input it reads (its absolute path, size and
modification time), the settings that shape the results (the output format and the rule
files), the last input line whose outcome is in ``FILE.part`` or was reported, how many
bytes of ``FILE.part`` hold those results, and the counts so far.

- The checkpoint is written at most once a second, always after the results it counts
  have been handed to the system, and at every stop (an interrupt, ``--strict``, a full
  disk). It is replaced by a rename, so it is never half written.
- ``--resume`` reads it, checks that the input is the same file, unchanged, and the
  settings the same; it cuts ``FILE.part`` to the recorded size (results written after
  the last checkpoint, say before a ``kill -9``, are dropped and made again), skips the
  input lines up to the recorded one without reading them as cases, and goes on.
- At the end ``FILE.part`` becomes ``FILE`` and the checkpoint is removed. Without a
  checkpoint, ``--resume`` starts at line 1.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..base.errors import AcupointsError
from .target import PART_SUFFIX

__all__ = ["CHECKPOINT_SUFFIX", "Checkpoint", "ResumeError", "checkpoint_path", "input_identity", "remove"]

#: The checkpoint of a run to ``FILE`` is ``FILE.part.json``.
CHECKPOINT_SUFFIX = PART_SUFFIX + ".json"
_VERSION = 1


class ResumeError(AcupointsError, ValueError):
    """``--resume`` cannot go on from the checkpoint it found (a usage error, exit 2)."""


def checkpoint_path(output: Path) -> Path:
    """Where the checkpoint of a run writing ``output`` lives."""
    return output.with_name(output.name + CHECKPOINT_SUFFIX)


def input_identity(path: str | os.PathLike[str]) -> tuple[str, int, int]:
    """(absolute path, size, modification time in ns) of an input file."""
    found = os.stat(path)
    return os.path.abspath(path), found.st_size, found.st_mtime_ns


@dataclass(frozen=True)
class Checkpoint:
    """How far a run to a file got, and what it read and how (see the module)."""

    input: str
    size: int
    mtime_ns: int
    settings: dict[str, Any] = field(default_factory=dict)
    line: int = 0
    output_bytes: int = 0
    read: int = 0
    written: int = 0
    bad: int = 0
    blank: int = 0
    referred: int = 0
    version: int = _VERSION

    def save(self, path: Path) -> None:
        """Write the checkpoint in one step (a temporary file renamed over it)."""
        fresh = path.with_name(path.name + ".new")
        fresh.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")
        os.replace(fresh, path)

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        """The checkpoint at ``path``; None when there is none. A checkpoint that cannot
        be read is a :class:`ResumeError` (resuming from a guess could lose lines)."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ResumeError(f"{path}: cannot read the checkpoint: {exc.strerror or exc}") from None
        try:
            data = json.loads(text)
            found = cls(**data)
        except (ValueError, TypeError):
            raise ResumeError(f"{path}: not a checkpoint of this version; run without --resume") from None
        if found.version != _VERSION:
            raise ResumeError(f"{path}: a checkpoint of another version; run without --resume")
        return found

    def problem(
        self, identity: tuple[str, int, int], settings: dict[str, Any], part_size: int | None
    ) -> str | None:
        """Why the run cannot resume from here, or None when it can."""
        where, size, mtime_ns = identity
        if where != self.input:
            return f"the interrupted run read {self.input!r}, not {where!r}"
        if (size, mtime_ns) != (self.size, self.mtime_ns):
            return "the input has changed since the interrupted run"
        if settings != self.settings:
            changed = sorted(
                k for k in {*settings, *self.settings} if settings.get(k) != self.settings.get(k)
            )
            return (
                f"the interrupted run used other settings ({', '.join(changed)}); resume with the same ones"
            )
        if part_size is None:
            return "its partial output is missing"
        if part_size < self.output_bytes:
            return f"its partial output has {part_size} bytes, fewer than the {self.output_bytes} recorded"
        return None


def remove(*paths: Path) -> None:
    """Remove files that may not exist (a finished run's part and checkpoint)."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
