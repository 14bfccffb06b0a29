"""Images (PNG, JPEG, TIFF, BMP, GIF, WebP, HEIC) read by OCR, a frame or TIFF page per part.

Never a silent clean: with OCR off (``max_ocr_pages = 0``) or not installed, every image
is a ``not_scanned`` record that says so. Pixels are bounded before decoding
(``max_image_pixels``: a 100 000 x 100 000 PNG of a few kilobytes is a bomb).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from scanner.extract import ocr
from scanner.extract.errors import unscanned
from scanner.extract.limits import LimitExceeded
from scanner.extract.parts import Context, Item, TextPart, Unscanned, join_member, text_lines

if TYPE_CHECKING:
    from PIL.Image import Image

MIN_TEXT_SIDE = (64, 10)
"""Images narrower or lower than (width, height) px hold no legible 12-digit number (icons,
bullets, spacers): they are not read, and not reported."""
OCR_REASON = "ocr"
"""Added to the reasons of findings in text read by OCR."""


def holds_text(width: int, height: int) -> bool:
    """Whether an image this large can hold a legible number (see ``MIN_TEXT_SIDE``)."""
    return width >= MIN_TEXT_SIDE[0] and height >= MIN_TEXT_SIDE[1]


def ocr_off(ctx: Context, member: str | None, what: str) -> Unscanned | None:
    """The record for ``what`` (at ``member``) when OCR will not read it here (off, or not
    installed), else None."""
    if ctx.limits.max_ocr_pages == 0:
        return Unscanned(member, "unsupported", f"{what}: OCR off (limits.max_ocr_pages = 0)")
    why = ocr.unavailable()
    if why is not None:
        return Unscanned(member, "unsupported", f"{what}: {why}")
    return None


def _pillow() -> str | None:
    try:
        import PIL.Image  # noqa: F401
    except ImportError:
        return f"image: Pillow is not installed ({ocr.INSTALL_HINT})"
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        pass  # HEIC is then an unreadable image: reported as such
    else:
        register_heif_opener()
    return None


def image_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """The text of an image file, by OCR: one part, or a part per page (``page 2``) of a multi-page TIFF."""
    why = _pillow()
    if why is not None:
        yield Unscanned(ctx.member, "unsupported", why)
        return
    from PIL import Image, ImageSequence

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = ctx.limits.max_image_pixels
            image = Image.open(stream)
            frames = getattr(image, "n_frames", 1)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        yield Unscanned(ctx.member, "limit:max_image_pixels", f"more than {ctx.limits.max_image_pixels} pixels")
        return
    except Exception as exc:  # noqa: BLE001 - an image Pillow cannot open is corrupt or of a kind it lacks
        yield unscanned(ctx.member, exc)
        return
    if not holds_text(*image.size):
        return
    off = ocr_off(ctx, ctx.member, "image")
    if off is not None:
        yield off
        return
    with image:
        many = frames > 1 and image.format == "TIFF"  # a GIF's or WebP's further frames are animation
        for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
            member = join_member(ctx.member, f"page {n}") if many else ctx.member
            yield from read_image(frame, ctx, member, f"page {n}" if many else "the image")
            if not many:
                break


def read_image(image: Image, ctx: Context, member: str | None, what: str) -> Iterator[Item]:
    """One image (a frame, a rendered page) as a part of OCR text; limits and failures become records."""
    width, height = image.size
    if not holds_text(width, height):
        return
    if width * height > ctx.limits.max_image_pixels:
        yield Unscanned(member, "limit:max_image_pixels", f"{width}x{height} pixels")
        return
    try:
        ctx.budget.take_ocr_page()
    except LimitExceeded as exc:
        yield Unscanned(member, f"limit:{exc.name}", exc.detail)
        return
    page_time, left = ctx.limits.max_ocr_page_time, ctx.budget.ocr_seconds_left()
    started = time.monotonic()
    problem: Unscanned | None = None
    try:
        lines = ocr.read_lines(image, min(page_time, left), ctx.limits.max_image_pixels, what)
    except LimitExceeded as exc:
        if exc.name == "max_ocr_page_time" and left < page_time:  # the item's OCR time ran out, not the page's
            exc = LimitExceeded("max_ocr_time", f"more than {ctx.limits.max_ocr_time:g} s of OCR")
        lines, problem = [], Unscanned(member, f"limit:{exc.name}", exc.detail)
    except Exception as exc:  # noqa: BLE001 - a frame Pillow cannot decode costs itself
        lines, problem = [], unscanned(member, exc)
    ctx.budget.spend_ocr(time.monotonic() - started)
    if problem is not None:
        yield problem
        return
    ctx.budget.take(sum(map(len, lines)))
    yield TextPart(member, text_lines(lines), via=(OCR_REASON,), image_lines=tuple(lines))
