"""PDF text layer, page by page (pypdf). Digits typed into form boxes come out one
per line; a run of such lines is joined into one spaced-out line so the
engine's "digits one by one" form sees it.

A page without a text layer (a scan) is rendered (pypdfium2) and read by OCR, and so is
each image on a page with text; with OCR off or not installed each is a ``not_scanned``
record, never a silent clean."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from scanner.extract.errors import charge, from_parser, unscanned
from scanner.extract.images import holds_text, ocr_off, read_image
from scanner.extract.parts import Context, Item, TextPart, Unscanned, join_member, text_lines

_SINGLE_DIGIT = re.compile(r"^\s*[0-9\uFF10-\uFF19]\s*$")
BOX_RUN = 4
"""Consecutive one-digit lines joined into one line (fewer are left as they are)."""
RENDER_DPI = 300
"""Resolution a page without a text layer is rendered at for OCR (lowered to stay within max_image_pixels)."""
POINTS_PER_INCH = 72
MAX_FORM_DEPTH = 4
"""Form XObjects (drawings that hold images) followed this deep when counting a page's images."""


def join_box_digits(lines: list[str]) -> list[str]:
    """``1`` ``2`` ``3`` … on lines of their own -> ``1 2 3 …`` on one line."""
    out: list[str] = []
    run: list[str] = []
    for line in lines + [""]:
        if _SINGLE_DIGIT.match(line):
            run.append(line.strip())
            continue
        if len(run) >= BOX_RUN:
            out.append(" ".join(run))
        else:
            out.extend(run)
        run = []
        out.append(line)
    return out[:-1]


def pdf_pages(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Each page's text as a part named ``page N``; a page that cannot be read costs itself."""
    try:
        import pypdf
    except ImportError:
        yield Unscanned(ctx.member, "unsupported", "PDF needs the 'formats' extra (pypdf)")
        return
    try:
        reader = pypdf.PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            yield Unscanned(ctx.member, "encrypted", "password-protected PDF")
            return
        count = len(reader.pages)
    except Exception as exc:  # noqa: BLE001 - TypeError, KeyError ... from pypdf on a broken file: corrupt
        yield unscanned(ctx.member, from_parser(exc))
        return
    rendered = _Rendered(stream)
    for n in range(1, count + 1):
        member = join_member(ctx.member, f"page {n}")
        try:
            text = reader.pages[n - 1].extract_text() or ""
        except Exception as exc:  # noqa: BLE001 - RecursionError in deep content: limit:max_recursion
            yield unscanned(member, from_parser(exc))
            continue
        if text.strip():
            yield charge(TextPart(member, text_lines(join_box_digits(text.splitlines()))), ctx.budget, len(text))
        yield from _page_images(ctx, reader.pages[n - 1], n, bool(text.strip()), rendered)


def _image_sizes(resources, depth: int = 0) -> list[tuple[int, int]]:
    """(width, height) of the images a page's resources draw, large enough to hold text."""
    sizes: list[tuple[int, int]] = []
    xobjects = resources.get("/XObject") if resources else None
    for ref in (xobjects or {}).values():
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Image":
            w, h = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
            if holds_text(w, h):
                sizes.append((w, h))
        elif obj.get("/Subtype") == "/Form" and depth < MAX_FORM_DEPTH:
            sizes += _image_sizes(obj.get("/Resources"), depth + 1)
    return sizes


class _Rendered:
    """The PDF opened once more by pypdfium2, when a page needs rendering or its images reading."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.doc: Any = None

    def page(self, n: int):
        """Page ``n`` (1-based) of the PDF as pypdfium2 reads it."""
        if self.doc is None:
            import pypdfium2

            self.stream.seek(0)
            self.doc = pypdfium2.PdfDocument(self.stream.read())
        return self.doc[n - 1]


def _page_images(ctx: Context, page, n: int, has_text: bool, rendered: _Rendered) -> Iterator[Item]:
    """OCR of page ``n``: the whole page when it has no text layer, else each of its images."""
    member = join_member(ctx.member, f"page {n}")
    try:
        sizes = _image_sizes(page.get("/Resources"))
    except Exception as exc:  # noqa: BLE001 - a broken resource dictionary costs the page's images
        yield unscanned(member, from_parser(exc))
        return
    if not sizes:
        return  # a blank page, or text only
    what = f"page {n} has no text layer" if not has_text else f"page {n}: {len(sizes)} image(s) not read"
    off = ocr_off(ctx, member, what)
    no_pdfium = _pdfium()
    if off is None and no_pdfium is not None:
        off = Unscanned(member, "unsupported", f"{what}: {no_pdfium}")
    if off is not None:
        yield off
        return
    try:
        pdf_page = rendered.page(n)
        if not has_text:
            yield from read_image(_scanned_page(pdf_page, ctx.limits.max_image_pixels), ctx, member, f"page {n}")
            return
        images = _embedded_images(pdf_page)
    except Exception as exc:  # noqa: BLE001 - pdfium failing on a page costs the page
        yield unscanned(member, from_parser(exc))
        return
    for k, obj in enumerate(images, start=1):
        name = join_member(member, f"image {k}")
        w, h = obj.get_px_size()
        if w * h > ctx.limits.max_image_pixels:  # checked before decoding
            yield Unscanned(name, "limit:max_image_pixels", f"{w}x{h} pixels")
            continue
        try:
            image = obj.get_bitmap(render=False).to_pil()
        except Exception as exc:  # noqa: BLE001 - an image pdfium cannot decode costs itself
            yield unscanned(name, from_parser(exc))
            continue
        yield from read_image(image, ctx, name, f"page {n} image {k}")


def _pdfium() -> str | None:
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return "rendering PDF pages needs pypdfium2 (the 'ocr' extra)"
    return None


def _render(page, max_pixels: int):
    """The page as a PIL image at ``RENDER_DPI``, or lower when that would exceed ``max_pixels``."""
    width, height = page.get_size()  # points
    scale = RENDER_DPI / POINTS_PER_INCH
    area = width * height * scale * scale
    if area > max_pixels:
        scale *= (max_pixels / area) ** 0.5
    return page.render(scale=scale, grayscale=True).to_pil()


def _scanned_page(page, max_pixels: int):
    """A text-less page as an image: the pixels of its one image as the scanner wrote them
    (as well read as the page rendered at 300 dpi — 37 of 40 numbers either way on two held-out
    sets — without resampling or rendering), else the page rendered."""
    import pypdfium2.raw as raw

    images = list(page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]))
    if len(images) == 1:
        w, h = images[0].get_px_size()
        if holds_text(w, h) and w * h <= max_pixels:
            return images[0].get_bitmap(render=False).to_pil()
    return _render(page, max_pixels)


def _embedded_images(page) -> list:
    """The image objects drawn on a pdfium page that are large enough to hold text."""
    import pypdfium2.raw as raw

    return [obj for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]) if holds_text(*obj.get_px_size())]
