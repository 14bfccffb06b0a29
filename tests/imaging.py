"""Images the OCR tests make: forms and cards drawn with Japanese fonts at a scanner's
resolution, and the same as a phone would take them (tilt, blur, JPEG, uneven light)."""

from __future__ import annotations

import io
import os
import random

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from scanner.extract import ocr

FONTS = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
"""Japanese fonts from Debian (fonts-ipafont-gothic, -mincho; fonts-noto-cjk)."""
A4_INCHES = (8.27, 11.69)
POINT = 1 / 72
"""A point in inches: print sizes are given in points, as an office document sets them."""


def need_ocr() -> None:
    """Skip (fail in CI) when OCR or the fonts the tests draw with are missing."""
    why = ocr.unavailable()
    if why is None and not any(os.path.exists(f) for f in FONTS):
        why = "no Japanese font (fonts-ipafont-gothic)"
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why}: tests/run.sh installs it")
        pytest.skip(why)


def font(size_px: int, mincho: bool = False) -> ImageFont.FreeTypeFont:
    """A Japanese font at ``size_px`` pixels."""
    paths = [f for f in FONTS if os.path.exists(f)]
    if mincho and os.path.exists(FONTS[1]):
        paths = [FONTS[1]]
    return ImageFont.truetype(paths[0], size_px)


def page(lines: list[str], dpi: int = 300, points: float = 11.0, width_in: float = A4_INCHES[0]) -> Image.Image:
    """A white page ``width_in`` inches wide with ``lines`` printed at ``points`` pt, as scanned at ``dpi``."""
    size = round(points * POINT * dpi)
    f = font(size)
    margin, step = round(0.8 * dpi), round(size * 1.8)
    img = Image.new("L", (round(width_in * dpi), margin * 2 + step * len(lines)), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * step), line, font=f, fill=0)
    return img


def phone_photo(img: Image.Image, rng: random.Random, degrees: float = 8.0) -> Image.Image:
    """``img`` as a phone takes it: turned up to ``degrees``, slightly blurred, lit unevenly, JPEG quality 60."""
    turned = img.rotate(rng.uniform(-degrees, degrees), expand=True, fillcolor=235, resample=Image.Resampling.BICUBIC)
    blurred = turned.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.2)))
    # light falling off from one side: a gradient darkens the far edge by up to a fifth
    shade = Image.linear_gradient("L").rotate(rng.choice([0, 90, 180, 270])).resize(blurred.size)
    lit = Image.composite(blurred, blurred.point(lambda v: int(v * 0.8)), shade)
    return Image.open(io.BytesIO(to_bytes(lit, "JPEG", quality=60)))


def to_bytes(img: Image.Image, fmt: str, **options) -> bytes:
    """``img`` encoded as ``fmt`` (PNG, JPEG, TIFF, BMP, GIF, WEBP)."""
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def boxed_form(n: str, dpi: int = 300, title: str = "給与所得者の扶養控除等（異動）申告書", name: str = "山田 太郎") -> Image.Image:
    """A form whose number is written one digit per printed box, as 扶養控除等申告書 has it:
    the label on the line above the twelve boxes."""
    img = page([title, f"氏名　{name}", "個人番号", ""], dpi=dpi)
    draw = ImageDraw.Draw(img)
    size = round(11 * POINT * dpi)
    box = round(size * 1.5)
    x0, y0 = round(0.8 * dpi), img.height - round(0.8 * dpi) - box // 2
    f = font(size)
    for i, d in enumerate(n):
        x = x0 + i * box
        draw.rectangle((x, y0, x + box, y0 + box), outline=0, width=max(1, dpi // 150))
        draw.text((x + box // 4, y0 + box // 6), d, font=f, fill=0)
    return img
