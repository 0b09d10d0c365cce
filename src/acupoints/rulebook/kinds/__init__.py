"""The condition kinds of the rule language, one class each over :class:`~.base.ConditionKind`.

The registry that names them by their YAML key is :mod:`acupoints.rulebook.registry`; the
loops over it are :class:`acupoints.rulebook.language.ConditionLanguage`.
"""

__all__: list[str] = []
