"""Views of results, points and channels: text, Markdown, HTML and the SVG body chart.

Views decide nothing; they only show what the engine decided.
"""

__all__: list[str] = []
