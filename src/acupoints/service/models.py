"""The JSON the service speaks besides the result, as pydantic models: its OpenAPI
schemas come from here.

The result's schema is the library's own (:func:`acupoints.engine.contract.result_schema`,
from the typed result that ``Suggestion.to_dict()`` returns), so the service and the
library describe one result. The CDS Hooks models follow the specification's request,
discovery and card members; they allow the members a client or a later version of the
specification may add.
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
    "ServiceDescription",
]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
