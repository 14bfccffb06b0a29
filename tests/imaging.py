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


CARD_MM = (85.6, 54.0)
"""An ID-1 card (マイナンバーカード), in millimetres."""
MM = 1 / 25.4


def _card(dpi: int, tint: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("L", (round(CARD_MM[0] * MM * dpi), round(CARD_MM[1] * MM * dpi)), tint)
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((2, 2, img.width - 3, img.height - 3), radius=dpi // 10, outline=120, width=2)
    return img, draw


def _pt(points: float, dpi: int) -> int:
    return round(points * POINT * dpi)


def card_back(n: str, dpi: int = 300, covered: bool = False) -> Image.Image:
    """The back of a マイナンバーカード as the tests draw it: 個人番号 and the number in large
    print, 氏名 and 生年月日 below, a QR-like square on the right; ``covered``: the number
    hidden under a sticker but its last four digits (as HR copies it for an identity check)."""
    img, draw = _card(dpi, 245)
    x, y = round(0.08 * dpi), round(0.12 * dpi)
    draw.text((x, y), "個人番号", font=font(_pt(8, dpi)), fill=0)
    shown = f"{n[:4]} {n[4:8]} {n[8:]}"
    draw.text((x, y + _pt(12, dpi)), shown, font=font(_pt(16, dpi)), fill=0)
    if covered:
        width = round(font(_pt(16, dpi)).getlength(shown[:10]))
        draw.rectangle((x - 4, y + _pt(11, dpi), x + width, y + _pt(30, dpi)), fill=60)
    draw.text((x, y + _pt(40, dpi)), "氏名　山田 花子", font=font(_pt(9, dpi)), fill=0)
    draw.text((x, y + _pt(54, dpi)), "生年月日　平成2年4月1日生", font=font(_pt(9, dpi)), fill=0)
    side = round(0.55 * dpi)
    qx, qy = img.width - side - round(0.12 * dpi), img.height - side - round(0.12 * dpi)
    rng = random.Random(n)
    cell = side // 21
    for i in range(21):
        for j in range(21):
            if rng.random() < 0.5:
                draw.rectangle((qx + i * cell, qy + j * cell, qx + (i + 1) * cell, qy + (j + 1) * cell), fill=0)
    return img


def card_front(dpi: int = 300) -> Image.Image:
    """The front of a マイナンバーカード (no number on it): title, fields, validity, the mayor."""
    img, draw = _card(dpi, 240)
    x, y, f = round(0.08 * dpi), round(0.1 * dpi), font(_pt(8, dpi))
    draw.text((x, y), "個人番号カード", font=font(_pt(10, dpi)), fill=0)
    lines = ["氏名　山田 花子", "住所　東京都千代田区丸の内1-1-1", "平成2年4月1日生　性別 女", "2035年4月1日まで有効",
             "千代田区長"]
    for i, line in enumerate(lines):
        draw.text((x, y + _pt(16 + i * 14, dpi)), line, font=f, fill=0)
    draw.rectangle((img.width - round(0.85 * dpi), y + _pt(16, dpi), img.width - round(0.1 * dpi),
                    y + _pt(16, dpi) + round(1.0 * dpi)), fill=170)  # the photo
    return img


def notification_card(n: str, dpi: int = 300) -> Image.Image:
    """A 通知カード (the paper card sent from 2015): title, number, fields, issue date, the mayor."""
    img = Image.new("L", (round(CARD_MM[0] * MM * dpi), round(CARD_MM[1] * MM * dpi)), 235)
    draw = ImageDraw.Draw(img)
    x, y, f = round(0.08 * dpi), round(0.1 * dpi), font(_pt(8, dpi))
    draw.text((x, y), "通知カード", font=font(_pt(11, dpi)), fill=0)
    lines = [f"個人番号　{n[:4]} {n[4:8]} {n[8:]}", "氏名　鈴木 一郎", "住所　大阪府大阪市北区中之島1-3-20",
             "生年月日　昭和55年7月7日　性別 男", "発行日　平成27年10月5日", "大阪市長"]
    for i, line in enumerate(lines):
        draw.text((x, y + _pt(18 + i * 13, dpi)), line, font=f, fill=0)
    return img
