"""The engine: a case in, a suggestion out. Pure: it reads no files and draws nothing."""

__all__: list[str] = []
