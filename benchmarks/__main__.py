"""Run the benchmarks: ``python -m benchmarks`` (or ``make bench``).

Prints every table, checks that all rule engines agree, and writes the results into
``benchmarks/README.md`` (between its markers) and ``benchmarks/results/latest.json``.
Exit status 1 when the engines of workload 1 disagree on any case.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import report
from .agreement import agreement_lines, run_agreement
from .cases import peer_cases, valid_cases
from .growth import run_growth
from .peers import all_variants, describe_rules, mismatches
from .real import run_real
from .startup import run_startup
from .synthetic import peer_rules
from .timing import repeat

HERE = Path(__file__).resolve().parent
WORKLOADS = ("peers", "real", "growth", "startup", "agreement")
#: The workloads that time the machine; the agreement benchmark scores the rules instead.
TIMED = ("peers", "real", "growth", "startup")
TARGET_REAL = 20_000
TARGET_GROWTH = 3.0
TARGET_IMPORT_ENGINE = 0.3
TARGET_CLI = 0.6


def _say(text: str) -> None:
    print(text, flush=True)


def workload_peers(n: int, runs: int, slow_runs: int) -> tuple[list[str], dict[str, Any], bool]:
    rules = peer_rules()
    cases = peer_cases(n)
    lines = [
        "### Workload 1: the same 40 rules in each engine",
        "",
        f"{describe_rules(rules)}; {n:,} cases (seeded); median of {runs} runs "
        f"({slow_runs} for the engines slower than 10,000 cases/s).",
        "",
    ]
    raw: dict[str, Any] = {}
    rows: list[report.PeerRow] = []
    agree = True
    reference: list[frozenset[str]] | None = None
    with tempfile.TemporaryDirectory(prefix="acupoints-bench-") as tmp:
        variants = all_variants(rules, cases, Path(tmp))
        try:
            for v in variants:
                if v.run is None:
                    _say(f"  {v.name}: skipped: {v.skipped}")
                    rows.append(report.PeerRow(v.name, v.kind, None, None, v.skipped or ""))
                    continue
                first = repeat(v.run, 1)
                rest = runs - 1 if first.median < n / 10_000 else slow_runs - 1
                timed = repeat(v.run, max(0, rest))
                wall = first.seconds + timed.seconds
                cpu = first.cpu_seconds + timed.cpu_seconds
                wall_rate, cpu_rate = n / statistics.median(wall), n / statistics.median(cpu)
                result = first.result
                if reference is None:
                    reference = result
                bad = mismatches(reference, result)
                note = "same points on every case" if not bad else f"DIFFERS on {len(bad)} cases"
                if bad:
                    agree = False
                    i = bad[0]
                    _say(f"  {v.name} differs on case {i}: {sorted(result[i])} != {sorted(reference[i])}")
                _say(f"  {v.name}: {cpu_rate:,.0f} cases/s CPU, {wall_rate:,.0f} wall ({len(wall)} runs)")
                rows.append(report.PeerRow(v.name, v.kind, cpu_rate, wall_rate, note))
                raw[v.name] = {
                    "cpu_cases_per_second": cpu_rate,
                    "cases_per_second": wall_rate,
                    "runs_s": wall,
                    "cpu_runs_s": cpu,
                    "mismatches": len(bad),
                }
        finally:
            for v in variants:
                if v.close is not None:
                    v.close()
    assert reference is not None
    rates = {r.name: r.cpu_rate for r in rows if r.cpu_rate is not None}
    base = rates["acupoints (dict in, validated)"]
    loop = rates["plain Python loop"]
    lines += report.peers_table(rows, base, loop)
    general = {r.name: r.cpu_rate for r in rows if r.kind == "general engine" and r.cpu_rate is not None}
    fastest = max(general.items(), key=lambda kv: kv[1]) if general else None
    matched = sum(bool(r) for r in reference)
    lines += [
        "",
        f"{matched:,} of {n:,} cases match at least one rule; "
        f"{sum(len(r) for r in reference) / n:.2f} points per case on average. "
        "Ratios are of the CPU-time rates; above 1 is faster than acupoints (dict in).",
    ]
    if fastest is not None:
        verdict = "met" if base > fastest[1] else "NOT met"
        lines.append(
            f"Target (faster than every general engine, from the same dicts): **{verdict}**; "
            f"the fastest general engine, {fastest[0]}, runs at {fastest[1] / base:.2f}x the speed of acupoints."
        )
    return lines, raw, agree


def workload_real(n: int, runs: int) -> tuple[list[str], dict[str, Any]]:
    result = run_real(valid_cases(n), runs)
    for r in result.rows:
        _say(
            f"  {r.name}: {r.cpu_cases_per_second:,.0f} cases/s CPU, {r.cases_per_second:,.0f} wall, "
            f"p50 {r.p50_us:.0f} µs, p99 {r.p99_us:.0f} µs"
        )
    main, batch = result.rows[0], result.rows[2]
    guard = result.guard
    _say(f"  ratio to the reference loop: {guard.reference_ratio:.4f} (runs: "
         f"{', '.join(f'{r:.4f}' for r in guard.reference_ratios)})")  # fmt: skip
    _say(f"  ratio to the previous rulebook: {guard.previous_ratio:.3f}")
    verdict = "met" if main.cpu_cases_per_second >= TARGET_REAL else "NOT met"
    lines = [
        "### Workload 2: the shipped rulebook",
        "",
        f"{result.rules} rules (all shipped packs) over {n:,} generated valid cases (seeded); "
        f"{result.referred:.1%} are referred (red flags), the others get {result.mean_points:.1f} points "
        f"on average; {result.mean_fired:.1f} rules fire per case. Median of {runs} runs, each with a new "
        "engine and the garbage collector as usual; the percentiles are of each case's CPU time, over one "
        "more run.",
        "",
        *report.real_table(result),
        "",
        *report.guard_lines(guard, result.rules),
        "",
        f"Target ({TARGET_REAL:,} cases/s for `Engine.suggest` with its explanations, one core, CPU time, "
        f"a new engine per run): **{verdict}** ({main.cpu_cases_per_second:,.0f}). A batch run also "
        f"reads, validates and writes each line: {batch.cpu_cases_per_second:,.0f} cases/s.",
    ]
    return lines, dataclasses.asdict(result)


def workload_growth(n: int, runs: int, sizes: tuple[int, ...]) -> tuple[list[str], dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="acupoints-bench-") as tmp:
        rows = run_growth(valid_cases(n), sizes, runs, Path(tmp))
    for r in rows:
        _say(
            f"  {r.rules} rules: {r.us_per_case:.0f} µs per case, {r.candidates:.1f} tested, {r.fired:.3f} fired"
        )
    lines = [
        "### Workload 3: growth",
        "",
        f"Synthetic rulebooks over the same {n:,} cases as workload 2 (validated once; suggest and to_dict "
        f"timed); median of {runs} runs.",
        "",
        *report.growth_table(rows),
        "",
    ]
    steps = [b.us_per_case / a.us_per_case for a, b in itertools.pairwise(rows) if b.rules == 10 * a.rules]
    if steps:
        worst = max(steps)
        verdict = "met" if worst < TARGET_GROWTH else "NOT met"
        lines.append(
            f"Each tenfold step costs {', '.join(f'{s:.1f}x' for s in steps)} the time per case. "
            f"Target (under {TARGET_GROWTH:.0f}x per tenfold step): **{verdict}**."
        )
    return lines, {"rows": [dataclasses.asdict(r) for r in rows]}


def workload_startup(runs: int) -> tuple[list[str], dict[str, Any]]:
    rows = run_startup(runs)
    for r in rows:
        _say(f"  {r.name}: median {r.median_s:.3f} s")
    by_name = {r.name: r for r in rows}
    engine = by_name["import acupoints; Engine.default()"].median_s
    cli = by_name["acupoints suggest examples/c6-right.yaml (CLI, table)"].median_s
    lines = [
        "### Workload 4: start-up",
        "",
        f"Each a new process, median and best of {runs} (after one untimed run that writes bytecode caches).",
        "",
        *report.startup_table(rows),
        "",
        f"Targets: import and default engine under {TARGET_IMPORT_ENGINE} s: "
        f"**{'met' if engine < TARGET_IMPORT_ENGINE else 'NOT met'}** ({engine:.3f} s); "
        f"cold CLI `suggest` under {TARGET_CLI} s: **{'met' if cli < TARGET_CLI else 'NOT met'}** ({cli:.3f} s).",
    ]
    return lines, {"rows": [dataclasses.asdict(r) for r in rows]}


def workload_agreement() -> tuple[list[str], dict[str, Any]]:
    result = run_agreement()
    for row in result.rows:
        engine, popular = row.scores["engine"][16].recall, row.scores["popular"][16].recall
        _say(f"  {row.half} {row.group} (n={row.n}): recall@16 engine {engine:.2f}, popular {popular:.2f}")
    raw = {
        "halves": result.halves,
        "popular": list(result.popular),
        "common": list(result.common),
        "rows": [dataclasses.asdict(row) for row in result.rows],
        "per_case": result.per_case,
    }
    return agreement_lines(result), raw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases per workload (default 10,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement; the median is reported")
    parser.add_argument("--only", action="append", choices=WORKLOADS, help="run only these workloads")
    parser.add_argument("--quick", action="store_true", help="1,000 cases, 3 runs, no 5,000-rule book")
    parser.add_argument("--no-write", action="store_true", help="print only; leave README.md and results/")
    args = parser.parse_args(argv)
    if args.quick:
        args.cases, args.runs = min(args.cases, 1_000), min(args.runs, 3)
    chosen = args.only or list(WORKLOADS)
    started = time.perf_counter()
    section = [
        "## Results",
        "",
        "Written by `make bench`; the numbers depend on the machine and on what else runs on it.",
        "",
        *report.machine(),
        "",
    ]
    raw: dict[str, Any] = {"argv": sys.argv[1:], "machine": report.machine()}
    agree = True
    real: list[str] = []
    if "real" in chosen:
        # Workload 2 runs first, in a process that has done nothing else yet, as with
        # `--only real`: its ratio to the reference loop is then measured alike in both,
        # and compared with a baseline measured that way.
        _say("workload 2: the shipped rulebook")
        real, raw["real"] = workload_real(args.cases, args.runs)
    if "peers" in chosen:
        _say("workload 1: peers")
        lines, raw["peers"], agree = workload_peers(args.cases, args.runs, max(1, min(args.runs, 3)))
        section += [*lines, ""]
    if real:
        section += [*real, ""]
    if "growth" in chosen:
        _say("workload 3: growth")
        sizes = (50, 500) if args.quick else (50, 500, 5000)
        lines, raw["growth"] = workload_growth(args.cases, max(1, min(args.runs, 3)), sizes)
        section += [*lines, ""]
    if "startup" in chosen:
        _say("workload 4: start-up")
        lines, raw["startup"] = workload_startup(max(3, args.runs))
        section += [*lines, ""]
    agreement: list[str] = []
    if "agreement" in chosen:
        _say("agreement with published prescriptions")
        agreement, raw["agreement"] = workload_agreement()
    timed = any(w in chosen for w in TIMED)
    section.append(f"The whole run took {time.perf_counter() - started:.0f} s.")
    print()
    if timed:
        print("\n".join(section))
    if agreement:
        print("\n".join(agreement))
    if not args.no_write:
        report.write_results(HERE / "README.md", section if timed else None, agreement or None)
        out = HERE / "results"
        out.mkdir(exist_ok=True)
        (out / "latest.json").write_text(json.dumps(raw, indent=2, default=str) + "\n", encoding="utf-8")
        _say(f"\nwrote {HERE / 'README.md'} and {out / 'latest.json'}")
    if not agree:
        _say("error: the engines of workload 1 do not agree (see above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
