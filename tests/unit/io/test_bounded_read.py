"""Reading and decoding: refused before the limit is passed, one policy for every input."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from acupoints import Case, CaseError, LoadError
from acupoints.case.limits import MAX_CASE_BYTES
from acupoints.cli.main import main
from acupoints.io.decode import decode_input
from acupoints.io.read import read_bounded


class _Counting(io.RawIOBase):
    """An endless stream of spaces that counts what it hands out."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        n = len(buffer)
        buffer[:n] = b" " * n
        self.given += n
        return n


def test_an_endless_stream_is_refused_after_the_limit_and_no_further() -> None:
    raw = _Counting()
    with pytest.raises(LoadError) as info:
        read_bounded(io.BufferedReader(raw), 1000, "<pipe>")
    (p,) = info.value.problems
    assert (p.path, p.code) == ("<pipe>", "too-large")
    assert "the limit is 1000 (MAX_BYTES)" in p.message
    assert raw.given <= 1000 + io.DEFAULT_BUFFER_SIZE  # one buffer past the limit at most


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_fails_fast_as_a_case_file_and_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    start = time.process_time()  # CPU time: a busy machine cannot fail it
    with pytest.raises(CaseError) as info:
        Case.from_file("/dev/zero")
    assert info.value.problems[0].code == "too-large"
    assert f"the limit is {MAX_CASE_BYTES} (MAX_CASE_BYTES)" in info.value.problems[0].message
    assert main(["suggest", "/dev/zero"]) == 2
    assert "error[too-large]" in capsys.readouterr().err
    assert time.process_time() - start < 2.0


def test_an_oversized_file_is_refused_from_its_size_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "sparse.json"
    with open(path, "wb") as f:
        f.truncate(50 * MAX_CASE_BYTES)  # sparse: reading it would take a while, stat does not
    start = time.process_time()  # CPU time: a busy machine cannot fail it
    with pytest.raises(CaseError) as info:
        Case.from_file(path)
    assert time.process_time() - start < 0.5
    (p,) = info.value.problems
    assert p.code == "too-large" and str(50 * MAX_CASE_BYTES) in p.message


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "full.bin"
    path.write_bytes(b"x" * 64)
    assert read_bounded(path, 64) == b"x" * 64
    with pytest.raises(LoadError):
        read_bounded(path, 63)


def test_text_streams_are_bounded_in_characters() -> None:
    assert read_bounded(io.StringIO("héllo"), 5) == "héllo"
    with pytest.raises(LoadError):
        read_bounded(io.StringIO("héllo!"), 5)


def test_missing_unreadable_and_folder(tmp_path: Path) -> None:
    for target, code in ((tmp_path / "absent.yaml", "not-found"), (tmp_path, "not-a-file")):
        with pytest.raises(LoadError) as info:
            read_bounded(target, 100)
        assert [p.code for p in info.value.problems] == [code]


def test_stdin_style_streams_become_cases() -> None:
    text = b'{"complaints": [{"region": "foot", "sensations": ["pain"]}]}'
    assert Case.from_stream(io.BytesIO(text), "<stdin>").regions == {"foot"}
    with pytest.raises(CaseError) as info:
        Case.from_stream(io.BytesIO(b"id: caf\xe9\n"), "<stdin>")
    assert str(info.value.problems[0]).startswith("<stdin>:1:8: error[encoding]")


# -- the decoding policy -------------------------------------------------------------


def test_one_leading_bom_is_dropped_from_bytes_and_from_text() -> None:
    assert decode_input(b"\xef\xbb\xbfa: 1", "x") == "a: 1"
    assert decode_input("\ufeffa: 1", "x") == "a: 1"
    assert decode_input(b"\xef\xbb\xbf\xef\xbb\xbfa", "x") == "\ufeffa"  # only one


@pytest.mark.parametrize(
    ("raw", "where"),
    [(b"ab\n\xffcd", (2, 1)), (b"\xc3", (1, 1)), ("x\ud800".encode("utf-8", "surrogatepass"), (1, 2))],
)
def test_bytes_that_are_not_utf8_are_placed(raw: bytes, where: tuple[int, int]) -> None:
    with pytest.raises(LoadError) as info:
        decode_input(raw, "in.txt")
    (p,) = info.value.problems
    assert (p.line, p.column, p.code) == (*where, "encoding")


def test_text_with_a_lone_surrogate_is_refused() -> None:
    # What bytes decoded with surrogateescape (a POSIX locale's stdin) look like.
    text = b'{"id": "caf\xe9"}'.decode("utf-8", "surrogateescape")
    with pytest.raises(LoadError) as info:
        decode_input(text, "<stdin>")
    (p,) = info.value.problems
    assert (p.line, p.column, p.code) == (1, 12, "encoding")
    assert "U+DCE9" in p.message
