"""Errors as HTTP answers: every refusal carries the problems the command line would print."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.responses import JSONResponse

from ..base.errors import AcupointsError, LoadError, Problem

__all__ = ["from_exception", "problem_response", "problems_json"]


def problems_json(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    return [
        {
            "path": p.path,
            "line": p.line,
            "column": p.column,
            "code": p.code,
            "message": p.message,
            "severity": p.severity,
            "text": str(p),
        }
        for p in problems
    ]


def problem_response(status: int, error: str, problems: Iterable[Problem] = ()) -> JSONResponse:
    return JSONResponse({"error": error, "problems": problems_json(problems)}, status_code=status)


def from_exception(exc: AcupointsError, path: str = "<request>") -> JSONResponse:
    """422 for a case or data problem (with its positioned problems), 404 for an unknown
    point, 422 for any other refusal of the library, each with its message."""
    if isinstance(exc, LoadError):
        return problem_response(422, "invalid input", exc.problems)
    if isinstance(exc, LookupError):
        return problem_response(404, "not found", [Problem(path, 1, 1, "not-found", str(exc))])
    return problem_response(422, "invalid input", [Problem(path, 1, 1, "invalid-value", str(exc))])
