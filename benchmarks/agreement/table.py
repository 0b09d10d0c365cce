"""The agreement results as Markdown: two tables (recall, precision) per half, and what
the rules can reach at all."""

from __future__ import annotations

from .metrics import CUTS
from .run import HALVES, INDEPENDENT, METHODS, OVERALL, AgreementResult, Row

__all__ = ["TARGET_RECALL", "agreement_lines", "target_met"]

#: The knowledge issue's target: recall within the top 16 on the check half.
TARGET_RECALL = 0.75
_LABELS = {"engine": "engine", "popular": "popular", "common": "common"}


def _table(rows: list[Row], measure: str) -> list[str]:
    head = ["condition", "n"] + [f"{_LABELS[m]} @{k}" for m in METHODS for k in CUTS]
    out = ["| " + " | ".join(head) + " |", "|---|---:|" + "---:|" * (len(METHODS) * len(CUTS))]
    for row in rows:
        cells = [f"{getattr(row.scores[m][k], measure):.2f}" for m in METHODS for k in CUTS]
        name = f"**{row.group}**" if row.group in (OVERALL, INDEPENDENT) else row.group
        out.append(f"| {name} | {row.n} | " + " | ".join(cells) + " |")
    return out


def _reach_table(rows: list[Row]) -> list[str]:
    out = [
        "| condition | n | engine recall @16 | reach | points supported |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = f"**{row.group}**" if row.group in (OVERALL, INDEPENDENT) else row.group
        out.append(
            f"| {name} | {row.n} | {row.scores['engine'][16].recall:.2f} | {row.reach:.2f} | {row.supported:.1f} |"
        )
    return out


def target_met(result: AgreementResult) -> tuple[bool, list[str]]:
    """Whether the check half meets the target, and the groups that miss it."""
    missed = []
    for row in result.rows:
        if row.half != "check":
            continue
        engine, popular = row.scores["engine"][16].recall, row.scores["popular"][16].recall
        # Both overall rows must reach the target: the files read from a rule's source
        # must not be what carries the score.
        if (row.group in (OVERALL, INDEPENDENT) and engine < TARGET_RECALL) or engine <= popular:
            missed.append(row.group)
    has_check = any(row.half == "check" for row in result.rows)
    return has_check and not missed, missed


def agreement_lines(result: AgreementResult) -> list[str]:
    """The section of ``benchmarks/README.md`` that a run writes."""
    total = sum(len(v) for v in result.halves.values())
    conditions = {row.group for row in result.rows if row.group not in (OVERALL, INDEPENDENT)}
    lines = [
        "## Agreement with published prescriptions",
        "",
        "Written by `make bench` (or `python -m benchmarks --only agreement`).",
        f"{total} published prescriptions over {len(conditions)} conditions: "
        f"{len(result.halves['tune'])} in the tune half, {len(result.halves['check'])} in the check half "
        "(`benchmarks/agreement/split.yaml`). Each cell is the mean over the group's prescriptions "
        "of the share of published points found in the first k points of the list (recall) or of the "
        "share of those first k points that the publication used (precision).",
        "",
        "- **engine**: `Engine.default()`, its chosen points then its `alternatives`; "
        + ", ".join(f"{h} half {result.mean_length.get(h, 0):.1f} points on average" for h in HALVES)
        + ".",
        f"- **popular**: the 16 points the tune half's publications use most: {', '.join(result.popular)}.",
        f"- **common**: a stated list of commonly used points: {', '.join(result.common)}.",
    ]
    if result.from_rule_source:
        lines.append(
            f"- **{INDEPENDENT}**: the overall row without the {len(result.from_rule_source)} files whose "
            "points were read from a review that a shipped rule also cites "
            f"({', '.join(result.from_rule_source)})."
        )
    lines.append("")
    for half in HALVES:
        rows = [row for row in result.rows if row.half == half]
        if not rows:
            continue
        for measure in ("recall", "precision"):
            lines += [f"### {half.capitalize()} half: {measure}", "", *_table(rows, measure), ""]
    lines += [
        "### What the rules reach",
        "",
        "Not a score: a diagnosis of the misses. **reach** is the mean share of the published points "
        "among every point the engine supports for the case, with the largest point budget the case "
        "format allows (60), so no cap cuts any; **points supported** is how many that is. A published "
        "point inside the reach but outside the first 16 is a matter of ranking; one outside it is "
        "a point no rule finds for that case.",
        "",
    ]
    for half in HALVES:
        rows = [row for row in result.rows if row.half == half]
        if rows:
            lines += [f"{half.capitalize()} half:", "", *_reach_table(rows), ""]
    met, missed = target_met(result)
    verdict = "met" if met else "NOT met"
    detail = f" (short of it: {', '.join(missed)})" if missed else ""
    lines.append(
        f"Target (check half: recall within the top 16 of at least {TARGET_RECALL:.2f} overall, and above "
        f"the popular baseline for every condition): **{verdict}**{detail}. A gap between the halves is tuning."
    )
    return lines
