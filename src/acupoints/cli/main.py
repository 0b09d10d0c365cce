"""The command line: ``acupoints suggest | explain | lint | schema | point | points | chart |
suggest-batch | coverage | completion``; also ``python -m acupoints``.

This module runs a command and turns its outcome into an exit status
(:mod:`acupoints.cli.exits`); the parser is :mod:`acupoints.cli.parser`, the commands
:mod:`acupoints.cli.commands`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..base.errors import AcupointsError, LoadError
from . import exits
from .parser import build_parser

__all__ = ["build_parser", "main"]


def _error(text: str) -> None:
    """An error on standard error, with any control character from the input made visible."""
    from ..render.escape import terminal

    print("\n".join(terminal(line) for line in text.split("\n")), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status: 0 done (points suggested), 1 a check
    found something, 2 a usage error or bad input, 3 the case is referred, 4 the output
    cannot be written (see :data:`acupoints.cli.exits.STATUSES`). argparse's own usage
    errors exit 2 itself."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except LoadError as exc:
        _error(str(exc))
        return exits.USAGE
    except AcupointsError as exc:
        from ..runs.target import OutputError, SameFileError

        _error(f"acupoints: error: {exc}")
        # An output that cannot be written is 4; -o naming the input is a usage error.
        return (
            exits.OUTPUT
            if isinstance(exc, OutputError) and not isinstance(exc, SameFileError)
            else exits.USAGE
        )
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return exits.OK
    except KeyboardInterrupt:  # pragma: no cover
        return exits.INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
