"""The results as Markdown, and the machine they were measured on."""

from __future__ import annotations

import datetime
import os
import platform
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .baseline import baseline_lines
from .growth import GrowthRow
from .real import FileCost, Guard, RealResult
from .startup import StartupRow

START = "<!-- results:start -->"
END = "<!-- results:end -->"
#: The agreement tables have their own markers: they measure the rules, not the machine,
#: so ``--only agreement`` refreshes them without touching the timing results.
AGREEMENT_START = "<!-- agreement:start -->"
AGREEMENT_END = "<!-- agreement:end -->"
PACKAGES = ("acupoints", "pydantic", "networkx", "PyYAML", "clipspy", "durable_rules", "rule-engine", "dask")


def _cpu() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or platform.machine()
    m = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return m.group(1).strip() if m else platform.machine()


def machine() -> list[str]:
    """Lines describing where the numbers come from."""
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    load = ""
    if hasattr(os, "getloadavg"):
        load = f"; load average at start {os.getloadavg()[0]:.2f}"
    return [
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {_cpu()}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}{load}",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        f"- Packages: {', '.join(versions)}",
    ]


def _n(x: float) -> str:
    return f"{x:,.0f}"


@dataclass(frozen=True)
class PeerRow:
    name: str
    kind: str
    cpu_rate: float | None  # cases per second of CPU time; None when skipped
    wall_rate: float | None
    note: str


def peers_table(rows: list[PeerRow], base: float, loop: float) -> list[str]:
    """Rates and ratios (of CPU-time rates) to this library and to the plain loop."""
    out = [
        "| variant | kind | cases/s (CPU) | cases/s (wall) | speed / acupoints (dict in) "
        "| speed / plain loop | note |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        if r.cpu_rate is None or r.wall_rate is None:
            out.append(f"| {r.name} | {r.kind} | skipped | | | | {r.note} |")
        else:
            out.append(
                f"| {r.name} | {r.kind} | {_n(r.cpu_rate)} | {_n(r.wall_rate)} | {r.cpu_rate / base:.2f}x "
                f"| {r.cpu_rate / loop:.3f}x | {r.note} |"
            )
    return out


def real_table(result: RealResult) -> list[str]:
    out = [
        "| path | cases/s (CPU) | cases/s (wall) | p50 per case | p99 per case |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in result.rows:
        out.append(
            f"| {r.name} | {_n(r.cpu_cases_per_second)} | {_n(r.cases_per_second)} "
            f"| {r.p50_us:,.0f} µs | {r.p99_us:,.0f} µs |"
        )
    return out


def guard_lines(guard: Guard, rules: int) -> list[str]:
    """The speed guard rail: the main row against the reference loop and the previous rulebook."""
    files = guard.files
    if guard.baseline is None:
        before = "every shipped rule file (no baseline lists the earlier ones)"
    else:
        before = f"the rule files shipped before the knowledge issue ({', '.join(files.kept)})"
    out = [
        "The main row's engine was also timed in turns with the two rows below, 250 cases at a time, "
        "each turn collecting its own garbage and the full collections kept between runs; each ratio is "
        "of the CPU-time rates over all the runs together, beside each run's own.",
        "",
        "| timed beside the main row | cases/s (CPU) | main row / this, per run | all runs |",
        "|---|---:|---|---:|",
        f"| plain-Python reference loop ({guard.reference}) | {_n(guard.reference_cpu_rate)} "
        f"| {', '.join(f'{r:.4f}' for r in guard.reference_ratios)} | {guard.reference_ratio:.4f} |",
        f"| `Engine.suggest` with the previous rulebook ({guard.previous_rules} rules) "
        f"| {_n(guard.previous_cpu_rate)} | {', '.join(f'{r:.3f}' for r in guard.previous_ratios)} "
        f"| {guard.previous_ratio:.3f} |",
        "",
        *baseline_lines(
            guard.reference_ratio, guard.reference_ratios, guard.reference, guard.baseline, guard.problem
        ),
        "",
        f"Ratio to the previous rulebook: **{guard.previous_ratio:.3f}** ({rules} rules against "
        f"{guard.previous_rules}; the previous rulebook is {before}). ",
    ]
    if files.new:
        packs = f"; new packs: {', '.join(guard.new_packs)}" if guard.new_packs else ""
        out[-1] += f"Rule files added since: {', '.join(files.new)}{packs}."
    elif guard.baseline is not None:
        out[-1] += (
            "No rule file has been added since, so the two engines are the same and the ratio is 1 give or take the noise."
        )
    if files.gone:
        out[-1] += f" No longer shipped: {', '.join(files.gone)}."
    out[-1] = out[-1].rstrip()
    if guard.file_costs:
        out += ["", *file_cost_lines(guard.file_costs)]
    return out


def file_cost_lines(costs: Sequence[FileCost]) -> list[str]:
    """What each rule file added since the baseline costs on its own."""
    n = f"{costs[0].cases:,}"
    out = [
        f"What each of those files costs on its own: the previous rulebook with that file added, timed "
        f"in turns with the previous rulebook alone as above, over the first {n} cases. The ratios do not "
        "multiply to the whole rulebook's: files that fire on the same case often find the same points, "
        "and a point is ranked once however many rules found it.",
        "",
        "| rule file | rules | of them tested per case | fired per case | with it / without it, per run "
        "| all runs |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for c in sorted(costs, key=lambda c: c.ratio):
        out.append(
            f"| {c.name} | {c.rules} | {c.tested:.2f} | {c.fired:.2f} | {', '.join(f'{r:.3f}' for r in c.ratios)} | {c.ratio:.3f} |"
        )
    return out


def growth_table(rows: list[GrowthRow]) -> list[str]:
    first = rows[0]
    out = [
        "| rules | load (s) | time per case | vs smallest | rules tested per case | rules fired per case |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r.rules:,} | {r.load_seconds:.2f} | {r.us_per_case:,.0f} µs | {r.us_per_case / first.us_per_case:.1f}x "
            f"| {r.candidates:,.1f} | {r.fired:.3f} |"
        )
    return out


def startup_table(rows: list[StartupRow]) -> list[str]:
    bare = rows[0].median_s
    out = ["| command | median | best | minus the bare interpreter |", "|---|---:|---:|---:|"]
    for r in rows:
        extra = "" if r is rows[0] else f"{r.median_s - bare:.3f} s"
        out.append(f"| `{r.name}` | {r.median_s:.3f} s | {r.best_s:.3f} s | {extra} |")
    return out


def write_readme(path: Path, section: list[str], start: str = START, end: str = END) -> None:
    """Replace one section of the README (between ``start`` and ``end``) with ``section``."""
    text = path.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{path} has no markers {start} ... {end}")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    body = "\n".join(section)
    path.write_text(f"{head}{start}\n{body}\n{end}{tail}", encoding="utf-8")


def write_results(path: Path, timed: list[str] | None, agreement: list[str] | None) -> None:
    """Write what a run measured into the README: the timings and the agreement tables each
    into their own section; a section the run did not measure stays as it was."""
    if timed is not None:
        write_readme(path, timed)
    if agreement is not None:
        write_readme(path, agreement, AGREEMENT_START, AGREEMENT_END)
