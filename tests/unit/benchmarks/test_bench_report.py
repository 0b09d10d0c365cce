"""The benchmark report: the README sections a run writes, the guard-rail sentences and
the agreement tables (both halves, both baselines, every cut). Built from made-up numbers:
nothing here times anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.agreement import CUTS, AgreementResult, Score, agreement_lines
from benchmarks.agreement.run import Row
from benchmarks.baseline import Baseline, RuleFiles
from benchmarks.real import FILE_CASES, FileCost, Guard
from benchmarks.reference import REFERENCE
from benchmarks.report import (
    AGREEMENT_END,
    AGREEMENT_START,
    END,
    START,
    guard_lines,
    write_readme,
    write_results,
)

README = Path(__file__).resolve().parents[3] / "benchmarks" / "README.md"
TEMPLATE = f"# Title\n\nmethod text\n\n{START}\nold results\n{END}\n\nbetween\n\n{AGREEMENT_START}\nold agreement\n{AGREEMENT_END}\ntail\n"


def _baseline(ratio: float = 0.05) -> Baseline:
    return Baseline(
        reference_ratio=ratio,
        runs=(ratio,),
        reference=REFERENCE,
        commit="fedcba9876543210fedcba9876543210fedcba98",
        command="python -m benchmarks --only real --no-write",
        measured="2026-12-06",
        rule_files=("10-a.yaml", "90-safety.yaml"),
        packs=("documents", "safety"),
    )


def _guard(files: RuleFiles, new_packs: tuple[str, ...] = (), baseline: Baseline | None = None,
           file_costs: tuple[FileCost, ...] = ()) -> Guard:  # fmt: skip
    return Guard(
        reference_ratio=0.051,
        previous_ratio=0.81,
        reference_ratios=(0.051, 0.052, 0.05),
        previous_ratios=(0.8, 0.82, 0.81),
        reference_cpu_rate=450_000.0,
        previous_cpu_rate=25_000.0,
        previous_rules=60,
        files=files,
        new_packs=new_packs,
        reference=REFERENCE,
        baseline=baseline,
        problem="" if baseline else "benchmarks/baseline.json: cannot read the baseline",
        file_costs=file_costs,
    )


# --- the README sections -------------------------------------------------------------------


def test_a_section_replaces_only_its_own_markers(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text(TEMPLATE, encoding="utf-8")
    write_readme(path, ["## Results", "new"])
    text = path.read_text(encoding="utf-8")
    assert f"{START}\n## Results\nnew\n{END}" in text
    assert "old results" not in text and "old agreement" in text and text.startswith("# Title\n\nmethod text")
    write_readme(path, ["agreement now"], AGREEMENT_START, AGREEMENT_END)
    text = path.read_text(encoding="utf-8")
    assert "## Results\nnew" in text and f"{AGREEMENT_START}\nagreement now\n{AGREEMENT_END}\ntail\n" in text


def test_a_readme_without_markers_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no markers"):
        write_readme(path, ["x"])


def test_a_full_run_writes_both_sections_and_a_partial_one_only_its_own(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text(TEMPLATE, encoding="utf-8")
    write_results(path, ["timings"], ["agreement"])
    text = path.read_text(encoding="utf-8")
    assert f"{START}\ntimings\n{END}" in text and f"{AGREEMENT_START}\nagreement\n{AGREEMENT_END}" in text
    write_results(path, None, ["agreement 2"])
    text = path.read_text(encoding="utf-8")
    assert "timings" in text and "agreement 2" in text
    write_results(path, ["timings 2"], None)
    assert "timings 2" in path.read_text(encoding="utf-8") and "agreement 2" in path.read_text(
        encoding="utf-8"
    )


def test_the_committed_readme_has_both_sections_with_both_halves_and_baselines() -> None:
    text = README.read_text(encoding="utf-8")
    for marker in (START, END, AGREEMENT_START, AGREEMENT_END):
        assert text.count(marker) == 1, marker
    agreement = text.split(AGREEMENT_START)[1].split(AGREEMENT_END)[0]
    for half in ("Tune", "Check"):
        for measure in ("recall", "precision"):
            assert f"### {half} half: {measure}" in agreement
    for method in ("engine", "popular", "common"):
        for k in CUTS:
            assert f"{method} @{k}" in agreement
    assert "| **overall** |" in agreement
    results = text.split(START)[1].split(END)[0]
    assert "Ratio to the reference loop" in results and "Ratio to the previous rulebook" in results


# --- the guard rail ------------------------------------------------------------------------


def test_the_guard_lines_name_the_new_files_and_packs() -> None:
    files = RuleFiles(
        kept=("10-a.yaml", "90-safety.yaml"), new=("40-methods.yaml", "50-evidence.yaml"), gone=()
    )
    text = "\n".join(guard_lines(_guard(files, ("evidence",), _baseline()), rules=90))
    assert "**0.0510**" in text and "0.0510, 0.0520, 0.0500" in text  # the median of the runs, and each run
    assert "+2.0%" in text and "**met**" in text and "fedcba9876" in text
    assert "**0.810**" in text and "90 rules against 60" in text
    assert "(10-a.yaml, 90-safety.yaml)" in text
    assert "Rule files added since: 40-methods.yaml, 50-evidence.yaml; new packs: evidence." in text
    assert "| 450,000 |" in text and "| 25,000 |" in text


def test_the_guard_lines_without_new_files_or_baseline() -> None:
    same = RuleFiles(kept=("10-a.yaml", "90-safety.yaml"), new=(), gone=())
    text = "\n".join(guard_lines(_guard(same, baseline=_baseline(0.04)), rules=60))
    assert "No rule file has been added since" in text
    assert "+27.5%" in text and "**NOT met**" in text
    text = "\n".join(guard_lines(_guard(same), rules=60))
    assert "No baseline to compare with: benchmarks/baseline.json" in text
    assert "every shipped rule file" in text
    gone = RuleFiles(kept=("10-a.yaml",), new=(), gone=("90-safety.yaml",))
    assert "No longer shipped: 90-safety.yaml." in "\n".join(
        guard_lines(_guard(gone, baseline=_baseline()), 60)
    )


def test_each_added_file_gets_its_cost_row_dearest_first() -> None:
    files = RuleFiles(kept=("10-a.yaml",), new=("40-methods.yaml", "50-evidence.yaml"), gone=())
    costs = (
        FileCost(
            "50-evidence.yaml", rules=14, tested=0.7, fired=0.6, ratio=0.87, ratios=(0.86, 0.88), cases=4000
        ),
        FileCost(
            "40-methods.yaml", rules=20, tested=6.2, fired=4.4, ratio=0.61, ratios=(0.6, 0.62), cases=4000
        ),
    )
    lines = guard_lines(_guard(files, baseline=_baseline(), file_costs=costs), rules=90)
    rows = [line for line in lines if line.startswith("| 40-") or line.startswith("| 50-")]
    assert rows == [
        "| 40-methods.yaml | 20 | 6.20 | 4.40 | 0.600, 0.620 | 0.610 |",
        "| 50-evidence.yaml | 14 | 0.70 | 0.60 | 0.860, 0.880 | 0.870 |",
    ]
    assert "over the first 4,000 cases" in "\n".join(lines)
    # The workloads' description names the same number of cases as the harness times.
    assert f"over the first {FILE_CASES:,} cases" in (
        Path(__file__).parents[3] / "benchmarks" / "README.md"
    ).read_text(encoding="utf-8")
    # Without costs (no baseline, or no file added) there is no such table.
    assert not any("| rule file |" in line for line in guard_lines(_guard(files, baseline=_baseline()), 90))


# --- the agreement tables ------------------------------------------------------------------


def _row(half: str, group: str, n: int, engine: float) -> Row:
    scores = {
        "engine": {k: Score(engine, 0.5) for k in CUTS},
        "popular": {k: Score(0.6, 0.25) for k in CUTS},
        "common": {k: Score(0.4, 0.125) for k in CUTS},
    }
    return Row(half=half, group=group, n=n, scores=scores, reach=engine + 0.1, supported=14.0)


def test_the_agreement_section_has_both_halves_both_baselines_and_every_cut() -> None:
    result = AgreementResult(
        rows=(
            _row("tune", "sciatica", 2, 0.7),
            _row("tune", "overall", 2, 0.7),
            _row("check", "sciatica", 1, 0.8),
            _row("check", "overall", 1, 0.8),
        ),
        popular=("LI4", "ST36"),
        common=("LI4", "LR3"),
        halves={"tune": ["a", "b"], "check": ["c"]},
        mean_length={"tune": 10.0, "check": 12.0},
    )
    lines = agreement_lines(result)
    text = "\n".join(lines)
    headings = [line for line in lines if line.startswith("### ")]
    assert headings == [
        "### Tune half: recall",
        "### Tune half: precision",
        "### Check half: recall",
        "### Check half: precision",
        "### What the rules reach",
    ]
    # The reach table: recall@16 beside the share of published points any rule supports.
    assert "| **overall** | 1 | 0.80 | 0.90 | 14.0 |" in text
    header = next(line for line in lines if line.startswith("| condition"))
    cells = [f"{m} @{k}" for m in ("engine", "popular", "common") for k in CUTS]
    assert header == "| condition | n | " + " | ".join(cells) + " |"
    assert "| **overall** | 1 | 0.80 | 0.80 | 0.80 | 0.60 | 0.60 | 0.60 | 0.40 | 0.40 | 0.40 |" in text
    assert "| **overall** | 2 | 0.50 | 0.50 | 0.50 | 0.25 | 0.25 | 0.25 | 0.12 | 0.12 | 0.12 |" in text
    assert "3 published prescriptions over 1 conditions: 2 in the tune half, 1 in the check half" in text
    assert "**popular**" in text and "LI4, ST36" in text and "**common**" in text and "LI4, LR3" in text
    # The check half's overall recall@16 is 0.80 >= 0.75 and above the popular 0.60 everywhere.
    assert "**met**" in text
