"""A suggestion as CDS Hooks cards: the summary, the ranked points, and any referral.

Cards follow the CDS Hooks specification (Card, Source, Suggestion and Action): a
summary under 140 characters, details in GitHub-flavoured Markdown, no null or empty
members. A referral is always its own ``critical`` card, and a result that refers
gets no points card and no order: red flags answer with the referral.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from .. import __version__
from ..render.text import ALTERNATIVES
from .orders import service_request

__all__ = ["SUMMARY_LIMIT", "cards_from_result", "markdown_cell"]

#: The specification's limit on a card's summary ("<140-character").
SUMMARY_LIMIT = 139


def _short(text: str, limit: int = SUMMARY_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def markdown_cell(text: Any) -> str:
    """Text safe inside one cell of a Markdown table (no pipe, no line break)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _source(rules: str) -> dict[str, Any]:
    return {"label": f"acupoints {__version__} ({rules})"}


def _card(summary: str, indicator: str, detail: str, source: dict[str, Any], **more: Any) -> dict[str, Any]:
    card = {"uuid": str(uuid.uuid4()), "summary": _short(summary), "indicator": indicator, "source": source}
    if detail.strip():
        card["detail"] = detail
    card.update({k: v for k, v in more.items() if v})
    return card


def _referral_card(referral: Mapping[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    lines = [
        f"**Refer before any acupuncture** ({referral['urgency']}).",
        "",
        str(referral["reason"]),
        "",
        f"- Findings: {', '.join(referral['findings']) or 'none given'}",
        f"- Rules: {', '.join(referral['rules'])}",
        *[f"- Source: {s}" for s in referral["sources"]],
    ]
    summary = f"Refer first ({referral['urgency']}): {referral['reason']}"
    return _card(summary, "critical", "\n".join(lines), source)


def _rows(points: list[Mapping[str, Any]], start: int) -> list[str]:
    """Ranked points as a Markdown table, numbered from ``start``."""
    rows = ["| # | Point | Side | Role | Why | Sources |", "|---|---|---|---|---|---|"]
    for rank, p in enumerate(points, start):
        name = f"{p['code']} {p['name']}"
        # A group point's places, so that no one needles a place a safety rule left out.
        at = f" (at {', '.join(p['instances'])})" if p.get("instances") else ""
        rows.append(
            f"| {rank} | {markdown_cell(name)} | {markdown_cell(p['side'])} | {markdown_cell(p['role'])} "
            f"| {markdown_cell(p['why'] + at)} | {markdown_cell('; '.join(p['sources']))} |"
        )
    return rows


def _points_detail(points: list[Mapping[str, Any]], alternatives: list[Mapping[str, Any]]) -> str:
    """The chosen points, then the alternatives numbered on from them (what to swap in)."""
    lines = _rows(points, 1)
    if alternatives:
        lines += ["", f"**Alternatives**: {ALTERNATIVES}.", "", *_rows(alternatives, len(points) + 1)]
    return "\n".join(lines)


def _summary_detail(result: Mapping[str, Any], notes: Iterable[str]) -> str:
    lines: list[str] = []
    items = result.get("plan", {}).get("items", ())
    if items:
        lines += ["**Plan**", ""] + [f"- {markdown_cell(i['text'])}" for i in items] + [""]
    advice = result.get("advice", ())
    if advice:
        lines += ["**Advice for the patient**", ""] + [f"- {markdown_cell(a['text'])}" for a in advice] + [""]
    warnings = [*result.get("warnings", ()), *notes]
    if warnings:
        lines += ["**Warnings**", ""] + [f"- {markdown_cell(w)}" for w in warnings] + [""]
    excluded = result.get("excluded", ())
    if excluded:
        codes = sorted({e["code"] for e in excluded})
        lines += [f"Left out for safety: {', '.join(codes)}."]
    return "\n".join(lines).strip()


def cards_from_result(
    result: Mapping[str, Any],
    *,
    notes: Iterable[str] = (),
    rules: str = "shipped rules",
    patient: str | None = None,
    order: bool = False,
) -> list[dict[str, Any]]:
    """The cards for one result (``Suggestion.to_dict()``).

    ``notes`` are extra warnings (those of reading the FHIR record); ``rules`` names the
    rule packs on the cards' source. With ``order`` and a ``patient`` reference, the
    points card suggests creating a draft ServiceRequest for the acupuncture.
    """
    source = _source(rules)
    notes = list(notes)
    cards: list[dict[str, Any]] = []
    referral = result.get("referral")
    if referral:
        cards.append(_referral_card(referral, source))
    points = list(result.get("points", ()))
    status = result.get("status", "")
    if referral or status == "refer":
        summary = "No points: the findings need a doctor first"
    elif points:
        shown = ", ".join(p["code"] for p in points[:5]) + ("…" if len(points) > 5 else "")
        summary = f"Acupuncture: {len(points)} point{'s' if len(points) > 1 else ''} suggested ({shown})"
    else:
        summary = f"Acupuncture: no points suggested ({status})"
    indicator = "warning" if (result.get("warnings") or notes) and not referral else "info"
    cards.append(_card(summary, indicator, _summary_detail(result, notes), source))
    if points and not referral and status != "refer":
        more: dict[str, Any] = {}
        if order and patient:
            more["suggestions"] = [
                {
                    "label": "Order acupuncture at these points (draft)",
                    "uuid": str(uuid.uuid4()),
                    "actions": [
                        {
                            "type": "create",
                            "description": "A draft ServiceRequest for acupuncture naming the points",
                            "resource": service_request(result, subject=patient),
                        }
                    ],
                }
            ]
            more["selectionBehavior"] = "at-most-one"
        cards.append(
            _card(
                f"Ranked points with their reasons ({len(points)})",
                "info",
                _points_detail(points, list(result.get("alternatives", ()))),
                source,
                **more,
            )
        )
    return cards
