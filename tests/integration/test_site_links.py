"""Every link of the built site works from disk, with no browser and no network.

The README says to open ``site/index.html``. From disk a link to a folder shows a directory
listing, and a script or style sheet from another host does not load offline. So, in every
page of the built site (built once per session, see ``tests/data/docsite.py``):

- every internal ``href`` and ``src`` names a file that exists (never a folder), and its
  ``#fragment``, if any, is an ``id`` of the page it names;
- nothing the page loads by itself (scripts, style sheets, images, frames) comes from
  another host: only links a reader clicks may leave the site;
- the notebooks are pages with their outputs, not ``.ipynb`` downloads.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from data.docsite import built_site
from data.paths import ROOT

# The attributes that name another file, on the tags that load it by themselves.
_LOADS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src"}
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


class _Page(HTMLParser):
    """The links, the loaded resources and the ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.loads: list[str] = []
        self.ids: set[str] = set()
        self._svg = 0  # inside inline SVG, href names a symbol, not a file

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        for key in ("id", "name"):
            if key in a and (key == "id" or tag == "a"):
                self.ids.add(a[key])
        if tag == "svg":
            self._svg += 1
        if self._svg:
            return
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "link" and "href" in a:
            (
                self.loads
                if {"stylesheet", "icon", "preload"} & set(a.get("rel", "").split())
                else self.links
            ).append(a["href"])
        elif tag in _LOADS and _LOADS[tag] in a:
            self.loads.append(a[_LOADS[tag]])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self._svg -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg:
            self._svg -= 1


@functools.cache
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(site: Path) -> list[Path]:
    # 404.html is shown only by a server, for any missing address, so its links start at
    # the server's root on purpose; a reader on disk never sees it.
    return [p for p in sorted(site.rglob("*.html")) if p.relative_to(site) != Path("404.html")]


def broken_links(site: Path) -> list[str]:
    """Every internal link or resource of the site that does not resolve, as ``page: link (why)``."""
    problems: list[str] = []
    for path in _pages(site):
        page = _parse(path)
        here = path.relative_to(site)
        for url in page.links + page.loads:
            if _EXTERNAL.match(url) or url.startswith("//"):
                continue
            parts = urlsplit(url)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_relative_to(site.resolve()):
                problems.append(f"{here}: {url} (leaves the site)")
            elif target.is_dir():
                problems.append(f"{here}: {url} (a folder: opened from disk it lists the files)")
            elif not target.is_file():
                problems.append(f"{here}: {url} (no such file)")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in _parse(target).ids
            ):
                problems.append(
                    f"{here}: {url} (no id {parts.fragment!r} in {target.relative_to(site.resolve())})"
                )
    return problems


def remote_loads(site: Path) -> list[str]:
    """Every script, style sheet, image or frame a page loads from another host."""
    return [
        f"{path.relative_to(site)}: {url}"
        for path in _pages(site)
        for url in _parse(path).loads
        if (_EXTERNAL.match(url) and not url.startswith("data:")) or url.startswith("//")
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)


# -- the checks check ---------------------------------------------------------------------------
def test_the_checks_find_a_folder_link_a_missing_file_a_bad_anchor_and_a_remote_script(
    tmp_path: Path,
) -> None:
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_text('<h2 id="install">Install</h2>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="guide/">a folder</a> <a href="guide/index.html#install">fine</a>'
        ' <a href="guide/index.html#nowhere">bad anchor</a> <a href="missing.html">missing</a>'
        ' <a href="https://example.org/">outside, clicked: fine</a> <a href="#top">top</a>'
        ' <svg><use href="#icon"></use></svg> <p id="top"></p>'
        ' <script src="https://cdn.example.org/lib.js"></script> <script src="data:text/javascript,"></script>',
        encoding="utf-8",
    )
    assert broken_links(tmp_path) == [
        "index.html: guide/ (a folder: opened from disk it lists the files)",
        "index.html: guide/index.html#nowhere (no id 'nowhere' in guide/index.html)",
        "index.html: missing.html (no such file)",
    ]
    assert remote_loads(tmp_path) == ["index.html: https://cdn.example.org/lib.js"]


# -- the site -------------------------------------------------------------------------------------
def test_every_internal_link_of_the_site_resolves_to_a_file(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 30
    problems = broken_links(site)
    assert not problems, f"{len(problems)} broken links, the first ones:\n" + "\n".join(problems[:40])


def test_the_site_loads_nothing_from_the_network(site: Path) -> None:
    problems = remote_loads(site)
    assert not problems, "\n".join(problems[:40])


def test_the_navigation_names_pages_not_folders(site: Path) -> None:
    nav = [u for u in _parse(site / "index.html").links if not _EXTERNAL.match(u) and not u.startswith("#")]
    assert "quickstart.html" in nav and "generated/meridians/bl.html" in nav
    assert not [u for u in nav if u.endswith("/")], "links to folders in the navigation"


def test_the_notebooks_are_pages_with_their_outputs(site: Path) -> None:
    notebooks = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
    assert notebooks
    for notebook in notebooks:
        assert not (site / "notebooks" / notebook.name).exists(), f"{notebook.name} is a download"
        html = (site / "notebooks" / notebook.with_suffix(".html").name).read_text(encoding="utf-8")
        outputs = html.count('class="jp-OutputArea-child')
        assert outputs >= 5, f"{notebook.name}: {outputs} outputs on its page; was it executed?"
        # A cell that wrote to standard error shows it in an output of that type.
        assert not re.search(r'<div[^>]*data-mime-type="application/vnd.jupyter.stderr"', html), notebook.name
    index = (site / "notebooks.html").read_text(encoding="utf-8")
    assert 'href="notebooks/01-meridian-graph.html"' in index
