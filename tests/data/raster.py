"""SVG to pixels for the chart tests: resvg draws the SVG, Pillow reads the colours back.

Both are permissive (resvg-py MIT, Pillow MIT-CMU) self-contained wheels that need no
system library. resvg returns a PNG that is transparent where nothing is drawn; the chart
is meant for a white page, so the pixels are read as composited on white.
"""

from __future__ import annotations

import io

import resvg_py
from PIL import Image

__all__ = ["Raster", "rasterise"]


class Raster:
    """An image whose ``pixel(x, y)`` is the (red, green, blue) a reader sees on white."""

    def __init__(self, png: bytes) -> None:
        drawn = Image.open(io.BytesIO(png)).convert("RGBA")
        page = Image.new("RGBA", drawn.size, (255, 255, 255, 255))
        self._image = Image.alpha_composite(page, drawn).convert("RGB")
        self.width, self.height = self._image.size

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        r, g, b = self._image.getpixel((x, y))  # type: ignore[misc]
        return int(r), int(g), int(b)


def rasterise(svg: str, zoom: float = 1.0) -> Raster:
    """The SVG drawn at ``zoom`` times its size: one pixel per user unit at zoom 1."""
    return Raster(resvg_py.svg_to_bytes(svg_string=svg, zoom=zoom))
