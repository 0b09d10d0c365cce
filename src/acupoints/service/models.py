"""The JSON the service speaks, as pydantic models: its OpenAPI schemas come from here.

``Result`` describes what ``Suggestion.to_dict()`` gives today (the owner of the result
schema will replace it with the library's own typed result). The CDS Hooks models follow
the specification's request, discovery and card members; they allow the members a
client or a later version of the specification may add.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Card",
    "CardsResponse",
    "CdsRequest",
    "Discovery",
    "ProblemOut",
    "ProblemsOut",
    "Result",
    "ServiceDescription",
]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SuggestedPointOut(_Closed):
    code: str
    name: str
    meridian: str | None
    side: str
    role: str
    score: float
    rules: list[str]
    principles: list[str]
    why: str
    packs: list[str]
    sources: list[str]
    found_by: list[str]
    instances: list[str] = Field(default_factory=list)
    cautions: list[str] = Field(default_factory=list)


class ExcludedOut(_Closed):
    code: str
    reason: str
    rule: str
    source: str
    side: str
    instance: str | None = None


class PlanItemOut(_Closed):
    text: str
    principles: list[str]
    rule: str
    source: str


class PlanOut(BaseModel):
    """The plan's settings (each a word, a number, a flag or a list) and its items."""

    model_config = ConfigDict(extra="allow")

    items: list[PlanItemOut]


class AdviceOut(_Closed):
    text: str
    principles: list[str]
    conflicts_with: list[str]
    rule: str
    source: str
    about: str | None = None


class ConflictOut(_Closed):
    about: str
    between: list[str]
    detail: str


class ReferralOut(_Closed):
    reason: str
    urgency: str
    findings: list[str]
    rules: list[str]
    sources: list[str]


class Result(_Closed):
    """One result, as ``Suggestion.to_dict()`` writes it."""

    case: str | None
    status: str
    points: list[SuggestedPointOut]
    excluded: list[ExcludedOut]
    plan: PlanOut
    advice: list[AdviceOut]
    conflicts: list[ConflictOut]
    warnings: list[str]
    referral: ReferralOut | None
    rules_fired: list[str]
    dropped: list[str]


class ProblemOut(_Closed):
    """One problem, as the command line prints it (``path:line:column: severity[code] message``)."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: str
    text: str = Field(description="The problem as one line, exactly as the command line prints it.")


class ProblemsOut(_Closed):
    """Why a request was refused: every problem found."""

    error: str
    problems: list[ProblemOut]


class ServiceDescription(BaseModel):
    model_config = ConfigDict(extra="allow")

    hook: str
    title: str
    description: str
    id: str
    prefetch: dict[str, str]


class Discovery(BaseModel):
    model_config = ConfigDict(extra="allow")

    services: list[ServiceDescription]


class CdsRequest(BaseModel):
    """A CDS Hooks call (the members this service reads; others are allowed)."""

    model_config = ConfigDict(extra="allow")

    hook: str
    hookInstance: str
    context: dict[str, Any]
    fhirServer: str | None = None
    prefetch: dict[str, Any] | None = None


class Coding(BaseModel):
    model_config = ConfigDict(extra="allow")

    system: str | None = None
    code: str | None = None
    display: str | None = None


class Source(BaseModel):
    model_config = ConfigDict(extra="allow")

    label: str
    url: str | None = None
    topic: Coding | None = None


class Action(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: Literal["create", "update", "delete"]
    description: str
    resource: dict[str, Any] | None = None
    resourceId: str | None = None


class Suggestion(BaseModel):
    model_config = ConfigDict(extra="allow")

    label: str
    uuid: str | None = None
    isRecommended: bool | None = None
    actions: list[Action] | None = None


class Card(BaseModel):
    """A CDS Hooks card."""

    model_config = ConfigDict(extra="allow")

    uuid: str | None = None
    summary: str = Field(max_length=139)
    detail: str | None = None
    indicator: Literal["info", "warning", "critical"]
    source: Source
    suggestions: list[Suggestion] | None = None
    selectionBehavior: Literal["at-most-one", "any"] | None = None


class CardsResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    cards: list[Card]
