"""Write the docs pages made from the package itself into docs/generated/.

Run it before MkDocs (``make docs`` does): ``python docs/gen_pages.py``. The generators, one
per page, are in ``docs/gen/``; its docstring lists what each one writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The generators are a package beside this file. Run as a script, this folder is already on
# the path; loaded by file (tests/test_docs.py does), it must be put there.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from gen import OUT, Pages, build  # noqa: E402

__all__ = ["OUT", "Pages", "build"]

if __name__ == "__main__":
    build().write(OUT)
