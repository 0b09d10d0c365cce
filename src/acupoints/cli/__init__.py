"""The command line, and the tool that rebuilds the parsed snapshot of the shipped files."""

__all__: list[str] = []
