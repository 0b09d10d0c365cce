"""Run the service: ``serve(host, port, rules, add_rules)``, behind ``acupoints serve``."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["serve"]


def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    rules: Sequence[str] | None = None,
    add_rules: Sequence[str] | None = None,
) -> None:
    """Serve the CDS Hooks and JSON endpoints until interrupted (Ctrl-C stops it cleanly).

    ``rules`` are rule files or folders used instead of the shipped packs, and
    ``add_rules`` ones added on top of them, as for ``acupoints suggest``; the shipped
    safety pack is in force either way. The engine is built before the server listens,
    so a bad rule file stops it at once with its problems.
    """
    import uvicorn

    from ..engine.engine import Engine
    from .app import create_app

    rules, add_rules = list(rules or ()), list(add_rules or ())
    if add_rules:
        engine = Engine.from_paths(*rules, *add_rules) if rules else Engine.with_packs(*add_rules)
    else:
        engine = Engine.from_paths(*rules) if rules else Engine.default()
    given = [str(r) for r in rules] or ["shipped rules"]
    label = ", ".join(given + [f"+ {r}" for r in add_rules])
    uvicorn.run(create_app(engine, rules=label), host=host, port=port, log_level="info")
