"""Views: what a suggestion, a point or a channel looks like as text, HTML or a chart.

Views decide nothing; they only write what the engine and the catalogue hold.
:mod:`.formats` is the registry of a suggestion's output formats; :mod:`.text` writes the
table and Markdown, :mod:`.html` the report page and notebook fragments, :mod:`.chart` the
body chart. Nothing is imported here, so that ``import acupoints`` stays cheap.
"""

from __future__ import annotations

__all__: list[str] = []
