"""Run the service: ``serve(host, port, rules)``, the function behind ``acupoints serve``."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["serve"]


def serve(host: str = "127.0.0.1", port: int = 8080, rules: Sequence[str] | None = None) -> None:
    """Serve the CDS Hooks and JSON endpoints until interrupted (Ctrl-C stops it cleanly).

    ``rules`` are rule files or folders as for ``acupoints suggest --rules``; the engine is
    built before the server listens, so a bad rule file stops it at once with its problems.
    """
    import uvicorn

    from ..engine.engine import Engine
    from .app import create_app

    engine = Engine.from_paths(*rules) if rules else Engine.default()
    label = ", ".join(str(r) for r in rules) if rules else "shipped rules"
    uvicorn.run(create_app(engine, rules=label), host=host, port=port, log_level="info")
