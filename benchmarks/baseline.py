"""The speed guard rail of workload 2: the stored baseline, the ratios and their verdict.

``benchmarks/baseline.json`` holds what workload 2 measured before the knowledge issue
grew the rulebook: the ratio of the engine's rate to the plain-Python reference loop
(:mod:`benchmarks.reference`), the commit and the command it was measured with, and the
rule files and packs shipped then. A run reports its own ratio against it (the guard
rail: within 10%), and times the engine over only the rule files of that list beside the
engine over every shipped file, to show what the files added since cost.

The variants are timed in turns within each run (:func:`benchmarks.timing.interleave`),
so a swing of the machine falls on all of them alike; a ratio is of the rates over all the
runs together, whose orders of turns favour no variant. Each run's own ratio is reported
beside it, to show the spread.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "BASELINE_FILE",
    "TOLERANCE",
    "Baseline",
    "BaselineError",
    "RuleFiles",
    "baseline_lines",
    "change",
    "load_baseline",
    "paired_ratios",
    "pooled_ratio",
    "rule_files_since",
]

BASELINE_FILE = Path(__file__).resolve().parent / "baseline.json"
#: The knowledge issue's guard rail: the ratio to the reference loop stays within 10%.
TOLERANCE = 0.10
_FIELDS = {
    "reference_ratio": "the ratio of the engine's rate to the reference loop's (median of the measuring processes)",
    "runs": "the ratio measured by each process",
    "reference": "what the reference loop was",
    "commit": "the commit measured",
    "command": "the command that measured it",
    "measured": "the date",
    "rule_files": "the shipped rule files then",
    "packs": "the shipped packs then",
}


class BaselineError(Exception):
    """The baseline file is missing, not JSON, or lacks or misspells a field."""


@dataclass(frozen=True)
class Baseline:
    """What workload 2 measured before the knowledge issue."""

    reference_ratio: float
    runs: tuple[float, ...]
    reference: str
    commit: str
    command: str
    measured: str
    rule_files: tuple[str, ...]
    packs: tuple[str, ...]


def _shown(path: Path) -> str:
    """The path as the report prints it: from the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path.name


def _text(path: Path, data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value:
        raise BaselineError(f"{_shown(path)}: field '{key}' ({_FIELDS[key]}) must be a non-empty string")
    return value


def _names(path: Path, data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data[key]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise BaselineError(
            f"{_shown(path)}: field '{key}' ({_FIELDS[key]}) must be a non-empty list of names"
        )
    return tuple(value)


def _number(path: Path, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise BaselineError(
            f"{_shown(path)}: field '{key}' ({_FIELDS[key]}) must be a positive number, not {value!r}"
        )
    return float(value)


def load_baseline(path: Path = BASELINE_FILE) -> Baseline:
    """Read and check the baseline file; every fault is a :class:`BaselineError`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{_shown(path)}: cannot read the baseline ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{_shown(path)}:{exc.lineno}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise BaselineError(
            f"{_shown(path)}: the baseline must be a JSON object with fields {', '.join(_FIELDS)}"
        )
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(_FIELDS), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise BaselineError(
            f"{_shown(path)}: unknown field '{unknown[0]}' (allowed: {', '.join(_FIELDS)}){hint}"
        )
    missing = [k for k in _FIELDS if k not in data]
    if missing:
        raise BaselineError(f"{_shown(path)}: missing field '{missing[0]}' ({_FIELDS[missing[0]]})")
    runs = data["runs"]
    if not isinstance(runs, list) or not runs:
        raise BaselineError(
            f"{_shown(path)}: field 'runs' ({_FIELDS['runs']}) must be a non-empty list of numbers"
        )
    return Baseline(
        reference_ratio=_number(path, "reference_ratio", data["reference_ratio"]),
        runs=tuple(_number(path, "runs", r) for r in runs),
        reference=_text(path, data, "reference"),
        commit=_text(path, data, "commit"),
        command=_text(path, data, "command"),
        measured=_text(path, data, "measured"),
        rule_files=_names(path, data, "rule_files"),
        packs=_names(path, data, "packs"),
    )


def paired_ratios(seconds_a: Sequence[float], seconds_b: Sequence[float], n_a: int, n_b: int) -> list[float]:
    """Run by run, the rate of A over the rate of B: A did ``n_a`` items in each of
    ``seconds_a``, B ``n_b`` in the matching ``seconds_b``."""
    if len(seconds_a) != len(seconds_b) or not seconds_a:
        raise ValueError(f"runs do not pair: {len(seconds_a)} and {len(seconds_b)}")
    if min(seconds_a) <= 0 or min(seconds_b) <= 0:
        raise ValueError("a run took no time")
    return [(n_a / a) / (n_b / b) for a, b in zip(seconds_a, seconds_b, strict=True)]


def pooled_ratio(seconds_a: Sequence[float], seconds_b: Sequence[float], n_a: int, n_b: int) -> float:
    """The rate of A over the rate of B over all the runs together: A did ``n_a`` items
    in each of ``seconds_a``, B ``n_b`` in each of ``seconds_b``."""
    if len(seconds_a) != len(seconds_b) or not seconds_a:
        raise ValueError(f"runs do not pair: {len(seconds_a)} and {len(seconds_b)}")
    if min(seconds_a) <= 0 or min(seconds_b) <= 0:
        raise ValueError("a run took no time")
    return (n_a / sum(seconds_a)) / (n_b / sum(seconds_b))


def change(current: float, baseline: float) -> float:
    """The relative change from ``baseline`` to ``current`` (0.05 is 5% higher)."""
    return current / baseline - 1


@dataclass(frozen=True)
class RuleFiles:
    """The shipped rule files now, against the baseline's list."""

    kept: tuple[str, ...]  # in the baseline and still shipped: the previous rulebook
    new: tuple[str, ...]  # shipped now, not in the baseline
    gone: tuple[str, ...]  # in the baseline, no longer shipped


def rule_files_since(baseline: Baseline, shipped: Iterable[str]) -> RuleFiles:
    """Which shipped files made the rulebook before the knowledge issue, and which came since.

    Files, not packs, decide: a new file may add rules to a pack that existed before.
    """
    now = sorted(shipped)
    before = set(baseline.rule_files)
    return RuleFiles(
        kept=tuple(f for f in now if f in before),
        new=tuple(f for f in now if f not in before),
        gone=tuple(f for f in baseline.rule_files if f not in set(now)),
    )


def baseline_lines(
    ratio: float, ratios: Sequence[float], reference: str, baseline: Baseline | None, problem: str = ""
) -> list[str]:
    """The report's sentences on the ratio to the reference loop over all runs (``ratios``
    run by run; ``reference`` says what the loop is now) against the baseline, or on why
    there is none (``problem``)."""
    runs = ", ".join(f"{r:.4f}" for r in ratios)
    head = (
        f"Ratio to the reference loop: **{ratio:.4f}** over all the runs (each run's own: {runs}; they "
        "differ with the order of the turns, which all the runs together balance)."
    )
    if baseline is None:
        return [f"{head} No baseline to compare with: {problem}"]
    if baseline.reference != reference:
        # A ratio to another loop says nothing about the engine: the baseline must be measured again.
        return [
            f"{head} The baseline was measured against another reference ({baseline.reference!r}, now "
            f"{reference!r}): not comparable; measure it again on the commit before the knowledge issue."
        ]
    delta = change(ratio, baseline.reference_ratio)
    verdict = "met" if abs(delta) <= TOLERANCE else "NOT met"
    return [
        f"{head} Before the knowledge issue: {baseline.reference_ratio:.4f} (commit {baseline.commit[:10]}, "
        f"{baseline.measured}, `{baseline.command}`); now {delta:+.1%}. Guard rail (within "
        f"{TOLERANCE:.0%} of it): **{verdict}**."
    ]
