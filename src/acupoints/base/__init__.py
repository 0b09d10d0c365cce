"""The bottom layer: the vocabulary and its pydantic word types, the exceptions, and small helpers.

Imports nothing else of acupoints.
"""

__all__: list[str] = []
