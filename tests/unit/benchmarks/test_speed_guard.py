"""The speed guard rail of workload 2: the ratios, the baseline file, the reference loop,
the interleaving of runs and the report's sentences. Nothing here times anything: speed is
measured by ``python -m benchmarks``, never asserted by a test.
"""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path
from typing import Any

import pytest
from benchmarks import reference
from benchmarks.baseline import (
    BASELINE_FILE,
    Baseline,
    BaselineError,
    baseline_lines,
    change,
    load_baseline,
    paired_ratios,
    pooled_ratio,
    rule_files_since,
)
from benchmarks.cases import valid_cases
from benchmarks.real import MEASURED_AS, file_costs
from benchmarks.reference import PASSES, REFERENCE, reference_loop
from benchmarks.timing import interleave

import acupoints
from acupoints.rulebook.view import CaseView


def _baseline(**changes: Any) -> Baseline:
    fields: dict[str, Any] = {
        "reference_ratio": 0.05,
        "runs": (0.049, 0.05, 0.051),
        "reference": REFERENCE,
        "commit": "0123456789abcdef0123456789abcdef01234567",
        "command": "python -m benchmarks --only real --no-write",
        "measured": "2026-12-06",
        "rule_files": ("10-a.yaml", "30-classical.yaml", "90-safety.yaml"),
        "packs": ("documents", "classical", "safety"),
    }
    fields.update(changes)
    return Baseline(**fields)


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _as_json(b: Baseline) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in b.__dict__.items()}


# --- the arithmetic ------------------------------------------------------------------------


def test_paired_ratios_are_rate_over_rate_run_by_run() -> None:
    # A: 10 items in 2 s then in 1 s (5/s, 10/s); B: 20 items in 1 s twice (20/s).
    assert paired_ratios([2.0, 1.0], [1.0, 1.0], 10, 20) == [0.25, 0.5]
    # The same work at half the speed on both sides leaves the ratio alone.
    assert paired_ratios([4.0], [2.0], 10, 20) == paired_ratios([2.0], [1.0], 10, 20)


@pytest.mark.parametrize(("a", "b"), [([1.0, 2.0], [1.0]), ([], []), ([0.0], [1.0]), ([1.0], [0.0])])
def test_paired_ratios_refuse_runs_that_do_not_pair(a: list[float], b: list[float]) -> None:
    with pytest.raises(ValueError):
        paired_ratios(a, b, 1, 1)


def test_pooled_ratio_is_of_the_total_rates() -> None:
    # A: 10 items in 2 s then 1 s (10 items / 1.5 s a run); B: 20 items in 1 s twice.
    assert pooled_ratio([2.0, 1.0], [1.0, 1.0], 10, 20) == pytest.approx((20 / 3) / 20)
    # A slow run weighs by its time, not as one vote of two.
    assert pooled_ratio([2.0, 1.0], [1.0, 1.0], 10, 20) != pytest.approx(0.375)
    with pytest.raises(ValueError):
        pooled_ratio([1.0], [1.0, 1.0], 1, 1)
    with pytest.raises(ValueError):
        pooled_ratio([1.0], [0.0], 1, 1)


def test_change() -> None:
    assert change(0.055, 0.05) == pytest.approx(0.10)
    assert change(0.045, 0.05) == pytest.approx(-0.10)


# --- the baseline file ---------------------------------------------------------------------


def test_the_committed_baseline_loads_and_matches_the_reference_loop() -> None:
    baseline = load_baseline()
    # A changed reference loop makes the stored ratio meaningless: measure it again.
    assert baseline.reference == MEASURED_AS
    assert len(baseline.commit) == 40
    assert min(baseline.runs) <= baseline.reference_ratio <= max(baseline.runs)
    shipped = {f.name for f in acupoints.shipped_rules().iterdir() if f.name.endswith(".yaml")}
    assert set(baseline.rule_files) <= shipped
    assert set(baseline.packs) <= set(acupoints.Engine.default().rulebook.packs)


def test_a_written_baseline_reads_back(tmp_path: Path) -> None:
    b = _baseline()
    assert load_baseline(_write(tmp_path, _as_json(b))) == b


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("commit"), "missing field 'commit'"),
        (lambda d: d.update(ratio=1), "unknown field 'ratio'"),
        (lambda d: d.update(reference_ratios=1), "did you mean 'reference_ratio'?"),
        (lambda d: d.update(reference_ratio=0), "field 'reference_ratio'"),
        (lambda d: d.update(reference_ratio="0.05"), "must be a positive number"),
        (lambda d: d.update(runs=[]), "field 'runs'"),
        (lambda d: d.update(runs=[0.05, True]), "field 'runs'"),
        (lambda d: d.update(rule_files="10-a.yaml"), "field 'rule_files'"),
        (lambda d: d.update(packs=[]), "field 'packs'"),
        (lambda d: d.update(command=""), "field 'command'"),
    ],
)
def test_a_faulty_baseline_names_its_field(tmp_path: Path, edit: Any, message: str) -> None:
    data = _as_json(_baseline())
    edit(data)
    with pytest.raises(BaselineError, match=r"baseline\.json") as caught:
        load_baseline(_write(tmp_path, data))
    assert message in str(caught.value)


def test_a_missing_or_broken_baseline_file(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="cannot read"):
        load_baseline(tmp_path / "absent.json")
    with pytest.raises(BaselineError, match=r"baseline.json:2: not JSON"):
        load_baseline(_write(tmp_path, '{"reference_ratio": 0.05,\n oops}'))
    with pytest.raises(BaselineError, match="JSON object"):
        load_baseline(_write(tmp_path, [1, 2]))


def test_the_default_file_is_next_to_the_benchmarks() -> None:
    assert BASELINE_FILE.name == "baseline.json"
    assert BASELINE_FILE.parent.name == "benchmarks"


# --- the previous rulebook -----------------------------------------------------------------


def test_new_files_are_new_even_in_an_old_pack() -> None:
    shipped = ["90-safety.yaml", "10-a.yaml", "40-methods.yaml", "30-classical.yaml", "50-more.yaml"]
    files = rule_files_since(_baseline(), shipped)
    assert files.kept == ("10-a.yaml", "30-classical.yaml", "90-safety.yaml")
    assert files.new == ("40-methods.yaml", "50-more.yaml")
    assert files.gone == ()


def test_a_file_no_longer_shipped_is_reported_gone() -> None:
    files = rule_files_since(_baseline(), ["10-a.yaml", "90-safety.yaml"])
    assert files.kept == ("10-a.yaml", "90-safety.yaml")
    assert files.new == ()
    assert files.gone == ("30-classical.yaml",)


# --- the report's sentences ----------------------------------------------------------------


def test_the_guard_rail_holds_within_ten_percent() -> None:
    b = _baseline(reference_ratio=0.05)
    (ok,) = baseline_lines(0.054, [0.053, 0.054, 0.055], REFERENCE, b)
    assert "**0.0540**" in ok and "+8.0%" in ok and "**met**" in ok and "0123456789" in ok
    (low,) = baseline_lines(0.0445, [0.044, 0.0445, 0.045], REFERENCE, b)
    assert "-11.0%" in low and "**NOT met**" in low


def test_another_reference_is_not_compared() -> None:
    (line,) = baseline_lines(0.05, [0.05], "another loop", _baseline())
    assert "not comparable" in line and "met" not in line.split("not comparable")[1]


def test_no_baseline_says_why() -> None:
    (line,) = baseline_lines(0.05, [0.05], REFERENCE, None, "baseline.json: cannot read the baseline")
    assert "No baseline to compare with: baseline.json: cannot read" in line


# --- the reference loop and the interleaving -----------------------------------------------


def test_the_reference_loop_joins_ranks_and_remembers() -> None:
    cases = [
        {"id": "a", "complaints": [{"region": "neck", "side": "left", "sensations": ["pain"]}]},
        {
            "id": "b",
            "cause": {"kind": "trauma"},
            "complaints": [
                {"region": "neck", "side": "left", "sensations": ["pain"]},
                {
                    "region": "hand",
                    "aspect": "dorsal",
                    "side": "right",
                    "sensations": ["numbness", "tingling"],
                },
            ],
        },
    ]
    step, setup = reference_loop(cases, passes=2)
    a, b = step(range(0, 2))
    neck = reference._REGION["neck"] | reference._SENSATION["pain"]
    hand = reference._REGION["hand"] | reference._SENSATION["numbness"] | reference._SENSATION["tingling"]
    joined = neck | hand | reference._ASPECT["dorsal"] | reference._CAUSE["trauma"]
    assert [p["code"] for p in a["points"]] == sorted(neck, key=lambda c: (-reference._WEIGHT[c], c))
    assert [p["code"] for p in b["points"]] == sorted(joined, key=lambda c: (-reference._WEIGHT[c], c))[:12]
    assert b["id"] == "b" and all(p["weight"] == reference._WEIGHT[p["code"]] for p in b["points"])
    assert step(range(1, 2)) == [b]
    setup()  # a new run forgets what the last one remembered, and finds the same
    assert step(range(0, 2)) == [a, b]


def test_a_word_added_to_the_vocabulary_leaves_the_others_alone() -> None:
    before = reference._table("region", ["neck", "hand"])
    after = reference._table("region", ["a_new_region", "neck", "hand"])
    assert after["neck"] == before["neck"] == reference._REGION["neck"]
    assert after["hand"] == before["hand"]
    assert len(after["a_new_region"]) == 6
    assert PASSES >= 1 and "dict-walk" in REFERENCE


def test_interleaved_chunks_take_turns_and_runs_open_in_rotation() -> None:
    calls: list[tuple[str, str]] = []

    def variant(name: str, setup: bool = True) -> tuple[Any, Any]:
        def step(indices: range) -> None:
            calls.append((name, f"{indices.start}-{indices.stop}"))

        return step, (lambda: calls.append((name, "setup"))) if setup else None

    timed = interleave(
        [variant("a"), variant("b"), variant("c", setup=False)], n=5, runs=2, chunk=2, warmup=1
    )
    # Two runs asked, three made (a multiple of the three variants), after one warm-up.
    assert [len(t.cpu_seconds) for t in timed] == [3, 3, 3]
    assert all(len(t.seconds) == len(t.results) == 3 for t in timed)
    per_run = len(calls) // 4
    assert len(calls) == 4 * per_run == 4 * (2 + 3 * 3)
    runs = [calls[i * per_run : (i + 1) * per_run] for i in range(4)]
    for r, run in enumerate(runs, start=-1):
        rotation = ["abc"[(r + j) % 3] for j in range(3)]
        assert [name for name, what in run if what == "setup"] == [x for x in rotation if x != "c"]
        work = [call for call in run if call[1] != "setup"]
        chunks = [work[0:3], work[3:6], work[6:9]]
        assert [name for name, _ in chunks[0]] == rotation
        for chunk, span in zip(chunks, ("0-2", "2-4", "4-5"), strict=True):
            assert sorted(name for name, _ in chunk) == ["a", "b", "c"]
            assert {what for _, what in chunk} == {span}


@pytest.mark.parametrize(("n", "chunk"), [(0, 10), (10, 0)])
def test_interleave_needs_items_and_chunks(n: int, chunk: int) -> None:
    with pytest.raises(ValueError):
        interleave([(lambda indices: None, None)], n=n, runs=1, chunk=chunk)


def test_each_turn_collects_its_own_garbage_and_no_other_collection_runs_in_the_turns() -> None:
    class Node:
        partner: Any = None

    seen: list[tuple[str, bool, bool]] = []
    made: list[weakref.ref[Node]] = []

    def maker(indices: range) -> None:
        # A pair that refers to itself in a loop: only the collector can free it.
        a, b = Node(), Node()
        a.partner, b.partner = b, a
        made.append(weakref.ref(a))
        seen.append(("maker", gc.isenabled(), True))

    def checker(indices: range) -> None:
        # The maker's last turn, if it came just before, has collected its own pair.
        seen.append(("checker", gc.isenabled(), all(ref() is None for ref in made)))

    interleave([(maker, None), (checker, None)], n=4, runs=2, chunk=1, warmup=0)
    assert made and all(ref() is None for ref in made)
    assert all(not enabled for _, enabled, _ in seen)  # automatic collection is off in the turns
    assert all(collected for name, _, collected in seen if name == "checker")
    assert gc.isenabled()  # and on again afterwards


def test_each_added_file_is_timed_on_top_of_the_previous_files_alone() -> None:
    root, catalog = acupoints.shipped_rules(), acupoints.Catalog.default()
    kept, added = ("10-documents-selection.yaml", "90-safety.yaml"), ("30-classical.yaml", "25-library.yaml")
    previous = acupoints.Engine(acupoints.load_rulebook([root / f for f in kept], catalog), catalog)
    cases = [acupoints.Case.from_dict(d) for d in valid_cases(40, seed=3)]
    whole = acupoints.Engine(
        acupoints.load_rulebook([root / f for f in sorted(kept + added)], catalog), catalog
    )
    fired = [whole.suggest(c).rules_fired for c in cases]
    costs = file_costs(cases, previous, kept, added, fired, runs=1)
    assert [c.name for c in costs] == list(added)
    before = {r.id for r in previous.rulebook.rules}
    for cost in costs:
        alone = acupoints.load_rulebook([root / f for f in sorted((*kept, cost.name))], catalog)
        ids = {r.id for r in alone.rules} - before
        assert cost.rules == len(ids) > 0
        assert cost.fired == sum(len(ids & set(f)) for f in fired) / len(fired)
        # Tested: the file's rules among the candidates of a case that the index does not
        # settle. Those it settles always fire, and none fires outside the candidates.
        book = acupoints.Engine(alone, catalog).rulebook
        tested = 0
        for case, said in zip(cases, fired, strict=True):
            found = book.index(CaseView.of(case).features)
            settled = ids & {r.id for r in book.fired_rules(found.decided)}
            candidates = ids & {r.id for r in found.rules}
            assert settled <= ids & set(said) <= candidates
            tested += len(candidates - settled)
        assert cost.tested == tested / len(cases) <= cost.rules
        # Half of the runs in each order, each order's count rounded up to the two variants.
        assert len(cost.ratios) == 4 and all(r > 0 for r in cost.ratios) and cost.ratio > 0
        assert cost.cases == len(cases)
    assert any(c.fired > 0 for c in costs) and any(c.tested > 0 for c in costs)
