"""The HTTP service (the optional extra ``serve``): CDS Hooks and a JSON API over the engine.

:func:`create_app` gives the ASGI application; :func:`serve` runs it with uvicorn (the
command line's ``acupoints serve`` calls it).
"""

from __future__ import annotations

try:
    import fastapi  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as exc:  # pragma: no cover - the tests run with the extra
    raise ImportError("the HTTP service needs the optional extra: pip install 'acupoints[serve]'") from exc

from .app import DEFAULT_BODY_LIMIT, case_schema, create_app
from .run import serve

__all__ = ["DEFAULT_BODY_LIMIT", "case_schema", "create_app", "serve"]
