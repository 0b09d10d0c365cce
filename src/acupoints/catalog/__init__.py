"""The point catalogue and the meridian graph: records, their file schema and loader."""

__all__: list[str] = []
