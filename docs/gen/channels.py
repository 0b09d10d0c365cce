"""``meridians/<code>.md``: a page per channel, with every point of it."""

from __future__ import annotations

from acupoints import Catalog
from acupoints.catalog.graph import PAIRS
from acupoints.render.chart import render_meridian_svg

from .pages import Pages
from .point_text import point_section, summary_table

__all__ = ["generate"]

_DIGITS = {
    "hand": ("", "thumb", "index finger", "middle finger", "ring finger", "little finger"),
    "foot": ("", "big toe", "second toe", "third toe", "fourth toe", "little toe"),
}


def digits_text(digits: tuple[int, ...], limb: str) -> str:
    names = _DIGITS[limb]
    return ", ".join(names[d] for d in digits)


def generate(pages: Pages) -> None:
    cat = Catalog.default()
    graph = cat.graph
    partners = dict(PAIRS) | {b: a for a, b in PAIRS}
    for m in cat.meridians.values():
        points = cat.points_of(m.code)
        reach = []
        if m.fingers:
            reach.append(f"reaches the {digits_text(m.fingers, 'hand')}")
        if m.toes:
            reach.append(f"reaches the {digits_text(m.toes, 'foot')}")
        facts = [
            f"**{m.pinyin}** {m.chinese}",
            f"{m.surface.capitalize()} channel of the {m.limb}",
            *reach,
            f"{len(points)} points, {points[0].code} to {points[-1].code}",
        ]
        if m.code in partners:
            facts.append(f"interior-exterior partner: [{partners[m.code]}]({partners[m.code].lower()}.md)")
        nxt = graph.flow_next(m.code)
        if nxt:
            facts.append(f"the flow passes on to [{nxt}]({nxt.lower()}.md)")
        aliases = ", ".join(f"`{a}`" for a in m.aliases)
        lines = [
            f"# {m.name} ({m.code})",
            "",
            " · ".join(facts) + ".",
            "",
        ]
        same = graph.same_name(m.code)
        if same:
            facts_same = f"same-name channel on the other limb: [{same}]({same.lower()}.md)"
            lines[2] = lines[2].removesuffix(".") + " · " + facts_same + "."
        if aliases:
            lines += [f"Codes typed with {aliases} instead of `{m.code}` resolve to this channel.", ""]
        others = [a.text for a in cat.aliases.channels if a.code == m.code]
        if others:
            written = ", ".join(f'"{t} {points[0].number}"' for t in others)
            lines += [
                f"It is also written {written} and so on: other names of the channel, with their "
                "sources in the package's `data/aliases.yaml`.",
                "",
            ]
        if m.crosses:
            lines += ["Its course also runs over skin where none of its points is filed; the engine counts "
                      "that skin as the channel's when a complaint names it:", ""]  # fmt: skip
            lines += [
                f"- the {c.aspect} {c.region.replace('_', ' ')}: {c.where} ({c.source})" for c in m.crosses
            ]
            lines += [""]
        # The channel on the body chart: the same drawing as the notebooks' rich display.
        lines += [f'<div class="meridian-chart">{render_meridian_svg(cat, m.code)}</div>', ""]
        lines += ["## All points", ""] + summary_table(points, cat) + ["## The points one by one", ""]
        for p in points:
            lines += point_section(p, cat)
        pages.add(f"meridians/{m.code.lower()}.md", "\n".join(lines))
