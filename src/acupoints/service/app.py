"""The HTTP service (the optional extra ``serve``): CDS Hooks and plain JSON endpoints.

:func:`create_app` builds the engine once and returns an ASGI application:

- ``GET /cds-services`` and ``POST /cds-services/{id}``: CDS Hooks discovery and the
  ``patient-view`` service (see :mod:`acupoints.service.cds`);
- ``POST /suggest``: a case in (JSON, with ``diagnoses`` if any), the result out;
- ``GET /points/{code}``: one point of the catalogue;
- ``GET /schema/{case,result,rules}``: the JSON Schemas;
- ``GET /openapi.json``: the OpenAPI document of all of the above.

Bad input is answered 4xx with the positioned problems the command line prints, never
500; bodies over the limit are refused (413). The engine is shared by every request:
it is safe across threads, and each request's work runs in a worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..base.errors import AcupointsError, LoadError, Problem
from ..case.model import Case, validate_case
from ..engine.contract import ResultDict, result_schema
from ..engine.engine import Engine
from ..engine.schemas import json_schema, with_header
from ..io.yaml import Document, load_text
from .cds import HOOK, SERVICE_ID, MissingPrefetch, cards_for, discovery
from .errors import from_exception, problem_response
from .limits import BodyLimit
from .models import CardsResponse, CdsRequest, Discovery, ProblemsOut

__all__ = ["DEFAULT_BODY_LIMIT", "case_schema", "create_app"]

#: The largest request body accepted, in bytes: room for a prefetch of a few hundred Conditions.
DEFAULT_BODY_LIMIT = 1_048_576

_PROBLEMS = {
    "model": ProblemsOut,
    "description": "The request was refused; `problems` says why, with positions.",
}


#: Where the OpenAPI document keeps the schemas that request bodies refer to.
_COMPONENTS = "#/components/schemas/{model}"


def case_schema(ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """The case format's JSON Schema (``diagnoses`` included), with what its validators add."""
    schema = Case.model_json_schema(ref_template=ref_template)
    # The model checks these lists are not empty in a validator, which its schema cannot show.
    schema["properties"]["complaints"].setdefault("minItems", 1)
    complaint = schema.get("$defs", {}).get("Complaint", {}).get("properties", {})
    if "sensations" in complaint:
        complaint["sensations"].setdefault("minItems", 1)
    return schema


def _component(name: str, schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """A reference to ``schema``, kept with the schemas it refers to among the components."""
    components.update(schema.pop("$defs", {}))
    components[name] = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
    return {"$ref": _COMPONENTS.format(model=name)}


def _body(name: str, schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI request body whose schema (and the schemas it refers to) are components."""
    ref = _component(name, schema, components)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


async def _read(request: Request, path: str) -> Document:
    """The request's JSON body, with the line and column of each value where it can tell.

    The JSON parser decides what the body says (the YAML reader that places problems
    reads a few JSON forms differently, such as escaped slashes and ``1e3``); positions
    come from the YAML reading when it gives the same data.
    """
    body = await request.body()
    if not body.strip():
        raise _Refusal(400, "empty body", [Problem(path, 1, 1, "empty", "the request has no body")])
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        line, column = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc) or "nested too deeply"
        raise _Refusal(400, "not JSON", [Problem(path, line, column, "not-json", message)]) from None
    try:
        placed = load_text(body, path)
    except LoadError:
        return Document(data, path)
    return placed if placed.data == data else Document(data, path)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


class _Refusal(Exception):
    def __init__(self, status: int, error: str, problems: list[Problem]) -> None:
        self.status, self.error, self.problems = status, error, problems


def create_app(
    engine: Engine | None = None, *, rules: str = "shipped rules", body_limit: int = DEFAULT_BODY_LIMIT
) -> FastAPI:
    """The service's ASGI application over ``engine`` (the default engine when None).

    ``rules`` names the rule packs on every CDS card's source. The engine is built here,
    once, before the first request.
    """
    engine = engine if engine is not None else Engine.default()
    app = FastAPI(
        title="acupoints",
        version=__version__,
        description="Acupuncture point sets for nerve pain, from cited rules: CDS Hooks and JSON.",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(BodyLimit, limit=body_limit)
    app.state.engine = engine
    components: dict[str, Any] = {}
    cds_body = _body("CdsRequest", CdsRequest.model_json_schema(ref_template=_COMPONENTS), components)
    case_body = _body("Case", case_schema(_COMPONENTS), components)
    result = _component("Result", result_schema(_COMPONENTS), components)

    @app.exception_handler(_Refusal)
    async def refused(request: Request, exc: _Refusal) -> JSONResponse:
        return problem_response(exc.status, exc.error, exc.problems)

    @app.exception_handler(AcupointsError)
    async def library_error(request: Request, exc: AcupointsError) -> JSONResponse:
        return from_exception(exc)

    @app.get("/cds-services", response_model=Discovery, tags=["CDS Hooks"])
    async def cds_discovery() -> dict[str, Any]:
        """The CDS Hooks discovery document: one ``patient-view`` service."""
        return discovery()

    @app.post(
        "/cds-services/{service_id}",
        tags=["CDS Hooks"],
        responses={200: {"model": CardsResponse}, 400: _PROBLEMS, 404: _PROBLEMS, 412: _PROBLEMS, 413: _PROBLEMS, 422: _PROBLEMS},
        openapi_extra=cds_body,
    )  # fmt: skip
    async def cds_call(service_id: str, request: Request) -> JSONResponse:
        """Answer a ``patient-view`` call with cards (the referral first, as a critical card)."""
        if service_id != SERVICE_ID:
            raise _Refusal(404, "no such service", [Problem("<request>", 1, 1, "not-found", f"no CDS service {service_id!r}; this server has {SERVICE_ID!r}")])  # fmt: skip
        doc = await _read(request, "<request>")
        call = _cds_request(doc)
        if call["hook"] != HOOK:
            raise _Refusal(400, "wrong hook", [Problem("<request>", *doc.where(("hook",)), "wrong-hook", f"hook: this service answers {HOOK!r}, not {call['hook']!r}")])  # fmt: skip
        try:
            cards = await run_in_threadpool(cards_for, call, engine, rules)
        except MissingPrefetch:
            raise _Refusal(412, "prefetch missing", [Problem("<request>", *doc.where(("prefetch",)), "no-prefetch", "prefetch: the 'conditions' key is missing; send the prefetch the discovery document asks for")]) from None  # fmt: skip
        return JSONResponse({"cards": cards})

    @app.post(
        "/suggest",
        tags=["JSON"],
        responses={200: {"description": "The result.", "content": {"application/json": {"schema": result}}},
                   400: _PROBLEMS, 413: _PROBLEMS, 422: _PROBLEMS},
        openapi_extra=case_body,
    )  # fmt: skip
    async def suggest(request: Request) -> JSONResponse:
        """A case in, the result out (the result's warnings begin with those of its diagnoses)."""
        doc = await _read(request, "<request>")
        result = await run_in_threadpool(_suggest, engine, doc)
        return JSONResponse(result)

    @app.get(
        "/points/{code}",
        tags=["JSON"],
        responses={200: {"description": "The point's record."}, 404: _PROBLEMS},
    )
    async def point(code: str) -> JSONResponse:
        """One point of the engine's catalogue, by code, alias or name."""
        found = engine.catalog.get(code)
        if found is None:
            message = engine.catalog.unknown_message(code)
            raise _Refusal(404, "not found", [Problem("<request>", 1, 1, "unknown-point", message)])
        return JSONResponse(found.to_dict())

    @app.get(
        "/schema/{what}", tags=["JSON"], responses={200: {"description": "A JSON Schema."}, 404: _PROBLEMS}
    )
    async def schema(what: str) -> JSONResponse:
        """The JSON Schema of ``case``, ``result`` or ``rules``."""
        schemas: dict[str, Callable[[], dict[str, Any]]] = {
            "case": lambda: with_header("case", case_schema()),
            "result": lambda: json_schema("result"),
            "rules": lambda: json_schema("rules"),
        }
        make = schemas.get(what)
        if make is None:
            message = f"no schema {what!r}; the schemas are: {', '.join(schemas)}"
            raise _Refusal(404, "not found", [Problem("<request>", 1, 1, "unknown-schema", message)])
        return JSONResponse(make())

    def openapi() -> dict[str, Any]:
        # FastAPI's document, plus the schemas of the bodies the handlers read themselves.
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            document.setdefault("components", {}).setdefault("schemas", {}).update(components)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _cds_request(doc: Document) -> dict[str, Any]:
    from pydantic import ValidationError

    from ..io.problems import problems_from

    try:
        return CdsRequest.model_validate(doc.data).model_dump(exclude_none=True)
    except ValidationError as exc:
        raise _Refusal(422, "invalid input", problems_from(exc, doc, model=CdsRequest)) from None


def _suggest(engine: Engine, doc: Document) -> ResultDict:
    # The case model reads the diagnoses itself; their warnings come first in the result's.
    return engine.suggest(validate_case(doc, Case)).to_dict()
