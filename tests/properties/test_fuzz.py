"""Fuzzing: whatever comes in, only the project's own exceptions come out.

Random bytes, random text, YAML-shaped noise, valid files with a few characters changed,
and valid data with one part replaced are fed to ``Case.from_text``, ``Case.from_dict``
and ``load_rulebook``. Each call either succeeds or raises an :class:`AcupointsError`;
a raw ``KeyError``, ``TypeError``, ``RecursionError``, yaml error or pydantic
``ValidationError`` is a bug. Whatever loads is also run through the engine, which must
not fail either.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from acupoints import AcupointsError, Case, Engine, LoadError, RuleBook, load_rulebook
from acupoints.base.vocab import FLAGS, REGIONS, SENSATIONS
from acupoints.io.resources import rules_root
from data.strategies import CATALOG_CODES, cases

ENGINE = Engine.default()
RULE_FILES = {p.name: p.read_text(encoding="utf-8") for p in sorted(Path(str(rules_root())).glob("*.yaml"))}
RULE_DATA = {name: yaml.safe_load(text) for name, text in RULE_FILES.items()}
PROBE_CASES = [
    {"complaints": [{"region": "forearm", "aspect": "dorsal", "side": "right", "sensations": ["numbness"]},
                    {"region": "fingers", "digits": [1, 2], "sensations": ["tingling"]}],
     "cause": {"kind": "nerve_root_compression", "levels": ["C6"]}, "tenderness": "mild",
     "tender_points": ["BL10", "GB21"], "flags": ["pregnancy", {"flag": "lymphedema", "limb": "arm", "side": "left"}]},
    {"complaints": [{"region": "foot", "aspect": "plantar", "sensations": ["burning", "numbness"]}],
     "cause": {"kind": "diabetes"}, "flags": ["diabetic_foot", "anticoagulants", "needle_phobia"]},
    {"complaints": [{"region": "face", "sensations": ["pain"]}], "cause": {"kind": "neuralgia", "nerve": "trigeminal"}},
    {"complaints": [{"region": "leg", "sensations": ["weakness"]}], "red_flags": ["fever"]},
]  # fmt: skip

#: Pieces of YAML syntax, so that noise reaches past the first character of the parser.
YAML_TOKENS = (
    "\n", "  ", "- ", ": ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!!str ", "!!python/name:os.system ",
    "<<: ", "---\n", "...\n", "%YAML 1.1\n", "? ", "|\n", ">\n", '"', "'", "\t", "~", "null", "yes", "0x1F",
    "1e9", ".nan", "2024-01-01", "complaints", "region", "sensations", "flags", "cause", "kind", "levels",
    "rules", "pack", "sources", "when", "select", "exclude", "query", "points", "id", "role", "local",
    *REGIONS[:6], *SENSATIONS[:3], *FLAGS[:3], "LI4", "EX-B2@C5",
)  # fmt: skip
yaml_noise = st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=3), max_size=60).map("".join)

#: Keys and words that a case or a rule uses, so that random data meets the schema.
WORDS = st.sampled_from(
    ("complaints", "region", "aspect", "side", "sensations", "severity", "digits", "cause", "kind", "levels",
     "nerve", "tenderness", "tender_points", "flags", "flag", "limb", "red_flags", "max_points", "id", "notes",
     "forearm", "toes", "numbness", "pain", "left", "both", "arm", "pregnancy", "lymphedema", "fever",
     "nerve_root_compression", "C6", "L5", "LI4", "EX-B2@C5", "pronounced", "when", "select", "role",
     # names that look like pydantic's own location markers
     "<key>", "<", "function-after", "literal['affected']")
)  # fmt: skip
scalars = (
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=12) | WORDS
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(WORDS | st.text(max_size=6) | st.integers(-3, 3), inner, max_size=4)
    ),
    max_leaves=25,
)


def _ours(call: Callable[[], Any], path: str | None = None) -> Any:
    """Run ``call``; only the project's exceptions may come out, and they must be sound."""
    try:
        return call()
    except AcupointsError as exc:
        text = str(exc)
        assert text
        if isinstance(exc, LoadError):
            assert exc.problems
            for p in exc.problems:
                assert p.line >= 1 and p.column >= 1 and p.code and p.message
                if path is not None:
                    assert p.path in (path, "<case>") or Path(p.path).name == Path(path).name, p
        copy = pickle.loads(pickle.dumps(exc))
        assert type(copy) is type(exc) and str(copy) == text
        return exc
    except Exception as exc:
        pytest.fail(f"{type(exc).__module__}.{type(exc).__name__} escaped: {str(exc)[:300]}")


def _case_roundtrip(result: Any) -> None:
    """A case that loaded must run through the engine and give a JSON result."""
    if isinstance(result, Case):
        suggestion = _ours(lambda: ENGINE.suggest(result))
        if not isinstance(suggestion, AcupointsError):
            assert suggestion.to_json()


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def _load_rules(folder: Path, content: str | bytes, name: str = "fuzz.yaml") -> Any:
    path = folder / name
    path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    return _ours(lambda: load_rulebook([path]), str(path))


def _run_rulebook(result: Any) -> None:
    """Rules that loaded must run over a few varied cases without failing."""
    if isinstance(result, RuleBook):
        engine = Engine(result)
        for case in PROBE_CASES:
            suggestion = _ours(lambda c=case: engine.suggest(c))  # type: ignore[misc]
            if not isinstance(suggestion, AcupointsError):
                assert suggestion.to_json()


def _mutate_text(data: st.DataObject, text: str) -> str:
    """A few characters of ``text`` deleted, replaced or inserted."""
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        i = data.draw(st.integers(0, max(len(text) - 1, 0)), label="at")
        op = data.draw(st.sampled_from(("delete", "replace", "insert")), label="op")
        piece = data.draw(st.sampled_from(YAML_TOKENS) | st.text(max_size=2), label="piece")
        if op == "delete":
            text = text[:i] + text[i + data.draw(st.integers(1, 20), label="length") :]
        elif op == "replace":
            text = text[:i] + piece + text[i + 1 :]
        else:
            text = text[:i] + piece + text[i:]
    return text


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _leaves(v)]
    if isinstance(value, list):
        return [x for v in value for x in _leaves(v)]
    return [value]


def _mutate_data(data: st.DataObject, value: Any, pool: list[Any]) -> Any:
    """``value`` with one part replaced, removed, added to or swapped for another leaf."""
    if isinstance(value, (dict, list)) and value and data.draw(st.integers(0, 3), label="descend"):
        if isinstance(value, dict):
            key = data.draw(st.sampled_from(sorted(value, key=repr)), label="key")
            op = data.draw(st.sampled_from(("descend", "descend", "delete", "rename")), label="op")
            out = dict(value)
            if op == "delete":
                del out[key]
            elif op == "rename":
                out[data.draw(WORDS | st.text(max_size=5), label="new key")] = out.pop(key)
            else:
                out[key] = _mutate_data(data, value[key], pool)
            return out
        i = data.draw(st.integers(0, len(value) - 1), label="index")
        return [*value[:i], _mutate_data(data, value[i], pool), *value[i + 1 :]]
    choice = data.draw(st.integers(0, 3), label="replace with")
    if choice == 0:
        return data.draw(st.sampled_from(pool), label="another leaf")
    if choice == 1:
        return [value]
    if choice == 2:
        return str(value)
    return data.draw(json_values, label="random")


# -- cases ----------------------------------------------------------------------------


@given(st.binary(max_size=2_000))
def test_case_from_random_bytes(raw: bytes) -> None:
    _case_roundtrip(_ours(lambda: Case.from_text(raw, "fuzz.yaml"), "fuzz.yaml"))


@given(st.text(max_size=2_000))
def test_case_from_random_text(text: str) -> None:
    _case_roundtrip(_ours(lambda: Case.from_text(text, "fuzz.yaml"), "fuzz.yaml"))


@given(yaml_noise)
def test_case_from_yaml_shaped_noise(text: str) -> None:
    _case_roundtrip(_ours(lambda: Case.from_text(text, "fuzz.yaml"), "fuzz.yaml"))


@given(cases(), st.booleans(), st.data())
def test_case_from_a_valid_file_with_a_few_characters_changed(case: dict[str, Any], as_json: bool,
                                                              data: st.DataObject) -> None:  # fmt: skip
    import json

    text = json.dumps(case, indent=1) if as_json else yaml.safe_dump(case, sort_keys=False)
    broken = _mutate_text(data, text)
    _case_roundtrip(_ours(lambda: Case.from_text(broken, "fuzz.yaml"), "fuzz.yaml"))


@given(json_values)
def test_case_from_random_nested_data(value: Any) -> None:
    _case_roundtrip(_ours(lambda: Case.from_dict(value)))


@given(st.dictionaries(WORDS, json_values, max_size=6))
def test_case_from_random_mappings(value: dict[str, Any]) -> None:
    _case_roundtrip(_ours(lambda: Case.from_dict(value)))


@given(cases(), st.data())
def test_case_from_valid_data_with_one_part_changed(case: dict[str, Any], data: st.DataObject) -> None:
    pool = [*_leaves(case), *CATALOG_CODES[:20], "both", 11, -1, None, ""]
    changed = _mutate_data(data, case, pool)
    _case_roundtrip(_ours(lambda: Case.from_dict(changed)))


# -- rule files -----------------------------------------------------------------------


@given(st.binary(max_size=2_000))
def test_rules_from_random_bytes(workdir: Path, raw: bytes) -> None:
    _run_rulebook(_load_rules(workdir, raw))


@given(st.text(max_size=2_000) | yaml_noise)
def test_rules_from_random_text(workdir: Path, text: str) -> None:
    _run_rulebook(_load_rules(workdir, text))


@given(st.sampled_from(sorted(RULE_FILES)), st.data())
def test_rules_from_a_shipped_file_with_a_few_characters_changed(workdir: Path, name: str,
                                                                 data: st.DataObject) -> None:  # fmt: skip
    _run_rulebook(_load_rules(workdir, _mutate_text(data, RULE_FILES[name])))


@given(st.sampled_from(sorted(RULE_DATA)), st.data())
def test_rules_from_shipped_data_with_one_part_changed(workdir: Path, name: str, data: st.DataObject) -> None:
    original = RULE_DATA[name]
    pool = [*_leaves(original), *CATALOG_CODES[:30], "affected", "compressed", 0, 6, True, None]
    changed = _mutate_data(data, original, pool)
    text = yaml.safe_dump(changed, sort_keys=False, allow_unicode=True)
    _run_rulebook(_load_rules(workdir, text))


@given(json_values)
def test_rules_from_random_nested_data(workdir: Path, value: Any) -> None:
    text = yaml.safe_dump({"pack": "fuzz", "sources": {"S": "a source"}, "rules": value})
    _run_rulebook(_load_rules(workdir, text))


def test_the_fuzzed_rule_files_load_unchanged(workdir: Path) -> None:
    # The mutations start from files that load and run; were they broken already, the
    # fuzz would only ever test the first error.
    for name, text in RULE_FILES.items():
        book = _load_rules(workdir, text, name)
        assert isinstance(book, RuleBook) and len(book) > 0
        _run_rulebook(book)
