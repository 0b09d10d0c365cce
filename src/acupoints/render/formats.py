"""The output formats of a suggestion, in one registry.

Each format is one :class:`Renderer`: its name, its file suffixes, its media type, whether
it draws with the case and the catalogue, and the function that writes a
:class:`~acupoints.Suggestion` as text. A format that can also write one case after
another into one file has a :class:`Stream` as well. Everything that writes a suggestion
looks its format up in :data:`FORMATS`: the choices of ``acupoints suggest --format``,
those of ``acupoints suggest-batch --format`` (the formats with a stream), and the display
methods ``str(suggestion)``, ``Suggestion.to_markdown``, ``to_html`` and ``to_svg``. The
JSON format writes :meth:`~acupoints.Suggestion.to_json`, the result's data contract,
which stays with the result.

>>> import acupoints
>>> s = acupoints.suggest({"id": "a", "complaints": [{"region": "foot", "sensations": ["numbness"]}]})
>>> names()
('table', 'json', 'markdown', 'svg', 'html')
>>> render("markdown", s).splitlines()[0]
'## Suggestion for a'
>>> stream_names()
('table', 'jsonl', 'markdown')

Adding a format is one renderer and one line in the registry. For a CSV of the points,
write the renderer next to the others::

    def _csv(suggestion: Suggestion, case: CaseLike | None, catalog: Catalog | None, titles: Titles) -> str:
        rows = [f"{p.code},{p.side},{p.role},{p.score:g}" for p in suggestion.points]
        return "\\n".join(["code,side,role,score", *rows])

    CSV = Renderer("csv", (".csv",), "text/csv", _csv)

and add ``CSV,`` to the tuple given to ``_registry`` below. ``acupoints suggest CASE
--format csv`` and ``render("csv", suggestion)`` then write it. Give it
``stream=Stream(...)`` too, and ``suggest-batch --format`` offers it.

This module imports the engine's and the catalogue's types only for type checking: the
display methods of those layers call into it, and the chart and the HTML page are
imported only when drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Union

from ..base.errors import UnknownWordError
from ..base.vocab import describe_choice
from .text import as_markdown, as_table

if TYPE_CHECKING:
    from ..case.model import Case
    from ..catalog.catalog import Catalog
    from ..engine.result import Suggestion

__all__ = [
    "FORMATS",
    "STREAMS",
    "CaseLike",
    "Renderer",
    "Stream",
    "Titles",
    "for_suffix",
    "get",
    "get_stream",
    "names",
    "render",
    "stream_names",
]

#: A case, or a mapping in the case format (the chart reads it to shade the affected regions).
CaseLike = Union["Case", Mapping[str, Any]]
#: The citations of source keys, for the views that explain them (see
#: :mod:`acupoints.render.legend`); None: the shipped rule files' citations.
Titles = Union[Mapping[str, str], None]  # noqa: UP007 - a runtime alias, read by Python 3.10
#: Writes a suggestion; the case and the catalogue are given when the renderer asks for
#: them, and the citations of source keys when the caller has them.
Draw = Callable[["Suggestion", "CaseLike | None", "Catalog | None", Titles], str]


@dataclass(frozen=True)
class Stream:
    """How a batch run writes one case after another in a format.

    ``entry`` writes one case's result, given the number of the input line it came from;
    the run ends each entry with a newline and puts ``between`` between two entries.
    """

    name: str
    suffix: str
    media_type: str
    entry: Callable[[int, Suggestion], str]
    between: str = ""


@dataclass(frozen=True)
class Renderer:
    """One output format of a suggestion.

    ``needs_case``: the format draws the case too (the chart shades its affected regions),
    so callers that have the case pass it. ``needs_catalog``: the format reads the
    catalogue (point names, places, cautions), so callers must pass one. ``method`` names
    the :class:`~acupoints.Suggestion` method that gives the same text.
    """

    name: str
    suffixes: tuple[str, ...]
    media_type: str
    draw: Draw
    needs_case: bool = False
    needs_catalog: bool = False
    method: str | None = None
    stream: Stream | None = None

    def render(
        self,
        suggestion: Suggestion,
        case: CaseLike | None = None,
        catalog: Catalog | None = None,
        titles: Titles = None,
    ) -> str:
        """The suggestion as text in this format; raises ``TypeError`` without a catalogue
        when the format needs one. ``titles``: the citations of the source keys (the
        engine's, from :func:`acupoints.render.legend.titles_of`), for the legend."""
        if self.needs_catalog and catalog is None:
            raise TypeError(f"the {self.name} format needs a catalogue: pass catalog=")
        return self.draw(suggestion, case, catalog, titles)


# -- the renderers ------------------------------------------------------------------------
def _table(suggestion: Suggestion, case: CaseLike | None, catalog: Catalog | None, titles: Titles) -> str:
    return as_table(suggestion, titles=titles)


def _table_entry(number: int, suggestion: Suggestion) -> str:
    return as_table(suggestion, line=number)


def _json(suggestion: Suggestion, case: CaseLike | None, catalog: Catalog | None, titles: Titles) -> str:
    return suggestion.to_json()


def _jsonl_entry(number: int, suggestion: Suggestion) -> str:
    # The same text as json.dumps({"line": number, **suggestion.to_dict()}), from parts
    # that are encoded once and shared between results.
    return f'{{"line": {number}, {suggestion.json_members()}}}'


def _markdown(suggestion: Suggestion, case: CaseLike | None, catalog: Catalog | None, titles: Titles) -> str:
    return as_markdown(suggestion, titles=titles)


def _markdown_entry(number: int, suggestion: Suggestion) -> str:
    return as_markdown(suggestion, line=number)


def _svg(suggestion: Suggestion, case: CaseLike | None, catalog: Catalog | None, titles: Titles) -> str:
    from .chart import render_suggestion_svg  # only here: the chart reads its data file

    assert catalog is not None  # Renderer.render checks it
    return render_suggestion_svg(suggestion, catalog, case)


def _html(suggestion: Suggestion, case: CaseLike | None, catalog: Catalog | None, titles: Titles) -> str:
    from .html import render_suggestion_html

    assert catalog is not None
    return render_suggestion_html(suggestion, catalog, case, titles)


TABLE = Renderer(
    "table", (".txt",), "text/plain", _table, method="__str__",
    stream=Stream("table", ".txt", "text/plain", _table_entry, between="\n"),
)  # fmt: skip
JSON = Renderer(
    "json", (".json",), "application/json", _json, method="to_json",
    stream=Stream("jsonl", ".jsonl", "application/jsonl", _jsonl_entry),
)  # fmt: skip
MARKDOWN = Renderer(
    "markdown", (".md", ".markdown"), "text/markdown", _markdown, method="to_markdown",
    # Each report ends with a blank line already, which parts it from the next.
    stream=Stream("markdown", ".md", "text/markdown", _markdown_entry),
)  # fmt: skip
SVG = Renderer("svg", (".svg",), "image/svg+xml", _svg, needs_case=True, needs_catalog=True, method="to_svg")
HTML = Renderer(
    "html", (".html", ".htm"), "text/html", _html, needs_case=True, needs_catalog=True, method="to_html"
)


# -- the registry -------------------------------------------------------------------------
def _registry(*renderers: Renderer) -> Mapping[str, Renderer]:
    by_name: dict[str, Renderer] = {}
    for r in renderers:
        if r.name in by_name:
            raise ValueError(f"two output formats are named {r.name!r}")
        by_name[r.name] = r
    return MappingProxyType(by_name)


#: Every output format by name, in the order the CLI lists them (the first is the default).
FORMATS: Mapping[str, Renderer] = _registry(
    TABLE,
    JSON,
    MARKDOWN,
    SVG,
    HTML,
)
#: The formats a batch run can write, by their stream's name.
STREAMS: Mapping[str, Stream] = MappingProxyType(
    {r.stream.name: r.stream for r in FORMATS.values() if r.stream is not None}
)


def names() -> tuple[str, ...]:
    """The names of the output formats, for ``suggest --format``."""
    return tuple(FORMATS)


def stream_names() -> tuple[str, ...]:
    """The names of the formats a batch run writes, for ``suggest-batch --format``."""
    return tuple(STREAMS)


def get(name: str) -> Renderer:
    """The renderer of a format; raises :class:`~acupoints.UnknownWordError` naming the allowed ones."""
    found = FORMATS.get(name)
    if found is None:
        raise UnknownWordError(describe_choice(name, FORMATS, "output format"))
    return found


def get_stream(name: str) -> Stream:
    """The stream of a batch format; raises :class:`~acupoints.UnknownWordError` naming the allowed ones."""
    found = STREAMS.get(name)
    if found is None:
        raise UnknownWordError(describe_choice(name, STREAMS, "batch output format"))
    return found


def for_suffix(suffix: str) -> Renderer | None:
    """The format a file with this suffix is written in (``".html"``, ``".MD"``), or None.

    >>> for_suffix(".html").name, for_suffix(".Markdown").name, for_suffix(".pdf")
    ('html', 'markdown', None)
    """
    wanted = suffix.lower()
    return next((r for r in FORMATS.values() if wanted in r.suffixes), None)


def render(
    name: str,
    suggestion: Suggestion,
    case: CaseLike | None = None,
    catalog: Catalog | None = None,
    titles: Titles = None,
) -> str:
    """The suggestion as text in the named format (see :meth:`Renderer.render`)."""
    return get(name).render(suggestion, case, catalog, titles)
