"""The rule language: the schema of rule files, conditions, the compiled rulebook and
its checks.
"""

__all__: list[str] = []
