"""MkDocs hooks of this site (listed under ``hooks:`` in mkdocs.yml).

``mkdocs build --strict --quiet`` would pass with warnings: ``--quiet`` raises the level of
the ``mkdocs`` logger to ERROR, so warnings never reach the handler that strict mode counts
them with. ``make docs`` wants both, so here ``--quiet`` keeps its useful half: the
``INFO`` lines stay hidden, while warnings are shown and fail the build.
"""

from __future__ import annotations

import logging
from typing import Any


def on_startup(*, command: str, dirty: bool, **kwargs: Any) -> None:
    logger = logging.getLogger("mkdocs")
    if logger.level > logging.WARNING:
        logger.setLevel(logging.WARNING)
