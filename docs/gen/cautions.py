"""``cautions.md``: the kinds of caution, why each matters, and the points that carry it."""

from __future__ import annotations

from acupoints import Catalog

from .pages import Pages
from .point_text import page_of

__all__ = ["generate"]


def generate(pages: Pages) -> None:
    cat = Catalog.default()
    lines = [
        "# Cautions",
        "",
        "A point may carry cautions. The safety rules use them to leave points out (for "
        "example every point marked *pregnancy* when the case has the `pregnancy` flag), and "
        "a suggested point's other cautions travel with it as warnings.",
        "",
    ]
    for c in cat.cautions.values():
        carriers = [p for p in cat if c.id in p.cautions]
        lines += [f"## {c.title} {{#{c.id}}}", "", f"Id: `{c.id}`.", "", " ".join(c.reason.split()), ""]
        lines += ["Sources:", ""] + [f"- {s}" for s in c.sources] + [""]
        if carriers:
            links = ", ".join(f"[{p.code}](meridians/{page_of(p)}#{p.code})" for p in carriers)
            lines += [f"Points ({len(carriers)}): {links}.", ""]
        else:
            lines += ["No point of the catalogue carries it.", ""]
    pages.add("cautions.md", "\n".join(lines))
