"""Where results go: a file replaced in one step at the end, never the input, never half.

A run that writes to a file writes to ``<file>.part`` next to it, and renames that over
the file only when every input line has been read. So the file named by ``-o`` is either
the old file or the whole new one; a run that stops early (interrupted, ``--strict``, a
full disk) leaves it as it was, and leaves the complete lines so far in ``<file>.part``
with a small JSON *checkpoint*, ``<file>.part.json``, for ``--resume`` (see
:mod:`.resume`).

Everything that can be checked before the run is: ``-o`` naming the input itself (also
through another name, a hard link or standard input redirected from it), a folder, a
missing folder, a place that cannot be written. Each is an :class:`OutputError` with one
clear line, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import IO, Any

from ..base.errors import AcupointsError

__all__ = [
    "PART_SUFFIX",
    "FileTarget",
    "OutputError",
    "SameFileError",
    "StreamTarget",
    "check_output",
    "write_atomically",
]

#: The partial output of a run to ``FILE`` is ``FILE.part``.
PART_SUFFIX = ".part"


class OutputError(AcupointsError, OSError):
    """The output cannot be written where it was asked to go (exit status 4)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.message))


class SameFileError(OutputError):
    """``-o`` names the input itself: writing would destroy it (a usage error, exit 2)."""


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _input_stat(source: Any) -> os.stat_result | None:
    """The file behind an input: a path, or an open stream's descriptor (standard input
    redirected from a file); None when there is no file to compare with."""
    try:
        if isinstance(source, (str, os.PathLike)):
            return os.stat(source)
        stream = getattr(source, "buffer", source)
        fileno = getattr(stream, "fileno", None)
        if fileno is not None:
            found = os.fstat(fileno())
            return found if stat.S_ISREG(found.st_mode) else None
    except (OSError, ValueError, AttributeError):
        return None
    return None


def check_output(output: str | os.PathLike[str], source: Any = None) -> Path:
    """``output`` as a path, once it is known it can be written and is not the input.

    Raises :class:`SameFileError` when it is the ``source`` (a path, or an open stream
    such as standard input redirected from a file), and :class:`OutputError` when it is
    a folder or its folder is missing or not a folder.
    """
    path = Path(output)
    name = str(output)
    if path.is_dir():
        raise OutputError(name, "cannot write to a folder; give the name of a file")
    folder = path.parent
    if not folder.exists():
        raise OutputError(name, f"cannot write there: the folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise OutputError(name, f"cannot write there: {str(folder)!r} is not a folder")
    here = _input_stat(source) if source is not None else None
    if here is not None:
        try:
            there = os.stat(path)
        except OSError:
            there = None
        if there is not None and _same(here, there):
            raise SameFileError(name, "is the input file; writing the results there would destroy the input")
    return path


def _open_part(part: Path, name: str, mode: str = "wb") -> IO[bytes]:
    try:
        return open(part, mode)  # the target owns it until commit or stop
    except PermissionError:
        raise OutputError(name, f"cannot write in {str(part.parent)!r}: permission denied") from None
    except OSError as exc:
        raise OutputError(name, f"cannot write {str(part)!r}: {exc.strerror or exc}") from None


class FileTarget:
    """A file written through ``<file>.part``; :meth:`commit` renames it into place.

    ``part`` is the partial file (``<file>.part`` unless given); ``append_at`` reopens an
    existing partial output and cuts it to that many bytes (what its checkpoint says is
    complete), for a resumed run.
    """

    def __init__(self, path: Path, append_at: int | None = None, part: Path | None = None) -> None:
        self.path = path
        self.name = str(path)
        self.part = part if part is not None else path.with_name(path.name + PART_SUFFIX)
        if append_at is None:
            # A part of its own name is created, never taken over ("x").
            self._file = _open_part(self.part, self.name, "wb" if part is None else "xb")
            self.size = 0
        else:
            try:
                self._file = open(self.part, "r+b")  # noqa: SIM115 - closed by commit/stop
                self._file.truncate(append_at)
                self._file.seek(append_at)
            except OSError as exc:
                raise OutputError(
                    self.name, f"cannot reopen {str(self.part)!r}: {exc.strerror or exc}"
                ) from None
            self.size = append_at

    def write(self, data: bytes) -> None:
        """Add complete lines; a failure (a full disk) is an :class:`OutputError`."""
        try:
            self._file.write(data)
        except OSError as exc:
            raise OutputError(
                self.name, f"writing {str(self.part)!r} failed: {exc.strerror or exc}"
            ) from None
        self.size += len(data)

    def flush(self) -> None:
        """Hand what is written to the system, so that a checkpoint may count it."""
        try:
            self._file.flush()
        except OSError as exc:
            raise OutputError(
                self.name, f"writing {str(self.part)!r} failed: {exc.strerror or exc}"
            ) from None

    def commit(self) -> None:
        """Make the partial output the file, in one step (keeping an old file's mode)."""
        self.flush()
        with contextlib.suppress(OSError):  # a file system without fsync still renames
            os.fsync(self._file.fileno())
        self._file.close()
        with contextlib.suppress(OSError):
            os.chmod(self.part, stat.S_IMODE(os.stat(self.path).st_mode))
        try:
            os.replace(self.part, self.path)
        except OSError as exc:
            raise OutputError(
                self.name, f"cannot rename {str(self.part)!r} to it: {exc.strerror or exc}"
            ) from None

    def stop(self) -> None:
        """Close the partial output and leave it (with its checkpoint) for ``--resume``."""
        with contextlib.suppress(OSError):
            self._file.flush()
        with contextlib.suppress(OSError):
            self._file.close()


class StreamTarget:
    """An open stream (standard output, a file object): written as it goes, not renamed.

    A text stream gets text; one with a ``buffer`` (``sys.stdout``) gets the UTF-8 bytes
    directly, so the output is UTF-8 whatever the terminal's encoding.
    """

    def __init__(self, stream: IO[Any]) -> None:
        self.name = str(getattr(stream, "name", "<output>"))
        self.size = 0
        self._text: IO[str] | None = None
        self._bytes: IO[bytes] | None = None
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            self._bytes = buffer
        elif isinstance(getattr(stream, "mode", None), str) and "b" in stream.mode:
            self._bytes = stream
        else:
            try:
                stream.write("")
                self._text = stream
            except TypeError:
                self._bytes = stream

    def write(self, data: bytes) -> None:
        if self._bytes is not None:
            self._bytes.write(data)
        else:
            assert self._text is not None
            self._text.write(data.decode("utf-8"))
        self.size += len(data)

    def flush(self) -> None:
        if self._bytes is not None:
            self._bytes.flush()
        elif self._text is not None:
            self._text.flush()

    def commit(self) -> None:
        self.flush()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.flush()


def write_atomically(output: str | os.PathLike[str], text: str, source: Any = None) -> None:
    """Write ``text`` (and a newline) to ``output`` in one step: the file is the old one or
    the new one, never a part (for ``acupoints suggest -o``). Refuses the ``source``."""
    path = check_output(output, source)
    # A name of its own, so that a batch run's partial output to the same file is safe.
    target = FileTarget(path, part=path.with_name(f".{path.name}.{os.getpid()}.tmp"))
    try:
        target.write((text + "\n").encode("utf-8"))
        target.commit()
    except BaseException:
        target.stop()
        with contextlib.suppress(OSError):
            os.unlink(target.part)
        raise
