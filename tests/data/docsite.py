"""The built documentation site, made once per test session and shared by the tests that read it.

Building is what ``make docs`` does: ``docs/gen_pages.py``, then ``mkdocs build --strict``
(which also runs the notebooks). It takes a while, so the first test module that asks
builds into pytest's session folder and the others reuse that build.

``ACUPOINTS_SITE`` names a site that is already built (``make test-browser`` builds
``site/`` with ``make docs`` first); then nothing is built here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from data.paths import ROOT

__all__ = ["built_site"]


def _run(args: list[str], timeout: int) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args[1:])} failed:\n{done.stdout}{done.stderr}"


def built_site(factory: pytest.TempPathFactory) -> Path:
    """The folder of the built site: the one ``ACUPOINTS_SITE`` names, or a fresh build."""
    given = os.environ.get("ACUPOINTS_SITE")
    if given:
        site = (ROOT / given).resolve()
        assert (site / "index.html").is_file(), f"ACUPOINTS_SITE={given} has no index.html: run `make docs`"
        return site
    site = factory.getbasetemp() / "site"
    done = factory.getbasetemp() / "site.built"
    if not done.is_file():
        _run([sys.executable, "docs/gen_pages.py"], timeout=120)
        _run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
            timeout=400,
        )
        done.touch()
    return site
