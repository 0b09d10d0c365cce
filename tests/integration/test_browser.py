"""The docs site in headless Chromium, opened from disk as the README says: ``site/index.html``.

Run by ``make test-browser``, which builds the site, installs Debian's ``chromium`` when
it is missing and sets ``ACUPOINTS_BROWSER=1``. ``make test`` does not run these tests:
without that variable, or without a Chromium, they are skipped (the link check of
``test_site_links.py`` covers the site there, with no browser).

From the index page, every link of the navigation is clicked in turn. Each must open a
page of the site (never a directory listing), and each page is photographed (into
``ACUPOINTS_SCREENSHOTS`` when set, else a temporary folder). No page may log an error to
the console, throw, or fail to load a file, from disk and with no network.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from data.docsite import built_site
from data.paths import ROOT

WANTED = os.environ.get("ACUPOINTS_BROWSER") == "1"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.skipif(
        not WANTED and not CHROMIUM, reason="no chromium here; `make test-browser` installs it"
    ),
    pytest.mark.skipif(not WANTED, reason="browser tests run with `make test-browser` (ACUPOINTS_BROWSER=1)"),
]

# The flags this machine needs (see the README): no sandbox as root, no GPU, and none of
# the background connections a closed network refuses.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Watch:
    """What went wrong on the current page: console errors, exceptions, failed loads."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.where = ""

    def attach(self, page: Any) -> None:
        page.on(
            "console",
            lambda m: m.type == "error" and self.problems.append(f"{self.where}: console: {m.text}"),
        )
        page.on("pageerror", lambda e: self.problems.append(f"{self.where}: exception: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"{self.where}: failed to load {r.url}"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("ACUPOINTS_SCREENSHOTS")
    folder = (ROOT / given) if given else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM:
        pytest.fail("ACUPOINTS_BROWSER=1 but no chromium on the PATH (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[browser]'")
    with sync_api.sync_playwright() as pw:
        # A persistent context, to give Chromium a fresh profile folder of our own.
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[tuple[Any, Watch]]:
    page = browser.new_page()
    watch = Watch()
    watch.attach(page)
    try:
        yield page, watch
    finally:
        page.close()


def _nav_links(page: Any) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "nav.md-nav--primary a.md-nav__link[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(h for h in hrefs if not h.startswith("#") and "://" not in h))


def test_every_navigation_link_opens_a_page_with_no_errors(
    site: Path, shots: Path, watched: tuple[Any, Watch]
) -> None:
    page, watch = watched
    index = (site / "index.html").as_uri()
    watch.where = "index.html"
    page.goto(index, wait_until="load")
    links = _nav_links(page)
    assert len(links) >= 30, links
    assert "quickstart.html" in links and "notebooks/02-case-to-plan.html" in links
    page.screenshot(path=str(shots / "index.png"))
    for href in links:
        watch.where = href
        page.goto(index, wait_until="load")
        link = page.locator(f'nav.md-nav--primary a.md-nav__link[href="{href}"]').first
        link.scroll_into_view_if_needed()
        link.click()
        page.wait_for_load_state("load")
        want = (site / href).resolve().as_uri()
        assert page.url.split("#")[0] == want, f"{href} opened {page.url}"
        # A page of the site, not a listing of a folder: the theme's article is there.
        assert page.locator("article.md-content__inner h1").count() >= 1, f"{href}: no page heading"
        shot = shots / (href.replace("/", "__").removesuffix(".html") + ".png")
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000, f"{href}: an empty screenshot"
    assert not watch.problems, "\n".join(watch.problems)


def test_search_works_from_disk(site: Path, shots: Path, watched: tuple[Any, Watch]) -> None:
    page, watch = watched
    watch.where = "search"
    page.goto((site / "index.html").as_uri(), wait_until="load")
    page.locator("input.md-search__input").click()
    page.keyboard.type("Hegu", delay=30)  # the theme searches as keys are pressed
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    hrefs = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    # The point's own section on its channel's page is among the results, as a file.
    assert any(
        h.startswith("file://") and "generated/meridians/li.html" in h and h.endswith("#LI4") for h in hrefs
    ), hrefs
    page.screenshot(path=str(shots / "search.png"))
    assert not watch.problems, "\n".join(watch.problems)


def test_a_notebook_page_shows_its_charts_and_tables(
    site: Path, shots: Path, watched: tuple[Any, Watch]
) -> None:
    page, watch = watched
    watch.where = "notebooks/02-case-to-plan.html"
    page.goto((site / "notebooks/02-case-to-plan.html").as_uri(), wait_until="load")
    outputs = page.locator(".jp-OutputArea-output")
    assert outputs.count() >= 5
    # The body chart of the suggestion, drawn inline, and a table of the points.
    chart = page.locator(".jp-OutputArea-output svg.acupoints-chart").first
    chart.scroll_into_view_if_needed()
    assert chart.bounding_box()["height"] > 100
    assert page.locator(".jp-OutputArea-output table").count() >= 1
    chart.screenshot(path=str(shots / "notebook-chart.png"))
    assert not watch.problems, "\n".join(watch.problems)
