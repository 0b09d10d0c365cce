"""The chart's colours and font: one palette shared by every drawing."""

from __future__ import annotations

from ...base.vocab import ROLES

__all__ = [
    "CHANNEL_COLOURS",
    "DETAIL",
    "EXCLUDED_COLOUR",
    "FONT",
    "INK",
    "OUTLINE",
    "REGION_COLOUR",
    "ROLE_COLOURS",
    "SKIN",
]

#: Marker colours by role (colour-blind safe, dark enough for white text around them).
ROLE_COLOURS: dict[str, str] = {
    "local": "#c0392b",
    "distal": "#1f5fa8",
    "segmental": "#d97b00",
    "adjunct": "#2e8b57",
    "complementary": "#7b5ea7",
}
#: Line colours of the channels (muted, so that the role colours stand out).
CHANNEL_COLOURS: dict[str, str] = {
    "LU": "#8a9a5b", "LI": "#b08d57", "ST": "#c77d7d", "SP": "#b5a642", "HT": "#cf6f8f",
    "SI": "#a07cc5", "BL": "#5b8fb9", "KI": "#4f7f7f", "PC": "#c26ac2", "TE": "#d08a4f",
    "GB": "#5f9e6e", "LR": "#7a9a3a", "GV": "#6c6fb5", "CV": "#b5657a",
}  # fmt: skip
EXCLUDED_COLOUR = "#7b7b7b"
REGION_COLOUR = "#f08a5d"
SKIN, OUTLINE, DETAIL, INK = "#f6efe7", "#6d635a", "#b8ab9e", "#222222"
FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
assert set(ROLE_COLOURS) == set(ROLES)
