"""The exit statuses of ``acupoints``, so that a script can tell the outcomes apart.

``acupoints suggest`` exits 0 when it suggests points and 3 when the case is referred to
a doctor (a red flag: no points), whatever the output format; a script can branch on
that without reading the output. A usage error or bad input is 2, as for every Unix
tool; 1 means a check found something (``lint``, ``coverage``, skipped batch lines); 4
that the output cannot be written. A batch run stopped by a signal exits as the shell
reports one: 128 and the signal's number. The batch statuses are
:data:`acupoints.runs.batch.EXIT`.
"""

from __future__ import annotations

from ..base.errors import AcupointsError

__all__ = [
    "FOUND",
    "INTERRUPTED",
    "OK",
    "OUTPUT",
    "REFERRED",
    "STATUSES",
    "TERMINATED",
    "USAGE",
    "UsageError",
    "describe",
]

OK = 0
FOUND = 1
USAGE = 2
REFERRED = 3
OUTPUT = 4
INTERRUPTED = 130
TERMINATED = 143

#: Every exit status and what it means, in the order the help lists them.
STATUSES: dict[int, str] = {
    OK: "success; for suggest, points were suggested",
    FOUND: "lint found an error, coverage a rule that never fires, or suggest-batch skipped bad lines",
    USAGE: "a usage error or bad input (a case or rule file with problems, an unknown point or word)",
    REFERRED: "suggest: the case is referred to a doctor before any needling (no points)",
    OUTPUT: "the output cannot be written (a folder, a missing folder, no permission, a full disk)",
    INTERRUPTED: "interrupted (Ctrl-C); suggest-batch says after which line, --resume goes on",
    TERMINATED: "suggest-batch stopped by SIGTERM (as for Ctrl-C)",
}


class UsageError(AcupointsError):
    """A command line that cannot be run as given (exit status 2)."""


def describe() -> str:
    """The statuses as the help's epilog lists them."""
    return "exit status:\n" + "\n".join(f"  {code:>3}  {text}" for code, text in STATUSES.items())
