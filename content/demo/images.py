"""Pictures for the demo, drawn with Pillow: product shots, article scenes, portraits
and brand marks. Nothing is downloaded, and the same input always draws the same
picture, so a rerun of the seed can skip what already exists.

Every product kind is drawn in a 100 × 100 unit box (floor at y = 88) by a small
function below; a scene places several of them on a table top. Shapes are drawn at
twice the size and scaled down, which gives smooth edges without an anti-aliasing
library.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

RGB = tuple[int, int, int]
SUPERSAMPLE = 2
SCENE_SIZE = (1600, 900)
CJK_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
)
CJK_SC_INDEX = 2  # Simplified Chinese face inside the Noto .ttc collections
LATIN_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)


# --------------------------------------------------------------------- colours

def hex_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


def shade(colour: RGB, amount: float) -> RGB:
    """Negative ``amount`` darkens towards black, positive lightens towards white."""
    return mix(colour, (0, 0, 0), -amount) if amount < 0 else mix(colour, (255, 255, 255), amount)


WHITE: RGB = (255, 255, 255)
STEEL: RGB = (196, 200, 204)
WOOD: RGB = (190, 146, 102)
GLASS: RGB = (214, 232, 236)
INK: RGB = (46, 48, 54)


# --------------------------------------------------------------------- fonts

@cache
def font(size: int, *, bold: bool = False, cjk: bool = False) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """A font that can draw ``size`` px text; Chinese only when a CJK font is installed."""
    candidates = CJK_FONTS if cjk else LATIN_FONTS + CJK_FONTS
    path = candidates[1 if bold else 0]
    if path.exists():
        return ImageFont.truetype(str(path), size, index=CJK_SC_INDEX if path.suffix == ".ttc" else 0)
    return ImageFont.load_default(size=size)


def _has_cjk(text: str) -> bool:
    return any(ord(ch) >= 0x2E80 for ch in text)


def can_draw_chinese() -> bool:
    return any(path.exists() for path in CJK_FONTS)


def drawable(text: str) -> str:
    """``text`` without its Chinese characters when no CJK font is installed."""
    if can_draw_chinese():
        return text
    return " ".join("".join(ch for ch in text if ord(ch) < 0x2E80).split())


# --------------------------------------------------------------------- the pen

class Pen:
    """Draws in the 0–100 unit box of one product onto a supersampled RGBA layer."""

    def __init__(self, draw: ImageDraw.ImageDraw, size: int):
        self.d = draw
        self.k = size / 100

    def _box(self, x0, y0, x1, y1):
        k = self.k
        return (x0 * k, y0 * k, x1 * k, y1 * k)

    def rect(self, x0, y0, x1, y1, fill, r=0.0, outline=None, width=0.0):
        self.d.rounded_rectangle(self._box(x0, y0, x1, y1), radius=r * self.k, fill=fill,
                                 outline=outline, width=round(width * self.k))

    def ellipse(self, x0, y0, x1, y1, fill=None, outline=None, width=0.0):
        self.d.ellipse(self._box(x0, y0, x1, y1), fill=fill, outline=outline, width=round(width * self.k))

    def circle(self, x, y, r, fill=None, outline=None, width=0.0):
        self.ellipse(x - r, y - r, x + r, y + r, fill=fill, outline=outline, width=width)

    def poly(self, points: Sequence[tuple[float, float]], fill):
        self.d.polygon([(x * self.k, y * self.k) for x, y in points], fill=fill)

    def line(self, points: Sequence[tuple[float, float]], fill, width: float):
        self.d.line([(x * self.k, y * self.k) for x, y in points], fill=fill,
                    width=max(1, round(width * self.k)), joint="curve")
        for x, y in (points[0], points[-1]):  # round caps
            self.circle(x, y, width / 2, fill=fill)

    def arc(self, x0, y0, x1, y1, start, end, fill, width):
        self.d.arc(self._box(x0, y0, x1, y1), start, end, fill=fill, width=max(1, round(width * self.k)))

    def shine(self, x0, y0, x1, y1, r=2.0, alpha=70):
        """A soft highlight stripe that makes flat shapes read as rounded."""
        self.rect(x0, y0, x1, y1, fill=(255, 255, 255, alpha), r=r)


def curve(cx: float, top: float, bottom: float, widths: Sequence[float], steps: int = 24):
    """A lathe outline: a symmetric body whose half-width follows ``widths`` top to bottom."""
    left, right = [], []
    n = len(widths) - 1
    for i in range(steps + 1):
        t = i / steps
        seg = min(int(t * n), n - 1)
        local = t * n - seg
        w = widths[seg] + (widths[seg + 1] - widths[seg]) * (0.5 - math.cos(local * math.pi) / 2)
        y = top + (bottom - top) * t
        left.append((cx - w, y))
        right.append((cx + w, y))
    return left + right[::-1]


# --------------------------------------------------------------------- kinds
# Each function draws one kind of product in colour ``c`` (with ``a``, an accent).

def kettle(p: Pen, c: RGB, a: RGB):
    p.arc(52, 30, 86, 76, 270, 90, shade(c, -0.35), 5)
    p.poly([(24, 52), (8, 38), (6, 41), (20, 62)], shade(c, -0.1))
    p.poly(curve(46, 34, 88, [18, 21, 25, 27, 26]), c)
    p.rect(19, 80, 73, 88, shade(c, -0.3), r=3)
    p.ellipse(30, 29, 62, 38, shade(c, 0.25))
    p.rect(42, 24, 50, 31, a, r=2)
    p.shine(27, 44, 31, 74)


def mug(p: Pen, c: RGB, a: RGB):
    p.ellipse(58, 52, 84, 78, outline=shade(c, -0.15), width=6)
    p.rect(26, 44, 66, 88, c, r=7)
    p.ellipse(26, 40, 66, 49, shade(c, 0.35))
    p.ellipse(29, 41.5, 63, 47.5, shade(c, -0.45))
    p.rect(26, 64, 66, 68, a)
    p.shine(30, 52, 34, 82)


def teapot(p: Pen, c: RGB, a: RGB):
    p.poly([(28, 62), (10, 44), (7, 47), (22, 74)], shade(c, -0.1))
    p.arc(60, 44, 90, 78, 270, 90, shade(c, -0.3), 5)
    p.ellipse(22, 42, 78, 90, c)
    p.ellipse(34, 38, 66, 48, shade(c, 0.2))
    p.circle(50, 36, 4, a)
    p.rect(22, 70, 78, 73, a)
    p.shine(30, 54, 34, 78)


def pan(p: Pen, c: RGB, a: RGB):
    p.rect(62, 66, 96, 73, WOOD, r=3)
    p.ellipse(8, 54, 72, 88, shade(c, -0.25))
    p.ellipse(11, 55, 69, 82, c)
    p.ellipse(17, 58, 63, 78, shade(c, -0.45))
    p.circle(58, 69.5, 1.6, STEEL)


def jar(p: Pen, c: RGB, a: RGB):
    p.rect(28, 40, 72, 88, shade(GLASS, -0.05), r=8)
    p.rect(30, 54, 70, 86, c, r=6)
    p.rect(30, 30, 70, 42, a, r=3)
    p.rect(36, 58, 64, 72, (255, 255, 255, 210), r=2)
    p.shine(32, 44, 36, 84)


def bottle(p: Pen, c: RGB, a: RGB):
    p.rect(38, 22, 62, 88, c, r=9)
    p.rect(40, 12, 60, 26, shade(c, -0.35), r=4)
    p.rect(38, 70, 62, 74, a)
    p.shine(41, 30, 45, 82)


def pourover(p: Pen, c: RGB, a: RGB):
    p.poly(curve(50, 50, 88, [12, 20, 22, 16]), shade(GLASS, -0.05))
    p.poly(curve(50, 70, 87, [20, 21, 15]), (120, 78, 50))
    p.poly([(28, 26), (72, 26), (58, 50), (42, 50)], c)
    p.rect(26, 22, 74, 28, shade(c, -0.15), r=2)
    p.arc(68, 28, 80, 42, 270, 90, shade(c, -0.15), 3)


def lamp(p: Pen, c: RGB, a: RGB):
    p.ellipse(30, 82, 70, 90, shade(a, -0.2))
    p.line([(50, 86), (50, 40)], shade(a, -0.3), 3)
    p.poly([(34, 14), (66, 14), (78, 44), (22, 44)], c)
    p.ellipse(22, 40, 78, 48, shade(c, -0.2))
    p.ellipse(34, 42, 66, 47, (255, 240, 190))
    p.shine(36, 18, 40, 40)


def chair(p: Pen, c: RGB, a: RGB):
    legs = shade(WOOD, -0.15)
    for x0, x1 in ((26, 30), (66, 70)):
        p.rect(x0, 58, x1, 88, legs, r=1.5)
    p.rect(62, 14, 70, 60, legs, r=2)
    p.rect(58, 18, 72, 46, c, r=5)
    p.rect(22, 52, 74, 62, c, r=4)
    p.rect(22, 58, 74, 62, shade(c, -0.2), r=2)


def vase(p: Pen, c: RGB, a: RGB):
    p.line([(50, 30), (44, 6)], (90, 130, 90), 1.5)
    p.line([(50, 30), (60, 10)], (90, 130, 90), 1.5)
    p.circle(44, 6, 4, a)
    p.circle(60, 10, 3.5, shade(a, 0.3))
    p.poly(curve(50, 24, 88, [7, 6, 18, 22, 14]), c)
    p.shine(38, 50, 42, 78)


def cushion(p: Pen, c: RGB, a: RGB):
    p.rect(16, 30, 84, 88, c, r=18)
    p.rect(20, 34, 80, 84, shade(c, 0.12), r=15)
    p.line([(20, 59), (80, 59)], shade(c, -0.15), 1)
    p.circle(50, 59, 3, a)


def candle(p: Pen, c: RGB, a: RGB):
    p.ellipse(44, 18, 56, 36, (255, 200, 90))
    p.ellipse(47, 24, 53, 35, (255, 245, 200))
    p.line([(50, 35), (50, 40)], INK, 1)
    p.rect(28, 40, 72, 88, shade(GLASS, -0.1), r=6)
    p.rect(30, 46, 70, 86, c, r=5)
    p.rect(36, 58, 64, 72, (255, 255, 255, 200), r=1)


def serum(p: Pen, c: RGB, a: RGB):
    p.rect(34, 42, 66, 88, c, r=6)
    p.rect(42, 32, 58, 43, a, r=2)
    p.ellipse(41, 12, 59, 36, shade(INK, 0.1))
    p.rect(38, 60, 62, 76, (255, 255, 255, 200), r=1)
    p.shine(37, 46, 40, 84)


def cream(p: Pen, c: RGB, a: RGB):
    p.rect(22, 62, 78, 88, c, r=6)
    p.rect(20, 50, 80, 64, a, r=4)
    p.rect(20, 58, 80, 64, shade(a, -0.15), r=2)
    p.shine(26, 66, 30, 84)


def tube(p: Pen, c: RGB, a: RGB):
    p.poly([(36, 14), (64, 14), (60, 70), (40, 70)], c)
    p.rect(34, 12, 66, 18, shade(c, -0.1), r=1)
    p.rect(40, 70, 60, 88, a, r=3)
    p.rect(42, 32, 58, 54, (255, 255, 255, 190), r=1)


def lipstick(p: Pen, c: RGB, a: RGB):
    p.poly([(42, 30), (52, 18), (58, 24), (58, 44), (42, 44)], c)
    p.rect(40, 42, 60, 52, shade(STEEL, 0.1), r=1)
    p.rect(38, 52, 62, 88, a, r=3)
    p.shine(41, 56, 44, 84)


def perfume(p: Pen, c: RGB, a: RGB):
    p.rect(42, 18, 58, 36, a, r=3)
    p.rect(46, 34, 54, 42, shade(STEEL, -0.1))
    p.rect(24, 40, 76, 88, c, r=8)
    p.rect(28, 44, 72, 84, shade(c, 0.2), r=6)
    p.rect(38, 58, 62, 70, (255, 255, 255, 200), r=1)


def headphones(p: Pen, c: RGB, a: RGB):
    p.arc(18, 14, 82, 84, 180, 360, shade(c, -0.25), 7)
    p.rect(12, 46, 30, 84, c, r=8)
    p.rect(70, 46, 88, 84, c, r=8)
    p.rect(26, 50, 32, 80, a, r=3)
    p.rect(68, 50, 74, 80, a, r=3)
    p.shine(15, 52, 18, 78)


def earbuds(p: Pen, c: RGB, a: RGB):
    p.rect(20, 46, 80, 88, c, r=20)
    p.rect(20, 46, 80, 62, shade(c, 0.12), r=14)
    p.rect(20, 56, 80, 62, shade(c, 0.12))
    p.line([(22, 62), (78, 62)], shade(c, -0.25), 1)
    p.circle(50, 74, 1.8, a)
    p.shine(26, 66, 29, 82)


def speaker(p: Pen, c: RGB, a: RGB):
    p.rect(24, 22, 76, 88, c, r=14)
    for row in range(6):
        for col in range(5):
            p.circle(33 + col * 8.5, 36 + row * 8, 1.5, shade(c, -0.35))
    p.rect(42, 80, 58, 83, a, r=1.5)


def powerbank(p: Pen, c: RGB, a: RGB):
    p.rect(30, 16, 70, 88, c, r=8)
    p.rect(34, 20, 66, 84, shade(c, 0.1), r=6)
    for i in range(4):
        p.circle(42 + i * 5.5, 76, 1.3, a if i < 3 else shade(c, -0.2))
    p.rect(44, 16, 56, 18, INK, r=1)


def watch(p: Pen, c: RGB, a: RGB):
    p.rect(38, 8, 62, 92, c, r=6)
    p.rect(30, 32, 70, 70, INK, r=10)
    p.rect(33, 35, 67, 67, shade(INK, 0.1), r=8)
    p.arc(38, 40, 62, 62, 200, 500, a, 2.5)
    p.rect(70, 46, 73, 54, STEEL, r=1)


def backpack(p: Pen, c: RGB, a: RGB):
    p.arc(38, 8, 62, 30, 180, 360, shade(c, -0.3), 3)
    p.rect(24, 18, 76, 88, c, r=16)
    p.rect(32, 54, 68, 82, shade(c, -0.12), r=8)
    p.line([(32, 60), (68, 60)], a, 1.5)
    p.rect(26, 40, 74, 43, shade(c, -0.2))
    p.rect(46, 20, 54, 24, a, r=1)


def tent(p: Pen, c: RGB, a: RGB):
    p.poly([(8, 88), (50, 20), (92, 88)], c)
    p.poly([(50, 20), (92, 88), (70, 88)], shade(c, -0.18))
    p.poly([(36, 88), (50, 56), (64, 88)], shade(INK, 0.15))
    p.line([(50, 20), (50, 12)], shade(INK, 0.3), 1.2)
    p.poly([(50, 12), (60, 15), (50, 18)], a)


def lantern(p: Pen, c: RGB, a: RGB):
    p.arc(36, 8, 64, 30, 180, 360, shade(c, -0.3), 3)
    p.rect(34, 18, 66, 28, c, r=4)
    p.rect(36, 28, 64, 76, (255, 238, 180), r=4)
    p.ellipse(42, 38, 58, 66, (255, 214, 120))
    p.line([(36, 30), (36, 76)], shade(c, -0.2), 2)
    p.line([(64, 30), (64, 76)], shade(c, -0.2), 2)
    p.rect(32, 76, 68, 88, c, r=4)


def blocks(p: Pen, c: RGB, a: RGB):
    letters = [(22, 62, c), (54, 62, a), (38, 36, shade(c, 0.35))]
    for x, y, colour in letters:
        p.rect(x, y, x + 26, y + 26, colour, r=3)
        p.rect(x + 4, y + 4, x + 22, y + 22, shade(colour, 0.3), r=2)


def bear(p: Pen, c: RGB, a: RGB):
    p.ellipse(26, 50, 74, 90, c)
    p.ellipse(36, 60, 64, 86, shade(c, 0.35))
    p.circle(32, 20, 8, c)
    p.circle(68, 20, 8, c)
    p.circle(50, 36, 20, c)
    p.ellipse(41, 38, 59, 52, shade(c, 0.4))
    p.circle(43, 32, 2, INK)
    p.circle(57, 32, 2, INK)
    p.ellipse(47, 40, 53, 44, INK)
    p.rect(38, 54, 62, 58, a, r=2)


def baby_bottle(p: Pen, c: RGB, a: RGB):
    p.ellipse(42, 8, 58, 30, shade(a, 0.3))
    p.rect(36, 24, 64, 36, a, r=3)
    p.rect(34, 34, 66, 88, shade(GLASS, -0.05), r=10)
    p.rect(36, 56, 64, 86, c, r=8)
    for i in range(4):
        p.line([(36, 44 + i * 10), (42, 44 + i * 10)], shade(c, -0.3), 1)


def knife(p: Pen, c: RGB, a: RGB):
    p.poly([(8, 78), (62, 70), (62, 84), (14, 86)], shade(STEEL, 0.2))
    p.poly([(8, 78), (62, 70), (62, 75)], WHITE)
    p.rect(60, 69, 94, 85, c, r=5)
    for x in (70, 78, 86):
        p.circle(x, 77, 1.3, STEEL)


KINDS: dict[str, Callable[[Pen, RGB, RGB], None]] = {
    fn.__name__: fn for fn in (
        kettle, mug, teapot, pan, jar, bottle, pourover, lamp, chair, vase, cushion, candle,
        serum, cream, tube, lipstick, perfume, headphones, earbuds, speaker, powerbank, watch,
        backpack, tent, lantern, blocks, bear, baby_bottle, knife,
    )
}


# --------------------------------------------------------------------- composition

@dataclass(frozen=True)
class Thing:
    """One product to place in a picture: its kind and its two colours."""

    kind: str
    colour: RGB
    accent: RGB


def _backdrop(width: int, height: int, colour: RGB, horizon: float) -> Image.Image:
    """A soft studio backdrop: wall gradient above ``horizon`` (0–1), a table top below."""
    wall = Image.new("RGB", (width, height), shade(colour, 0.35))
    gradient = Image.linear_gradient("L").resize((width, height))
    wall = Image.composite(Image.new("RGB", (width, height), shade(colour, 0.05)), wall, gradient)
    top = round(height * horizon)
    table = Image.new("RGB", (width, height - top), shade(colour, -0.1))
    fade = Image.linear_gradient("L").resize((width, height - top)).point(lambda v: 255 - v // 3)
    table = Image.composite(table, Image.new("RGB", table.size, shade(colour, -0.22)), fade)
    wall.paste(table, (0, top))
    ImageDraw.Draw(wall).line([(0, top), (width, top)], fill=shade(colour, 0.45), width=max(2, height // 300))
    return wall


def _vignette(image: Image.Image) -> Image.Image:
    w, h = image.size
    mask = Image.new("L", (w // 8, h // 8), 0)
    ImageDraw.Draw(mask).ellipse((-w // 40, -h // 40, w // 8 + w // 40, h // 8 + h // 40), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(max(w, h) // 60)).resize((w, h))
    dark = Image.new("RGB", (w, h), shade(image.getpixel((w // 2, h // 2)), -0.25))
    return Image.composite(image, dark, mask.point(lambda v: 190 + v * 65 // 255))


def _place(canvas: Image.Image, thing: Thing, *, x: int, floor: int, size: int) -> None:
    """Draw ``thing`` on ``canvas`` in a ``size`` px box centred on ``x``, standing on ``floor``."""
    left, top = x - size // 2, floor - round(size * 0.88)
    # shadow: a blurred ellipse where the object meets the table
    shadow = Image.new("L", (size, size // 3), 0)
    ImageDraw.Draw(shadow).ellipse((size * 0.12, size * 0.08, size * 0.88, size * 0.22), fill=95)
    shadow = shadow.filter(ImageFilter.GaussianBlur(size // 28))
    canvas.paste(Image.new("RGB", shadow.size, (40, 40, 40)), (left, floor - round(size * 0.15)), shadow)
    big = size * SUPERSAMPLE
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    KINDS[thing.kind](Pen(ImageDraw.Draw(layer), big), thing.colour, thing.accent)
    layer = layer.resize((size, size), Image.Resampling.LANCZOS)
    canvas.paste(layer, (left, top), layer)


def _caption(canvas: Image.Image, text: str, *, size: int, colour: RGB) -> None:
    text = drawable(text)
    if not text:
        return
    draw = ImageDraw.Draw(canvas)
    face = font(size, bold=True, cjk=_has_cjk(text))
    margin = round(size * 1.6)
    draw.text((margin, canvas.height - margin), text, font=face, fill=colour, anchor="ls")


def _encode(image: Image.Image, *, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def product_picture(*, things: Sequence[Thing], background: RGB, label: str = "",
                    size: int = 1200, close_up: bool = False) -> bytes:
    """A square JPEG: one to three products on a soft backdrop, the brand name small."""
    canvas = _backdrop(size, size, background, horizon=0.68)
    floor = round(size * 0.8)
    if len(things) == 1:
        box = round(size * (0.78 if close_up else 0.58))
        _place(canvas, things[0], x=size // 2, floor=floor if not close_up else round(size * 0.9), size=box)
    else:
        box = round(size * (0.62 / len(things) + 0.14))
        step = size / (len(things) + 1)
        for i, thing in enumerate(things, start=1):
            _place(canvas, thing, x=round(step * i), floor=floor + (i % 2) * size // 40, size=box)
    canvas = _vignette(canvas)
    _caption(canvas, label, size=size // 40, colour=shade(background, -0.55))
    return _encode(canvas, fmt="JPEG")


@dataclass(frozen=True)
class Spot:
    """Where a placed thing ended up, in percent of the picture (for hotspots)."""

    x: float
    y: float


def scene_picture(*, things: Sequence[Thing], background: RGB, width: int = SCENE_SIZE[0],
                  height: int = SCENE_SIZE[1]) -> bytes:
    """A wide JPEG of several products on one table, placed as ``scene_spots`` says."""
    canvas = _backdrop(width, height, background, horizon=0.62)
    # a window on the wall gives the scene depth
    draw = ImageDraw.Draw(canvas)
    wx0, wy0 = round(width * 0.64), round(height * 0.08)
    draw.rounded_rectangle((wx0, wy0, wx0 + width // 4, wy0 + round(height * 0.38)),
                           radius=height // 60, fill=shade(background, 0.55))
    draw.line([(wx0 + width // 8, wy0), (wx0 + width // 8, wy0 + round(height * 0.38))],
              fill=shade(background, 0.2), width=height // 120)
    for thing, (x, floor, box) in zip(things, _scene_layout(len(things), width, height), strict=True):
        _place(canvas, thing, x=x, floor=floor, size=box)
    return _encode(_vignette(canvas), fmt="JPEG")


def _scene_layout(count: int, width: int, height: int) -> list[tuple[int, int, int]]:
    """(centre x, floor y, box size) in px for each of ``count`` things in a scene."""
    step = width / (count + 1)
    layout = []
    for i in range(1, count + 1):
        box = round(height * (0.62 if count <= 3 else 0.5) * (1.0 if i % 2 else 0.82))
        floor = round(height * (0.86 if i % 2 else 0.8))
        layout.append((round(step * i), floor, box))
    return layout


def scene_spots(count: int, *, width: int = SCENE_SIZE[0], height: int = SCENE_SIZE[1]) -> list[Spot]:
    """Where each of ``count`` things stands in a scene, in percent: the middle of its body."""
    return [Spot(x=round(100 * x / width, 1), y=round(100 * (floor - box * 0.4) / height, 1))
            for x, floor, box in _scene_layout(count, width, height)]


def portrait_picture(*, initials: str, background: RGB, size: int = 600) -> bytes:
    """A square PNG avatar: a round tile with the person's initials or family name."""
    big = size * SUPERSAMPLE
    tile = Image.new("RGB", (big, big), background)
    draw = ImageDraw.Draw(tile)
    draw.ellipse((big * 0.06, big * 0.06, big * 0.94, big * 0.94), outline=shade(background, 0.3),
                 width=max(2, big // 120))
    text = drawable(initials) or "?"
    face = font(round(big * (0.32 if len(text) > 1 else 0.42)), bold=True, cjk=_has_cjk(text))
    draw.text((big / 2, big / 2), text, font=face, fill=WHITE, anchor="mm")
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, big - 1, big - 1), fill=255)
    canvas = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    canvas.paste(tile, (0, 0), mask)
    return _encode(canvas.resize((size, size), Image.Resampling.LANCZOS), fmt="PNG")


def wordmark_picture(*, name: str, colour: RGB, width: int = 600, height: int = 300) -> bytes:
    """A brand logo: the name set in a light tile."""
    canvas = Image.new("RGB", (width, height), shade(colour, 0.85))
    draw = ImageDraw.Draw(canvas)
    text = drawable(name)
    face = font(height // 5, bold=True, cjk=_has_cjk(text))
    draw.text((width / 2, height / 2), text, font=face, fill=shade(colour, -0.3), anchor="mm")
    draw.line([(width * 0.4, height * 0.7), (width * 0.6, height * 0.7)], fill=colour, width=4)
    return _encode(canvas, fmt="PNG")
