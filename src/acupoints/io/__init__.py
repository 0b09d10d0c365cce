"""Reading files: safe YAML and JSON with positions, problems from validation errors,
the package's own files and their parsed snapshot.

Above :mod:`acupoints.base`; below everything that reads data.
"""

__all__: list[str] = []
