"""The symptom case: the input contract, validated, free of the catalogue."""

__all__: list[str] = []
