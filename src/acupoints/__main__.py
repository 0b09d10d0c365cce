"""``python -m acupoints``: the command line."""

from __future__ import annotations

import sys

from .cli.main import main

__all__: list[str] = []

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
