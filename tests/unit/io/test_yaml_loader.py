"""The safe YAML loader: plain data only, positions kept, every failure a positioned LoadError."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from acupoints.base.errors import AcupointsError, LoadError, Problem
from acupoints.io import limits
from acupoints.io import yaml as _yaml
from acupoints.io.yaml import MAX_ALIAS_VALUES, MAX_BYTES, Document, load_file, load_text
from data.payloads import BILLION_LAUGHS


def _fail(text: str | bytes, path: str = "case.yaml") -> tuple[Problem, ...]:
    """Load text that must fail; check every problem is fully positioned; return them."""
    with pytest.raises(LoadError) as info:
        load_text(text, path)
    problems = info.value.problems
    assert problems
    for p in problems:
        assert isinstance(p, Problem)
        assert p.path == path
        assert isinstance(p.line, int) and p.line >= 1
        assert isinstance(p.column, int) and p.column >= 1
        assert p.code and p.message
        assert p.severity == "error"
        assert str(p).startswith(f"{path}:{p.line}:{p.column}: error[{p.code}] ")
    assert str(info.value) == "\n".join(str(p) for p in problems)
    return problems


# -- plain data and positions -------------------------------------------------------


def test_plain_data() -> None:
    doc = load_text("s: text\ni: 3\nf: 1.5\nb: true\nn: null\nl: [1, two]\nm: {k: v}\n")
    assert isinstance(doc, Document)
    assert doc.data == {"s": "text", "i": 3, "f": 1.5, "b": True, "n": None, "l": [1, "two"], "m": {"k": "v"}}
    assert doc.path == "<string>"


def test_json_is_read() -> None:
    doc = load_text('{"a": [1, 2, {"b": "c"}]}', "x.json")
    assert doc.data == {"a": [1, 2, {"b": "c"}]}
    assert doc.where(("a", 2, "b")) == (1, 15)


def test_positions() -> None:
    text = "name: demo\npoints:\n  - code: LI4\n    region: hand\n  - code: ST36\n"
    doc = load_text(text, "demo.yaml")
    assert doc.where(()) == (1, 1)
    assert doc.where(("name",)) == (1, 1)
    assert doc.where(("points",)) == (2, 1)
    assert doc.where(("points", 0)) == (3, 5)
    assert doc.where(("points", 0, "region")) == (4, 5)
    assert doc.where(("points", 1, "code")) == (5, 5)
    # a missing key falls back to its nearest ancestor
    assert doc.where(("points", 1, "region")) == doc.where(("points", 1))
    assert doc.where(("nothing", "here")) == (1, 1)


def test_dates_stay_strings() -> None:
    assert load_text("d: 2001-12-14\n").data == {"d": "2001-12-14"}


def test_utf8_bom_and_characters() -> None:
    doc = load_text("\ufeffname: 合谷\n".encode())
    assert doc.data == {"name": "合谷"}


def test_load_file(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    for arg in (path, str(path)):
        doc = load_file(arg)
        assert doc.data == {"a": 1}
        assert doc.path == str(path)


# -- refusals -----------------------------------------------------------------------


def test_duplicate_key() -> None:
    (problem,) = _fail("a: 1\nb: 2\na: 3\n")
    assert (problem.line, problem.column, problem.code) == (3, 1, "duplicate-key")
    assert "'a'" in problem.message
    assert "line 1" in problem.message
    assert "error[duplicate-key]" in str(problem)


def test_duplicate_keys_all_reported() -> None:
    problems = _fail("top:\n  x: 1\n  x: 2\nother:\n  y: 1\n  y: 2\n")
    assert [(p.line, p.column, p.code) for p in problems] == [
        (3, 3, "duplicate-key"),
        (6, 3, "duplicate-key"),
    ]


def test_python_tag_on_sequence_is_refused(tmp_path: Path) -> None:
    """``!!python/object/apply`` must be refused, and nothing may be constructed or called."""
    marker = tmp_path / "pwned"
    text = f"x: !!python/object/apply:builtins.open [{str(marker)!r}, 'w']\n"
    try:
        problems = _fail(text)
    finally:
        assert not marker.exists(), "a Python object was constructed"
    assert [(p.line, p.code) for p in problems] == [(1, "yaml-tag")]
    assert "python/object/apply" in problems[0].message


def test_os_system_tag_is_refused() -> None:
    problems = _fail("x: !!python/object/apply:os.system ['echo hi']\n")
    assert [(p.line, p.column, p.code) for p in problems] == [(1, 4, "yaml-tag")]


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/name:os.system ''\n",
        "x: !!python/object/apply:os.system 'echo hi'\n",
        "x: !custom value\n",
        "x: !!binary aGVsbG8=\n",
        "x: !!set {a, b}\n",
        "x: !custom {a: 1}\n",
        "!!python/object/new:os.system [echo]\n",
    ],
)
def test_unknown_tags_are_refused(text: str) -> None:
    problems = _fail(text)
    assert [p.code for p in problems] == ["yaml-tag"]
    assert problems[0].line == 1


def test_merge_key_is_refused() -> None:
    (problem,) = _fail("a: &x {k: 1}\nb:\n  <<: *x\n")
    assert (problem.line, problem.column, problem.code) == (3, 3, "yaml-merge")


def test_complex_key_is_refused() -> None:
    (problem,) = _fail("? [a, b]\n: 1\n")
    assert problem.code == "yaml-key"


def test_alias_bomb_is_refused() -> None:
    (problem,) = _fail(BILLION_LAUGHS)
    assert problem.code == "too-large"
    assert str(MAX_ALIAS_VALUES) in problem.message


def test_small_alias_use_is_fine() -> None:
    doc = load_text("a: &x [1, 2]\nb: *x\n")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


def test_node_limit_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ALIAS_VALUES", 10)
    (problem,) = _fail("a: &x [1, 2, 3]\nb: [*x, *x, *x]\n")
    assert problem.code == "too-large"


def test_tab_indentation() -> None:
    (problem,) = _fail("a:\n\tb: 1\n")
    assert (problem.line, problem.column, problem.code) == (2, 1, "yaml-syntax")


def test_tab_indentation_message_says_tabs() -> None:
    """The loader means to add "(indent with spaces, not tabs)"; PyYAML's own text never says "tab"."""
    (problem,) = _fail("a:\n\tb: 1\n")
    assert "tab" in problem.message.lower()


def test_syntax_error_position() -> None:
    (problem,) = _fail("a: 1\nb: [1, 2\n")
    assert problem.code == "yaml-syntax"
    assert problem.line >= 2


@pytest.mark.parametrize(
    ("raw", "line", "column", "byte"),
    [
        ("a: café\n".encode("latin-1"), 1, 7, "0xe9"),
        (b"a: 1\nb: ok\xff\n", 2, 6, "0xff"),
        ("a: 合\nb: x\x80\n".encode()[:-3] + b"\x80\n", 2, 5, "0x80"),
    ],
)
def test_non_utf8_bytes(raw: bytes, line: int, column: int, byte: str) -> None:
    (problem,) = _fail(raw)
    assert (problem.line, problem.column, problem.code) == (line, column, "encoding")
    assert byte in problem.message


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"x: 1\ny: \xe9t\xe9\n")
    with pytest.raises(LoadError) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.column, problem.code) == (str(path), 2, 4, "encoding")


@pytest.mark.parametrize("text", ["", "   \n\n", b"", "# only a comment\n"])
def test_empty(text: str | bytes) -> None:
    (problem,) = _fail(text)
    assert (problem.line, problem.column, problem.code) == (1, 1, "empty")


def test_multiple_documents() -> None:
    (problem,) = _fail("a: 1\n---\nb: 2\n")
    assert (problem.line, problem.code) == (3, "yaml-multi")


def test_oversized_text() -> None:
    text = "a: '" + "x" * MAX_BYTES + "'\n"
    (problem,) = _fail(text)
    assert (problem.line, problem.column, problem.code) == (1, 1, "too-large")
    (problem,) = _fail(text.encode())
    assert problem.code == "too-large"


def test_oversized_file_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_yaml, "MAX_BYTES", 64)
    path = tmp_path / "big.yaml"
    # would be a syntax error if it were parsed at all
    path.write_bytes(b"a: [" + b"1, " * 100 + b"\n")
    with pytest.raises(LoadError) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.column, problem.code) == (str(path), 1, 1, "too-large")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        load_file(tmp_path / "absent.yaml")
    assert [(p.code, p.line, p.column) for p in info.value.problems] == [("not-found", 1, 1)]
    with pytest.raises(LoadError) as info:
        load_file(tmp_path)
    assert [p.code for p in info.value.problems] == ["not-a-file"]


def test_load_error_is_a_value_error_and_pickles() -> None:
    with pytest.raises(ValueError) as info:
        load_text("a: 1\na: 2\n", "dup.yaml")
    err = info.value
    assert isinstance(err, LoadError)
    assert isinstance(err, AcupointsError)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is LoadError
    assert back.problems == err.problems
    assert str(back) == str(err)
