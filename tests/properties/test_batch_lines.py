"""Any bytes at all as lines of a batch: the run never stops, and never loses a valid line."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from acupoints.runs.batch import run_batch

VALID = [
    {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]},
    {"red_flags": ["fever"], "complaints": [{"region": "foot", "sensations": ["pain"]}]},
    {"complaints": [{"region": "leg", "side": "left", "sensations": ["tingling"]}], "notes": "bladder"},
]
#: Bytes that a parser finds hard: JSON's own punctuation, escapes, a BOM, CR, NUL, bytes
#: that are not UTF-8, and the start of a valid case.
HARD = st.sampled_from(
    [b"{", b"}", b"[", b"]", b'"', b"\\", b"\\u", b"d800", b":", b",", b"\r", b"\x00", b"\xef\xbb\xbf",
     b"\xff", b"\xc3", b"\xed\xa0\x80", b"NaN", b"1e999", b"9" * 40, b'{"complaints": [', b" ", b"\t"]
)  # fmt: skip
HOSTILE = st.one_of(st.binary(max_size=300), st.lists(HARD, max_size=30).map(b"".join))


@given(st.lists(st.tuples(HOSTILE, st.integers(0, len(VALID) - 1)), min_size=1, max_size=12))
def test_any_bytes_between_valid_cases_never_stop_the_run_nor_lose_one(
    pairs: list[tuple[bytes, int]],
) -> None:
    lines: list[bytes] = []
    valid: dict[int, int] = {}  # line number -> which valid case
    for hostile, which in pairs:
        lines += hostile.split(b"\n")  # a newline in the bytes ends a line, as it must
        lines.append(json.dumps({"id": f"v{len(lines) + 1}", **VALID[which]}).encode())
        valid[len(lines)] = which
    source = io.BytesIO(b"\n".join(lines) + b"\n")
    out = io.StringIO()
    stats = run_batch(source, out, progress=False)
    rows = {r["line"]: r for r in map(json.loads, out.getvalue().splitlines())}
    # Every valid case is there, at its own line; whatever else came out is a case too.
    for number in valid:
        assert rows[number]["case"] == f"v{number}"
    assert stats.written == len(rows) >= len(valid)
    assert stats.read == stats.written + stats.bad
    assert out.getvalue().encode("utf-8")  # the output is text that is UTF-8
