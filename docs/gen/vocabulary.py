"""``snippets/vocabulary.md``: every word list of the case vocabulary, with an anchor each."""

from __future__ import annotations

from acupoints.base.vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    NERVES,
    ONSETS,
    RED_FLAGS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TECHNIQUES,
    TENDERNESS,
)

from .pages import Pages

__all__ = ["VOCABULARY", "generate", "word_link"]

#: The words of the vocabulary, by the name a field table shows for them.
VOCABULARY: dict[str, tuple[str, ...]] = {
    "region": REGIONS,
    "aspect": ASPECTS,
    "sensation": SENSATIONS,
    "cause kind": CAUSE_KINDS,
    "nerve": NERVES,
    "spinal level": LEVELS,
    "flag": FLAGS,
    "red flag": RED_FLAGS,
    "side": SIDES,
    "tenderness": TENDERNESS,
    "onset": ONSETS,
    "technique": TECHNIQUES,
}


def _anchor(name: str) -> str:
    return f"word-{name.replace(' ', '-')}"


def word_link(values: list[object]) -> str | None:
    """A link to the word list these values are, or None if they are no word list."""
    for name, words in VOCABULARY.items():
        if list(words) == list(values):
            return f"[{name}](case.md#{_anchor(name)})"
    return None


def generate(pages: Pages) -> None:
    lines = ["| Word list | Words |", "|---|---|"]
    for name, words in VOCABULARY.items():
        lines.append(f"| {name} {{: #{_anchor(name)} }} | {', '.join(f'`{w}`' for w in words)} |")
    pages.add("snippets/vocabulary.md", "\n".join(lines))
