"""``meridians/index.md``: the channels in one table, and how they connect."""

from __future__ import annotations

from acupoints import Catalog
from acupoints.base.vocab import FLOW
from acupoints.catalog.graph import PAIRS

from .pages import Pages

__all__ = ["generate"]


def generate(pages: Pages) -> None:
    cat = Catalog.default()
    extras = [p for p in cat if p.is_extra]
    lines = [
        "# Meridians",
        "",
        f"The catalogue holds {len(cat)} points: the "
        f"{sum(1 for p in cat if not p.is_extra)} standard points of the fourteen channels and "
        f"{len(extras)} extra points. Each page lists every point of one channel with its "
        "code, pinyin, characters, region, aspect, spinal levels, location and cautions.",
        "",
        "| Code | Channel | Pinyin | Characters | Surface | Limb | Points | Also typed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in cat.meridians.values():
        lines.append(
            f"| [{m.code}]({m.code.lower()}.md) | {m.name} | {m.pinyin} | {m.chinese} | {m.surface} "
            f"| {m.limb} | {len(m.points)} | {', '.join(m.aliases) or '—'} |"
        )
    lines.append(f"| [EX](extra.md) | Extra points | — | — | — | — | {len(extras)} | — |")
    lines += [
        "",
        "## How the channels connect",
        "",
        "The flow of the twelve regular channels, which the graph holds as `flow` edges: "
        + " → ".join(f"[{c}]({c.lower()}.md)" for c in (*FLOW, FLOW[0]))
        + ".",
        "",
        "The interior-exterior (Yin-Yang) pairs, held as `pair` edges both ways: "
        + ", ".join(f"{a}-{b}" for a, b in PAIRS)
        + ".",
        "",
        "The Governor Vessel (GV) runs up the back midline and the Conception Vessel (CV) up "
        "the front midline; neither joins the flow.",
    ]
    pages.add("meridians/index.md", "\n".join(lines))
