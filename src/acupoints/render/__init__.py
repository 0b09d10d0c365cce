"""Views: what a suggestion, a point or a channel looks like as text, HTML or a chart.

Views decide nothing; they only write what the engine and the catalogue hold.
:mod:`.formats` is the registry of a suggestion's output formats; :mod:`.text` writes the
table and Markdown, :mod:`.html` the report page and notebook fragments, :mod:`.chart` the
body chart. They share small helpers: :mod:`.escape` (input stays text in every output),
:mod:`.layout` (terminal widths and wrapping), :mod:`.ansi` (colour), :mod:`.plan` (plan
fields as labelled values) and :mod:`.legend` (what source keys and principle ids mean). Nothing is imported here, so that ``import acupoints`` stays cheap.
"""

from __future__ import annotations

__all__: list[str] = []
