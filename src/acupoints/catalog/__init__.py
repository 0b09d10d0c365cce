"""The catalogue layer: the data files' schema, the records, the catalogue and its graph."""

__all__: list[str] = []
