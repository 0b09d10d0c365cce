"""Bad input, in case files and in rule files: every mistake is the project's own error.

Each bad file must raise :class:`~acupoints.CaseError` or :class:`~acupoints.RuleError`
(both a :class:`~acupoints.LoadError` and a ``ValueError``) whose message names the file,
the line, the column and, where there is one, the field; an unknown word must also name
the allowed words and the closest one. On the command line the same file gives a
non-zero exit and the message, never a traceback. YAML is never built into objects.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from acupoints import (
    AcupointsError,
    Case,
    CaseError,
    Catalog,
    Engine,
    LoadError,
    Problem,
    RuleError,
    UnknownPointError,
    UnknownWordError,
    load_rulebook,
    suggest,
)
from acupoints.base.vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    NERVES,
    RED_FLAGS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TENDERNESS,
)
from acupoints.case.limits import MAX_CASE_BYTES
from acupoints.cli.main import main
from acupoints.io.yaml import MAX_BYTES
from data.paths import EXAMPLES
from data.payloads import BILLION_LAUGHS

EXAMPLE = EXAMPLES / "c6-right.yaml"

ALIAS_BOMB = BILLION_LAUGHS
DEEP = 600  # nesting depth of the "deeply nested" files: a 1.2 kB file


def _huge() -> bytes:
    return b"# " + b"x" * MAX_BYTES + b"\n"


@dataclass(frozen=True)
class Bad:
    """A bad file and what its error must say.

    ``at`` is where the error must point: a (line, column), a piece of the text whose
    first occurrence is the place, or None when any position will do. ``field`` must
    appear in the message; so must ``allowed`` (the allowed words, in order) and
    ``closest`` (as "did you mean").
    """

    id: str
    content: str | bytes | Callable[[], bytes]
    code: str | None
    at: tuple[int, int] | str | None = None
    field: str | None = None
    words: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    closest: str | None = None
    ext: str = "yaml"

    def data(self) -> bytes:
        raw = self.content() if callable(self.content) else self.content
        return raw.encode("utf-8") if isinstance(raw, str) else raw

    def position(self) -> tuple[int, int] | None:
        if self.at is None or isinstance(self.at, tuple):
            return self.at
        text = self.data().decode("utf-8", errors="replace")
        i = text.index(self.at)
        return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


# -- case files -------------------------------------------------------------------

CASE = """\
id: bad
complaints:
  - region: forearm
    aspect: dorsal
    side: right
    sensations: [numbness, pain]
    severity: 6
cause:
  kind: nerve_root_compression
  levels: [C6]
  nerve: radial
tenderness: mild
flags: [pacemaker, {flag: lymphedema, limb: arm, side: left}]
red_flags: []
"""


def case_with(old: str, new: str) -> str:
    assert old in CASE
    return CASE.replace(old, new, 1)


BAD_CASES = [
    Bad("malformed", "complaints: [\n  - region: forearm\n", "yaml-syntax", (2, 3)),
    Bad("unclosed-quote", 'id: "bad\ncomplaints: []\n', "yaml-syntax", None),
    Bad("severity-not-a-number", case_with("severity: 6", "severity: high"), "invalid-value", "severity",
        "complaints[0].severity", ("valid integer",)),
    Bad("severity-too-high", case_with("severity: 6", "severity: 11"), "invalid-value", "severity",
        "complaints[0].severity", ("less than or equal to 10",)),
    Bad("complaints-a-mapping", "complaints: {region: forearm}\n", "invalid-value", "complaints", "complaints"),
    Bad("complaints-empty", "complaints: []\n", "invalid-value", "complaints", "complaints",
        ("at least one entry",)),
    Bad("sensations-empty", case_with("[numbness, pain]", "[]"), "invalid-value", "sensations",
        "complaints[0].sensations", ("at least one entry",)),
    Bad("digit-six", case_with("severity: 6", "digits: [6]"), "invalid-value", (7, 14),
        "complaints[0].digits[0]"),
    Bad("max-points-zero", CASE + "max_points: 0\n", "invalid-value", "max_points", "max_points"),
    Bad("flags-not-a-list", case_with("flags: [pacemaker, {flag: lymphedema, limb: arm, side: left}]",
                                      "flags: pregnancy"), "invalid-value", "flags: pregnancy", "flags"),
    Bad("missing-complaints", "id: x\ntenderness: mild\n", "missing-field", (1, 1), "complaints",
        ("required",)),
    Bad("missing-sensations", "complaints:\n  - region: forearm\n", "missing-field", "region",
        "complaints[0].sensations", ("required",)),
    Bad("unknown-region", case_with("region: forearm", "region: forarm"), "unknown-word", "region: forarm",
        "complaints[0].region", allowed=REGIONS, closest="forearm"),
    Bad("unknown-aspect", case_with("aspect: dorsal", "aspect: dorsl"), "unknown-word", "aspect: dorsl",
        "complaints[0].aspect", allowed=ASPECTS, closest="dorsal"),
    Bad("unknown-side", case_with("side: right", "side: rigth"), "unknown-word", "side: rigth",
        "complaints[0].side", allowed=SIDES, closest="right"),
    Bad("unknown-sensation", case_with("[numbness, pain]", "[numbness, pian]"), "unknown-word", "pian",
        "complaints[0].sensations[1]", allowed=SENSATIONS, closest="pain"),
    Bad("unknown-cause", case_with("nerve_root_compression", "nerve_root_compresion"), "unknown-word",
        "kind: nerve_root_compresion", "cause.kind", allowed=CAUSE_KINDS, closest="nerve_root_compression"),
    Bad("unknown-nerve", case_with("nerve: radial", "nerve: radail"), "unknown-word", "nerve: radail",
        "cause.nerve", allowed=NERVES, closest="radial"),
    Bad("unknown-level", case_with("levels: [C6]", "levels: [C9]"), "unknown-word", "C9",
        "cause.levels[0]", ("unknown spinal level 'C9'", "allowed: C1, C2")),
    Bad("unknown-tenderness", case_with("tenderness: mild", "tenderness: mlid"), "unknown-word", "tenderness: mlid",
        "tenderness", allowed=TENDERNESS, closest="mild"),
    Bad("unknown-flag", case_with("[pacemaker,", "[pacemakr,"), "unknown-word", "pacemakr", "flags[0].flag",
        allowed=FLAGS, closest="pacemaker"),
    Bad("unknown-flag-in-a-mapping", case_with("flag: lymphedema", "flag: lymphoedema"), "unknown-word",
        "flag: lymphoedema", "flags[1].flag", allowed=FLAGS, closest="lymphedema"),
    Bad("unknown-limb", case_with("limb: arm", "limb: arms"), "unknown-word", "limb: arms", "flags[1].limb",
        allowed=("arm", "leg"), closest="arm"),
    Bad("unknown-red-flag", case_with("red_flags: []", "red_flags: [saddle_anaesthesia]"), "unknown-word",
        "saddle_anaesthesia", "red_flags[0]", allowed=RED_FLAGS, closest="saddle_anesthesia"),
    Bad("unknown-field", case_with("sensations:", "sensation:"), "unknown-field", "sensation:",
        "complaints[0].sensation", ("unknown field 'sensation'",),
        allowed=("region", "aspect", "side", "sensations", "severity", "digits"), closest="sensations"),
    Bad("unknown-top-field", CASE + "flag: [pregnancy]\n", "unknown-field", "flag: [", "flag",
        closest="flags"),
    Bad("field-in-angle-brackets", CASE + "<note>: hi\n", "unknown-field", "<note>", "<note>",
        ("unknown field '<note>'",)),
    Bad("field-named-like-a-validator", case_with("severity: 6", "function-after: 6"), "unknown-field",
        "function-after", "complaints[0].function-after", ("unknown field 'function-after'",)),
    Bad("empty", "", "empty", (1, 1)),
    Bad("only-spaces", "   \n\n  \n", "empty", (1, 1)),
    Bad("only-a-comment", "# nothing here\n", "empty", (1, 1)),
    Bad("huge", _huge, "too-large", (1, 1), words=(str(MAX_CASE_BYTES),)),
    Bad("alias-bomb", ALIAS_BOMB + CASE, "too-large", None, words=("alias",)),
    Bad("tabs", "complaints:\n\t- region: forearm\n\t  sensations: [pain]\n", "yaml-syntax", (2, 1),
        words=("tabs",)),
    Bad("not-utf8", CASE.encode() + b"notes: caf\xe9\n", "encoding", (15, 11), words=("0xe9",)),
    Bad("utf16", "complaints: []\n".encode("utf-16"), "encoding", (1, 1)),
    Bad("duplicate-key", case_with("    side: right\n", "    side: right\n    side: left\n"),
        "duplicate-key", "side: left", words=("'side'", "first at line 5")),
    Bad("duplicate-top-key", CASE + "tenderness: none\n", "duplicate-key", "tenderness: none",
        words=("first at line 12",)),
    Bad("a-list", "- region: forearm\n  sensations: [pain]\n", "not-a-mapping", (1, 1), words=("list",)),
    Bad("a-number", "42\n", "not-a-mapping", (1, 1)),
    Bad("two-documents", CASE + "---\n" + CASE, "yaml-multi", (16, 1)),
    Bad("merge-key", "base: &b {region: forearm}\ncomplaints:\n  - <<: *b\n    sensations: [pain]\n",
        "yaml-merge", (3, 5)),
    Bad("python-object", "complaints: !!python/object/apply:os.system ['true']\n", "yaml-tag", (1, 13),
        words=("python/object/apply:os.system",)),
    Bad("python-name", "!!python/name:os.system\n", "yaml-tag", (1, 1)),
    Bad("python-object-new", "id: !!python/object/new:builtins.dict {}\ncomplaints: []\n", "yaml-tag", (1, 5)),
    Bad("json-unknown-word", '{\n  "complaints": [\n    {"region": "forarm", "sensations": ["pain"]}\n  ]\n}\n',
        "unknown-word", '"region": "forarm"', "complaints[0].region", allowed=REGIONS, closest="forearm", ext="json"),
    Bad("json-malformed", '{\n  "complaints": [\n    {"region": "forearm",, }\n  ]\n}\n', "yaml-syntax", None,
        ext="json"),
    Bad("json-a-list", '[{"region": "forearm", "sensations": ["pain"]}]\n', "not-a-mapping", (1, 1),
        ext="json"),
    Bad("deeply-nested", "complaints: " + "[" * DEEP + "]" * DEEP + "\n", None, None),
]  # fmt: skip


def _check(exc: LoadError, bad: Bad, path: str) -> Problem:
    """The checks every error must pass; returns the problem the entry is about."""
    assert isinstance(exc, AcupointsError) and isinstance(exc, ValueError)
    assert exc.problems, "an error without problems"
    for p in exc.problems:
        assert p.path == path
        assert p.line >= 1 and p.column >= 1
        assert p.message.strip()
    lines = str(exc).splitlines()
    assert len(lines) == len(exc.problems)
    for line, p in zip(lines, exc.problems, strict=True):
        assert line.startswith(f"{path}:{p.line}:{p.column}: error[{p.code}] ")
    for p in exc.problems:
        # pydantic's own names for the branches of a union are noise to a reader.
        # (A user's own key may be called "function-after"; pydantic's tags carry brackets.)
        assert "literal[" not in p.message and "function-after[" not in p.message, str(p)
    found = [
        p
        for p in exc.problems
        if (bad.code is None or p.code == bad.code)
        and (bad.field is None or p.message.startswith(f"{bad.field}:"))
    ]
    assert found, f"no problem with code {bad.code!r} in:\n{exc}"
    p = found[0]
    where = bad.position()
    if where is not None:
        assert (p.line, p.column) == where, str(p)
    for word in bad.words:
        assert word in p.message, str(p)
    if bad.allowed:
        assert "allowed: " + ", ".join(bad.allowed) in p.message, str(p)
    if bad.closest is not None:
        assert f"(did you mean '{bad.closest}'?)" in p.message, str(p)
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is type(exc) and copy.problems == exc.problems and str(copy) == str(exc)
    return p


def _run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse: a usage error, also without a traceback
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:
        pytest.fail(f"the command line let {type(exc).__name__} escape: {str(exc)[:200]}")
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("bad", BAD_CASES, ids=lambda b: b.id)
def test_bad_case_file(bad: Bad, tmp_path: Path) -> None:
    path = tmp_path / f"case.{bad.ext}"
    path.write_bytes(bad.data())
    with pytest.raises(CaseError) as info:
        Case.from_file(path)
    _check(info.value, bad, str(path))


@pytest.mark.parametrize("bad", BAD_CASES, ids=lambda b: b.id)
def test_bad_case_text(bad: Bad) -> None:
    with pytest.raises(CaseError) as info:
        Case.from_text(bad.data(), "typed.yaml")
    _check(info.value, bad, "typed.yaml")


@pytest.mark.parametrize("bad", BAD_CASES, ids=lambda b: b.id)
def test_bad_case_on_the_command_line(bad: Bad, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"case.{bad.ext}"
    path.write_bytes(bad.data())
    code, out, err = _run_cli(["suggest", str(path), "--format", "json"], capsys)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.startswith(f"{path}:")
    if bad.code is not None:
        assert f"error[{bad.code}]" in err


def test_the_case_file_these_are_made_from_is_good(tmp_path: Path) -> None:
    # The table edits one good case; were it bad itself, the entries would prove little.
    case = Case.from_text(CASE, "good.yaml")
    assert case.complaints[0].region == "forearm" and case.flags[1].limb == "arm"
    path = tmp_path / "case.json"
    path.write_text('{"complaints": [{"region": "forearm", "sensations": ["pain"]}]}', encoding="utf-8")
    assert Case.from_file(path).complaints[0].sensations == ("pain",)
    path.write_bytes(b"\xef\xbb\xbf" + CASE.encode())
    assert Case.from_file(path).id == "bad"


def test_all_problems_of_a_case_are_reported_at_once() -> None:
    text = case_with("region: forearm", "region: forarm").replace("mild", "mlid").replace("[C6]", "[C9]")
    with pytest.raises(CaseError) as info:
        Case.from_text(text, "many.yaml")
    assert [p.code for p in info.value.problems] == ["unknown-word"] * 3
    assert [p.line for p in info.value.problems] == sorted(p.line for p in info.value.problems)


def test_duplicate_key_and_schema_problems_come_together() -> None:
    text = case_with("    side: right\n", "    side: right\n    side: left\n").replace("mild", "mlid")
    with pytest.raises(CaseError) as info:
        Case.from_text(text, "both.yaml")
    assert {p.code for p in info.value.problems} == {"duplicate-key", "unknown-word"}


def test_yaml_is_never_built_into_objects(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    payloads = [
        f"complaints: !!python/object/apply:os.system ['touch {marker}']\n",
        f"!!python/object/apply:subprocess.call [['touch', '{marker}']]\n",
        f"id: !!python/object/new:os.system ['touch {marker}']\ncomplaints: []\n",
        f"complaints:\n  - !!python/object/apply:os.system ['touch {marker}']\n",
    ]
    for text in payloads:
        with pytest.raises(CaseError) as info:
            Case.from_text(text, "evil.yaml")
        assert any(p.code == "yaml-tag" for p in info.value.problems)
        rules = tmp_path / "evil-rules.yaml"
        rules.write_text(
            f"pack: !!python/object/apply:os.system ['touch {marker}']\n" + text, encoding="utf-8"
        )
        with pytest.raises(RuleError):
            load_rulebook([rules])
    assert not marker.exists()


# -- rule files -------------------------------------------------------------------

RULES = """\
pack: test
sources:
  S1: "A source for the test"
sets:
  arm: [TE5, LI4]
rules:
  - id: r1
    source: S1
    summary: "Forearm numbness picks TE5"
    priority: 5
    when:
      complaint: {region: [forearm], sensation: [numbness]}
      flag: [pacemaker]
    select:
      - points: [TE5]
        role: local
        weight: 2
      - query: {region: [forearm], among: arm, limit: 2}
        role: distal
    exclude:
      - caution: pregnancy
        reason: "left out for the test"
"""


def rules_with(old: str, new: str) -> str:
    assert old in RULES
    return RULES.replace(old, new, 1)


BAD_RULES = [
    Bad("malformed", RULES.replace("role: local", "role: [local"), "yaml-syntax", None),
    Bad("priority-not-a-number", rules_with("priority: 5", "priority: high"), "invalid-value", "priority",
        "rules[0].priority", ("valid integer",)),
    Bad("weight-not-a-number", rules_with("weight: 2", "weight: heavy"), "invalid-value", "weight",
        "rules[0].select[0].weight"),
    Bad("rules-a-mapping", rules_with("rules:\n", "rules:\n  first:\n").replace("  - id: r1", "    id: r1"),
        "invalid-value", "rules:", "rules"),
    Bad("summary-missing", rules_with('    summary: "Forearm numbness picks TE5"\n', ""), "missing-field",
        "id: r1", "rules[0].summary", ("required",)),
    Bad("unknown-region", rules_with("[forearm], sensation", "[forarm], sensation"), "unknown-word", "forarm",
        "rules[0].when.complaint.region[0]", allowed=REGIONS, closest="forearm"),
    Bad("unknown-sensation", rules_with("[numbness]", "[numbnes]"), "unknown-word", "numbnes]",
        "rules[0].when.complaint.sensation[0]", allowed=SENSATIONS, closest="numbness"),
    Bad("unknown-flag", rules_with("[pacemaker]", "[pacemakr]"), "unknown-word", "pacemakr",
        "rules[0].when.flag[0]", allowed=FLAGS, closest="pacemaker"),
    Bad("unknown-query-region", rules_with("region: [forearm], among", "region: [forarm], among"),
        "unknown-word", "forarm], among", "rules[0].select[1].query.region[0]", allowed=REGIONS,
        closest="forearm"),
    Bad("unknown-role", rules_with("role: local", "role: locale"), "unknown-word", "role: locale",
        "rules[0].select[0].role", ("'locale'",), closest="local"),
    Bad("unknown-select-side", rules_with("role: distal", "role: distal\n        side: oposite"), "unknown-word",
        "side: oposite", "rules[0].select[1].side", ("'oposite'",), closest="opposite"),
    Bad("unknown-caution", rules_with("caution: pregnancy", "caution: pregnant"), "unknown-caution", "caution:",
        words=("unknown caution 'pregnant'",), closest="pregnancy"),
    Bad("unknown-point", rules_with("points: [TE5]", "points: [TE-55]"), "unknown-point", "TE-55",
        words=("unknown point code 'TE-55'",), closest="TE5"),
    Bad("unknown-point-in-a-set", rules_with("[TE5, LI4]", "[TE5, LI44]"), "unknown-point", "LI44",
        words=("'LI44'",), closest="LI4"),
    Bad("unknown-source", rules_with("source: S1", "source: S11"), "unknown-source", "source: S11",
        words=("unknown source 'S11'",), closest="S1"),
    Bad("unknown-set", rules_with("among: arm,", "among: arms,"), "unknown-set", "among: arms",
        words=("unknown set 'arms'",), closest="arm"),
    Bad("unknown-field", rules_with("weight: 2", "wieght: 2"), "unknown-field", "wieght",
        "rules[0].select[0].wieght", closest="weight"),
    Bad("unknown-rule-field", rules_with("priority: 5", "priorty: 5"), "unknown-field", "priorty",
        "rules[0].priorty", closest="priority"),
    Bad("field-in-angle-brackets", rules_with("priority: 5", "<priority>: 5"), "unknown-field", "<priority>",
        "rules[0].<priority>", ("unknown field '<priority>'",), closest="priority"),
    Bad("empty", "", "empty", (1, 1)),
    Bad("only-a-comment", "# no rules yet\n", "empty", (1, 1)),
    Bad("huge", _huge, "too-large", (1, 1), words=(str(MAX_BYTES),)),
    Bad("alias-bomb", ALIAS_BOMB + RULES, "too-large", None, words=("alias",)),
    Bad("tabs", RULES.replace("    source: S1\n", "\tsource: S1\n"), "yaml-syntax", (8, 1), words=("tabs",)),
    Bad("not-utf8", rules_with('"A source for the test"', '"A s\xf6urce"').encode("latin-1"), "encoding",
        (3, 11), words=("0xf6",)),
    Bad("duplicate-key", rules_with("    priority: 5\n", "    priority: 5\n    priority: 6\n"), "duplicate-key",
        "priority: 6", words=("'priority'", "first at line 10")),
    Bad("duplicate-rule-id", RULES + RULES[RULES.index("  - id: r1"):], "duplicate-id", (23, 5),
        words=("rule id 'r1' is already used",)),
    Bad("a-list", "- pack: test\n", "not-a-mapping", (1, 1)),
    Bad("python-object", "pack: !!python/object/apply:os.system ['true']\n" + RULES[RULES.index("sources"):],
        "yaml-tag", (1, 7)),
    Bad("json-unknown-word", '{\n  "pack": "test",\n  "sources": {"S1": "A source"},\n  "rules": [{\n'
        '    "id": "r1", "source": "S1", "summary": "a summary",\n    "when": {"flag": ["pacemakr"]},\n'
        '    "warn": ["a warning"]\n  }]\n}\n', "unknown-word", '"pacemakr"', "rules[0].when.flag[0]",
        closest="pacemaker", ext="json"),
    Bad("json-a-list", '[{"pack": "test"}]\n', "not-a-mapping", (1, 1), ext="json"),
    Bad("deeply-nested", "pack: test\ndescription: " + "[" * DEEP + "]" * DEEP + "\n", None, None),
]  # fmt: skip


def test_the_rule_file_these_are_made_from_is_good(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    book = load_rulebook([path])
    assert [r.id for r in book] == ["r1"] and book.packs == ("test",)
    engine = Engine.from_paths(path)
    case = {"complaints": [{"region": "forearm", "sensations": ["numbness"]}], "flags": ["pacemaker"]}
    assert engine.suggest(case).codes[0] == "TE5"


@pytest.mark.parametrize("bad", BAD_RULES, ids=lambda b: b.id)
def test_bad_rule_file(bad: Bad, tmp_path: Path) -> None:
    path = tmp_path / f"rules.{bad.ext}"
    path.write_bytes(bad.data())
    with pytest.raises(RuleError) as info:
        load_rulebook([path])
    _check(info.value, bad, str(path))


@pytest.mark.parametrize("bad", BAD_RULES, ids=lambda b: b.id)
def test_bad_rule_file_on_the_command_line(
    bad: Bad, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"rules.{bad.ext}"
    path.write_bytes(bad.data())
    code, out, err = _run_cli(["lint", str(path)], capsys)
    assert code == 1
    assert "Traceback" not in out + err
    assert out.startswith(f"{path}:")
    if bad.code is not None:
        assert f"error[{bad.code}]" in out
    code, out, err = _run_cli(["suggest", str(EXAMPLE), "--rules", str(path)], capsys)
    assert code == 2 and out == ""
    assert "Traceback" not in err
    assert err.startswith(f"{path}:")


def test_duplicate_rule_ids_across_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(RULES, encoding="utf-8")
    second.write_text(RULES.replace("pack: test", "pack: other"), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rulebook([tmp_path])
    (p,) = info.value.problems
    assert p.path == str(second) and p.code == "duplicate-id" and str(first) in p.message


def test_all_problems_of_all_rule_files_are_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(rules_with("points: [TE5]", "points: [TE-55]"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("pack: x\n\tsources: {}\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_bytes(b"pack: \xff\n")
    with pytest.raises(RuleError) as info:
        load_rulebook([tmp_path])
    assert {(Path(p.path).name, p.code) for p in info.value.problems} == {
        ("a.yaml", "unknown-point"),
        ("b.yaml", "yaml-syntax"),
        ("c.yaml", "encoding"),
    }


def test_a_missing_case_or_rule_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CaseError) as info:
        Case.from_file(tmp_path / "nope.yaml")
    assert info.value.problems[0].code == "not-found"
    with pytest.raises(CaseError) as info:
        Case.from_file(tmp_path)
    assert info.value.problems[0].code == "not-a-file"
    with pytest.raises(RuleError) as rinfo:
        load_rulebook([tmp_path / "nope.yaml"])
    assert rinfo.value.problems[0].code == "not-found"
    code, _, err = _run_cli(["suggest", str(tmp_path / "nope.yaml")], capsys)
    assert code == 2 and "not-found" in err and "Traceback" not in err


# -- the real command, in its own process ---------------------------------------------


def _subprocess(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "acupoints.cli.main", *args],
        capture_output=True, text=True, cwd=cwd, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("bad", [b for b in BAD_CASES if b.id in {"unknown-region", "python-object", "deeply-nested"}],
                         ids=lambda b: b.id)  # fmt: skip
def test_bad_case_in_a_real_process(bad: Bad, tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_bytes(bad.data())
    run = _subprocess(["suggest", "case.yaml"], tmp_path)
    assert run.returncode == 2, run.stderr[-500:]
    assert "Traceback" not in run.stderr, run.stderr[-500:]
    assert run.stderr.startswith("case.yaml:") and run.stdout == ""


@pytest.mark.parametrize("command", ["suggest", "lint"])
def test_very_deep_nesting_does_not_crash_the_process(command: str, tmp_path: Path) -> None:
    # 100,000 nested brackets (200 kB, far below the size limit) overflow a parser that
    # recurses in C: the process must still end with an error message, not a signal.
    depth = 100_000
    (tmp_path / "deep.yaml").write_text("[" * depth + "]" * depth + "\n", encoding="utf-8")
    run = _subprocess([command, "deep.yaml"], tmp_path)
    assert run.returncode > 0, f"killed by signal {-run.returncode}" if run.returncode < 0 else run.returncode
    assert "Traceback" not in run.stderr, run.stderr[-500:]
    assert "deep.yaml:" in run.stdout + run.stderr


def test_bad_case_from_standard_input_in_a_real_process(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "acupoints.cli.main", "suggest", "-"], input="complaints: [{region: forarm}]\n",
        capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith("<stdin>:1:") and "did you mean 'forearm'" in run.stderr


def test_bad_rule_file_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(rules_with("points: [TE5]", "points: [TE-55]"), encoding="utf-8")
    run = _subprocess(["lint", "rules.yaml"], tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert (
        run.stdout.startswith("rules.yaml:15:18: error[unknown-point]") and "did you mean 'TE5'" in run.stdout
    )


# -- the library API ------------------------------------------------------------------


def test_unknown_point_is_a_lookup_error() -> None:
    cat = Catalog.default()
    with pytest.raises(UnknownPointError) as info:
        cat["nope"]
    assert isinstance(info.value, LookupError) and isinstance(info.value, AcupointsError)
    assert "nope" in str(info.value)
    with pytest.raises(LookupError) as again:
        cat["LI44"]
    assert "did you mean" in str(again.value) and "'LI4'" in str(again.value)
    assert cat.get("nope") is None


def test_explaining_an_unknown_point() -> None:
    with pytest.raises(UnknownPointError):
        Engine.default().explain({"complaints": [{"region": "forearm", "sensations": ["pain"]}]}, "XX99")


@pytest.mark.parametrize(
    "data",
    [
        {"complaints": [{"region": "forarm", "sensations": ["pain"]}]},
        {"complaints": "forearm"},
        {"complaints": [{"region": "forearm", "sensations": ["pain"]}], "extra": 1},
        {},
        [],
        None,
        "complaints: []",
        42,
        {"complaints": [{"region": "forearm", "sensations": ["pain"]}], 3: "x"},
        {
            "complaints": [{"region": "forearm", "sensations": ["pain"]}],
            "flags": [{"flag": "lymphedema", "limb": 5}],
        },
        {"complaints": [{"region": "forearm", "sensations": ["pain"]}], "flags": [None]},
        {"complaints": [{"region": "forearm", "sensations": ["pain"]}], "<x>": 1},
        {"<": None},
    ],
    ids=repr,
)
def test_case_from_dict_with_bad_data(data: object) -> None:
    with pytest.raises(CaseError) as info:
        Case.from_dict(data)
    assert isinstance(info.value, ValueError)
    assert all(p.path == "<case>" for p in info.value.problems)
    with pytest.raises(CaseError):
        suggest(data)  # type: ignore[arg-type]
    with pytest.raises(CaseError):
        Engine.default().suggest(data)  # type: ignore[arg-type]


def test_case_from_dict_names_the_field_and_the_closest_word() -> None:
    with pytest.raises(CaseError) as info:
        Case.from_dict({"complaints": [{"region": "forearm", "sensations": ["numbnes"]}]}, "api-call")
    (p,) = info.value.problems
    assert p.path == "api-call" and p.code == "unknown-word"
    assert p.message.startswith("complaints[0].sensations[0]: unknown sensation 'numbnes'")
    assert "(did you mean 'numbness'?)" in p.message


@pytest.mark.parametrize(
    "exc",
    [
        LoadError([Problem("a.yaml", 1, 2, "empty", "the file is empty")]),
        CaseError(
            [Problem("c.yaml", 3, 4, "unknown-word", "x"), Problem("c.yaml", 5, 6, "missing-field", "y")]
        ),
        RuleError([Problem("r.yaml", 7, 8, "unknown-point", "z", "warning")]),
        CaseError([]),
        UnknownPointError("LI44", ("LI4", "LI14")),
        UnknownPointError("nope"),
        UnknownWordError("unknown region 'forarm'"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_every_exception_pickles(exc: AcupointsError) -> None:
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is type(exc)
    assert str(copy) == str(exc)
    assert copy.args == exc.args
    if isinstance(exc, LoadError):
        assert isinstance(copy, LoadError) and copy.problems == exc.problems
        assert all(isinstance(p, Problem) for p in copy.problems)
    if isinstance(exc, UnknownPointError):
        assert isinstance(copy, UnknownPointError)
        assert (copy.query, copy.suggestions) == (exc.query, exc.suggestions)


def test_the_exception_tree() -> None:
    assert issubclass(CaseError, LoadError) and issubclass(RuleError, LoadError)
    assert issubclass(LoadError, ValueError) and issubclass(LoadError, AcupointsError)
    assert issubclass(UnknownPointError, LookupError) and issubclass(UnknownWordError, ValueError)
    assert not issubclass(UnknownPointError, ValueError)
