"""Many cases at once: batch runs over JSON Lines and rule coverage over a set of cases."""

__all__: list[str] = []
