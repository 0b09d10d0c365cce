"""Draw and record the check half once, or show where each agreement file goes.

``python -m benchmarks.agreement``: with no ``split.yaml`` yet, draw the split of the files
in ``cases/`` and record it; then print both halves. It never redraws a recorded split.
"""

from __future__ import annotations

import sys

from .entries import CASES
from .split import SPLIT_FILE, halves, load_split, write_split


def main() -> int:
    names = [p.stem for p in sorted(CASES.glob("*.yaml"))]
    if not SPLIT_FILE.exists():
        write_split(names)
        print(f"wrote {SPLIT_FILE}")
    split = halves(names, load_split())
    for half in ("tune", "check"):
        print(f"{half} ({len(split[half])}): {', '.join(split[half])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
