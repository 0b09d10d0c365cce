"""``meridians/extra.md``: the WHO extra points, grouped by body part."""

from __future__ import annotations

import re

from acupoints import Catalog

from .pages import Pages
from .point_text import point_section, summary_table

__all__ = ["generate"]

GROUP_TITLES = {
    "HN": "Head and neck (EX-HN)",
    "CA": "Chest and abdomen (EX-CA)",
    "B": "Back (EX-B)",
    "UE": "Upper extremity (EX-UE)",
    "LE": "Lower extremity (EX-LE)",
}


def generate(pages: Pages) -> None:
    cat = Catalog.default()
    extras = [p for p in cat if p.is_extra]
    lines = [
        "# Extra points (EX)",
        "",
        f"The {len(extras)} extra points of the WHO standard nomenclature. They lie off the "
        "fourteen channels, so they have no meridian; rules reach them by code, by region, or "
        "(for the group points) by instance, such as Jiaji beside one spinal segment "
        "(`EX-B2@C6`).",
        "",
        "## All points",
        "",
        *summary_table(extras, cat),
    ]
    for prefix, title in GROUP_TITLES.items():
        group = [p for p in extras if re.fullmatch(rf"EX-{prefix}\d+", p.code)]
        if not group:
            continue
        lines += [f"## {title}", ""]
        for p in group:
            lines += point_section(p, cat)
    # A point under none of the groups would be missing from the page: refuse instead.
    grouped = sum(1 for p in extras if re.fullmatch(r"EX-(HN|CA|B|UE|LE)\d+", p.code))
    if grouped != len(extras):
        raise ValueError("an extra point has a code outside EX-HN, EX-CA, EX-B, EX-UE, EX-LE")
    pages.add("meridians/extra.md", "\n".join(lines))
