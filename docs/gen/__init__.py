"""The generators of the docs pages made from the package itself, one module per page.

``python docs/gen_pages.py`` (``make docs`` runs it before MkDocs) calls each of
:data:`GENERATORS` and writes what they make into ``docs/generated/``:

- ``meridians/<code>.md`` (:mod:`.channels`), ``meridians/extra.md`` (:mod:`.extra`) and
  ``meridians/index.md`` (:mod:`.meridian_index`): the points, from the catalogue;
- ``cautions.md`` (:mod:`.cautions`): the kinds of caution and the points that carry each;
- ``categories.md`` (:mod:`.categories`): the textbook categories of points, with members;
- ``api.md`` (:mod:`.api`): the mkdocstrings directives for every public name;
- ``changelog.md`` (:mod:`.changelog`): CHANGELOG.md with its links fixed for the site;
- ``snippets/``, pieces the hand-written pages include (``--8<--``): the field tables of
  the case and rule formats (:mod:`.formats`) and of the catalogue (:mod:`.catalogue_fields`),
  the vocabulary (:mod:`.vocabulary`), the rules by pack (:mod:`.packs`), the nerve root
  table (:mod:`.roots`), and the real output of every CLI example (:mod:`.cli`).

A new page is a new module with a ``generate(pages)`` function and a line below.
"""

from __future__ import annotations

from collections.abc import Callable

from . import (
    api,
    catalogue_fields,
    categories,
    cautions,
    changelog,
    channels,
    cli,
    extra,
    formats,
    meridian_index,
    packs,
    roots,
    vocabulary,
)
from .pages import OUT, Pages

__all__ = ["GENERATORS", "OUT", "Pages", "build"]

GENERATORS: tuple[Callable[[Pages], None], ...] = (
    channels.generate,
    extra.generate,
    meridian_index.generate,
    cautions.generate,
    categories.generate,
    packs.generate,
    roots.generate,
    api.generate,
    formats.generate,
    catalogue_fields.generate,
    vocabulary.generate,
    cli.generate,
    changelog.generate,
)


def build() -> Pages:
    """Every generated file, in memory."""
    pages = Pages()
    for generate in GENERATORS:
        generate(pages)
    return pages
