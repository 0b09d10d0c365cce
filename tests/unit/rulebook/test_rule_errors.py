"""Broken rule files and the exact lint output they must give (golden files).

Each ``tests/data/broken_rules/<name>.expected`` holds the standard output of
``acupoints lint tests/data/broken_rules/<name>.yaml`` run from the project root (a few names lint
several files together: see ``GROUPS``). The paths in it are relative, so the text holds no
path of any machine.

To regenerate the golden files after a deliberate change of a message::

    UPDATE_GOLDEN=1 python -m pytest tests/test_rule_errors.py

then review the diff.
"""

from __future__ import annotations

import os
import pickle
import re
from collections import Counter
from pathlib import Path

import pytest

from acupoints import Engine, LoadError, RuleError, load_rulebook
from acupoints.cli.main import main
from acupoints.rulebook.book import lint
from data.paths import BROKEN, ROOT

REL = "tests/data/broken_rules"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

#: Golden names that lint more than one file (default: the file of the same name).
GROUPS: dict[str, list[str]] = {
    "duplicate-id": [f"{REL}/duplicate-id-first.yaml", f"{REL}/duplicate-id-second.yaml"],
}
#: Golden files that hold the message the library should give, not the one it gives today.
LINE = re.compile(r"^tests/data/broken_rules/[\w.-]+\.yaml:\d+:\d+: error\[[a-z-]+\] \S.*$")

_GROUPED = {Path(p).name for paths in GROUPS.values() for p in paths}
#: One golden per broken file, and one per group.
GOLDENS = sorted({p.stem for p in BROKEN.glob("*.yaml") if p.name not in _GROUPED} | set(GROUPS))


def inputs(name: str) -> list[str]:
    return GROUPS.get(name, [f"{REL}/{name}.yaml"])


def run_lint(
    paths: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """``acupoints lint PATHS`` from the project root, in-process: (exit code, stdout, stderr)."""
    monkeypatch.chdir(ROOT)
    capsys.readouterr()
    code = main(["lint", *paths])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", GOLDENS)
def test_lint_output_matches_the_golden_file(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    golden = BROKEN / f"{name}.expected"
    code, out, err = run_lint(inputs(name), monkeypatch, capsys)
    if UPDATE:
        golden.write_text(out, encoding="utf-8")
    assert code == 1
    assert "Traceback" not in err
    assert out == golden.read_text(encoding="utf-8")


def test_every_broken_file_has_a_golden_and_every_golden_a_file() -> None:
    assert {p.stem for p in BROKEN.glob("*.expected")} == set(GOLDENS)
    for name in GOLDENS:
        for p in inputs(name):
            assert (ROOT / p).is_file(), p


@pytest.mark.parametrize("name", GOLDENS)
def test_golden_lines_have_the_compiler_form(name: str) -> None:
    text = (BROKEN / f"{name}.expected").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines, "a broken file gives at least one problem"
    assert text.endswith("\n")
    for line in lines:
        assert LINE.match(line), line
        assert not line.startswith("/") and "\\" not in line


def test_lint_of_the_whole_folder_reports_every_problem_at_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    each: Counter[str] = Counter()
    for name in GOLDENS:
        _, out, _ = run_lint(inputs(name), monkeypatch, capsys)
        each.update(out.splitlines())
    code, out, err = run_lint([REL], monkeypatch, capsys)
    assert code == 1
    assert Counter(out.splitlines()) == each
    assert f"{sum(each.values())} error(s) in 1 path(s)" in err
    files = {line.split(":", 1)[0] for line in out.splitlines()}
    # Every broken file is reported, except the one that is only broken with its partner
    # (its duplicate id is reported in the second file).
    assert files == {f"{REL}/{p.name}" for p in BROKEN.glob("*.yaml")} - {f"{REL}/duplicate-id-first.yaml"}


def test_the_duplicate_id_needs_both_files(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_lint([f"{REL}/duplicate-id-first.yaml"], monkeypatch, capsys)
    assert (code, out) == (0, "")
    code, out, _ = run_lint([f"{REL}/duplicate-id-second.yaml"], monkeypatch, capsys)
    assert code == 1 and "shared-forearm" not in out and "second-wrist" in out
    code, out, _ = run_lint(GROUPS["duplicate-id"], monkeypatch, capsys)
    assert (
        "rule id 'shared-forearm' is already used at tests/data/broken_rules/duplicate-id-first.yaml:" in out
    )


def test_load_rulebook_raises_every_problem_as_one_rule_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(RuleError) as info:
        load_rulebook([REL])
    exc = info.value
    assert isinstance(exc, LoadError) and isinstance(exc, ValueError)
    assert len(exc.problems) == len(lint([REL]))
    assert {p.code for p in exc.problems} >= {
        "yaml-syntax", "duplicate-key", "unknown-field", "missing-field", "unknown-point", "unknown-word",
        "duplicate-id", "unknown-source", "unknown-principle", "unknown-set", "never-true", "empty",
        "not-a-mapping",
    }  # fmt: skip
    assert str(exc).splitlines() == [str(p) for p in exc.problems]
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is RuleError and again.problems == exc.problems


def test_an_engine_cannot_be_built_from_a_broken_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(RuleError, match=r"unknown point code 'LI-44' \(did you mean 'LI4'\?\)"):
        Engine.from_paths(f"{REL}/unknown-point.yaml")


def test_a_broken_file_among_good_ones_is_still_reported(tmp_path: Path) -> None:
    """One bad file stops the load even when the shipped rules beside it are fine."""
    bad = tmp_path / "extra.yaml"
    bad.write_text((BROKEN / "unknown-point.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    shipped = ROOT / "rules"
    problems = lint([shipped, bad])
    assert [p.code for p in problems] == ["unknown-point"] * 3
    assert all(p.path == str(bad) for p in problems)
    assert lint([shipped]) == []


def test_a_rule_id_from_the_shipped_rules_cannot_be_reused(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "pack: extra\nsources: {D3: D3}\nrules:\n  - id: plan-retention-infrared\n    source: D3\n"
        "    summary: again the same id\n    when: {always: true}\n    warn: [same id]\n",
        encoding="utf-8",
    )
    problems = lint([ROOT / "rules", extra])
    assert [(p.code, p.line, p.column) for p in problems] == [("duplicate-id", 4, 5)]
    assert "20-documents-plan.yaml" in problems[0].message


def test_loading_the_rules_does_not_build_the_graph() -> None:
    # The checks of written aspects read the catalogue's points; the meridian graph costs
    # about as much as the rest of the start-up and is built when a query first needs it.
    from acupoints.catalog.catalog import Catalog
    from acupoints.io.resources import data_root
    from acupoints.rulebook.book import load_rulebook

    catalog = Catalog.from_folder(data_root())
    load_rulebook(None, catalog)
    assert "graph" not in catalog.__dict__
