"""``categories.md``: the textbook categories of points, what each member serves, and sources."""

from __future__ import annotations

from acupoints import Catalog, Knowledge

from .pages import Pages, cell
from .point_text import page_of

__all__ = ["generate"]


def generate(pages: Pages) -> None:
    cat = Catalog.default()
    knowledge = Knowledge.default()
    lines = [
        "# Point categories",
        "",
        "The textbooks teach many points by category: the five transport points of each "
        "channel, its yuan-source, luo-connecting and xi-cleft points, the back-shu and "
        "front-mu points of the organs, the lower he-sea and hui-meeting points, and the "
        "confluent points of the extraordinary vessels with their classical pairs. They are "
        "part of the [meridian graph](../graph.md#point-categories) (a `category` node per "
        "category, a `member` edge from each point), the [selection methods]"
        "(../selection-methods.md) rank points by them, and every point card names them.",
        "",
        "```python",
        "import acupoints",
        "",
        "knowledge = acupoints.Knowledge.default()",
        'print([m.category for m in knowledge.categories_of("LU9")])',
        'print(knowledge.serving("back-shu", "KI"), knowledge.pair_of("SI3"))',
        "```",
        "",
    ]
    for c in knowledge.categories.values():
        also = f" Also called: {', '.join(c.aliases)}." if c.aliases else ""
        lines += [f"## {c.name} {{#{c.id}}}", "", f"**{c.pinyin}** {c.chinese} · id `{c.id}`.{also}", ""]
        lines += [c.summary, ""]
        lines += ["| Point | Pinyin | Serves | Pair | Note |", "|---|---|---|---|---|"]
        for m in c.members:
            p = cat[m.code]
            pair = f"[{m.pair}](meridians/{page_of(cat[m.pair])}#{m.pair})" if m.pair else "—"
            lines.append(
                f"| [{p.code}](meridians/{page_of(p)}#{p.code}) | {p.pinyin} | {m.serves.replace('_', ' ')} "
                f"| {pair} | {cell(m.note or '')} |"
            )
        lines += ["", "Sources:", ""] + [f"- {s}" for s in c.sources] + [""]
    pages.add("categories.md", "\n".join(lines))
