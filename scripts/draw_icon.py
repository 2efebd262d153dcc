"""Draw the app's icon (ui/static/icon.png): two speech bubbles on NHS blue, made here, so the browser
never asks another host for a favicon. Re-run to re-make the same file."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "ui" / "static" / "icon.png"
SIZE = 64
NHS_BLUE = (0, 94, 184, 255)
WHITE = (255, 255, 255, 255)
PALE = (201, 225, 247, 255)


def draw() -> Image.Image:
    """The icon, drawn at 4x and scaled down for smooth edges."""
    s = 4
    img = Image.new("RGBA", (SIZE * s, SIZE * s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, SIZE * s - 1, SIZE * s - 1), radius=12 * s, fill=NHS_BLUE)
    # Back bubble (pale), tail to the lower right.
    d.rounded_rectangle((26 * s, 12 * s, 56 * s, 36 * s), radius=7 * s, fill=PALE)
    d.polygon([(46 * s, 35 * s), (52 * s, 44 * s), (40 * s, 35 * s)], fill=PALE)
    # Front bubble (white), tail to the lower left, with three dots of "speech".
    d.rounded_rectangle((8 * s, 22 * s, 42 * s, 48 * s), radius=8 * s, fill=WHITE)
    d.polygon([(14 * s, 47 * s), (10 * s, 57 * s), (22 * s, 47 * s)], fill=WHITE)
    for x in (17, 25, 33):
        d.ellipse(((x - 2.5) * s, 32.5 * s, (x + 2.5) * s, 37.5 * s), fill=NHS_BLUE)
    return img.resize((SIZE, SIZE), Image.LANCZOS)


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    draw().save(OUT, optimize=True)
