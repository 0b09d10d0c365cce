"""``snippets/roots.md``: the nerve root table as the graph holds it (exit, skin, channels)."""

from __future__ import annotations

from acupoints.catalog.knowledge import Knowledge

from .pages import Pages, cell

__all__ = ["generate"]


def _skin(root: object) -> str:
    derm = root.dermatome  # type: ignore[attr-defined]
    areas = [f"{a.region} ({'/'.join(a.aspects)})" if a.aspects else a.region for a in derm.areas]
    digits = [f"fingers {', '.join(map(str, derm.fingers))}"] if derm.fingers else []
    digits += [f"toes {', '.join(map(str, derm.toes))}"] if derm.toes else []
    return ", ".join(areas + digits)


def generate(pages: Pages) -> None:
    k = Knowledge.default()
    lines = [
        "| root | leaves the spine | points at the exit | skin (dermatome) | key sensory point | channels of that skin |",
        "|---|---|---|---|---|---|",
    ]
    for level, r in k.roots.items():
        where = f"between {r.exit[0]} and {r.exit[1]}" if len(r.exit) == 2 else f"sacral foramen {r.exit[0]}"
        points = ", ".join(f"`{p}`" for p in k.exit_points(level))
        chans = ", ".join(f"`{c.code}`" if c.main else f"`{c.code}` (touches)" for c in r.channels)
        lines.append(
            f"| {level} | {where} | {points} | {cell(_skin(r))} | {cell(r.dermatome.key_point)} | {chans} |"
        )
    sources = dict.fromkeys(s for r in k.roots.values() for s in (*r.dermatome.sources, *r.sources))
    lines += ["", "Sources of the table:", ""] + [f"- {cell(s)}" for s in sources]
    pages.add("snippets/roots.md", "\n".join(lines))
