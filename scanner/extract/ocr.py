"""Text of images by OCR: Tesseract 5 in-process through tesserocr (the ``ocr`` extra), with the
language data of Debian's ``tesseract-ocr-jpn`` and ``tesseract-ocr-osd``.

In-process rather than the ``tesseract`` command: the models load once per worker, a page
takes a fraction of the time, and no temporary file ever holds the text read (a number in
``/tmp`` would outlive a killed worker). The worker's kill after ``max_scan_time`` is the
backstop of the per-page deadline Tesseract itself keeps (``max_ocr_page_time``).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scanner.extract.limits import LimitExceeded

if TYPE_CHECKING:
    from PIL.Image import Image

OCR_LANGUAGES = "jpn+eng"
"""Japanese with English: ``jpn`` alone misreads Latin digits far more often."""
DEBIAN_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"
"""Where Debian's tesseract-ocr-jpn puts its language data."""
TESSDATA_DIRS = (
    DEBIAN_TESSDATA,
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
"""Where Debian and source builds put the language data (``TESSDATA_PREFIX`` comes first)."""
ASSUMED_DPI = 300
"""Resolution told to Tesseract for images that do not say theirs (scans are mostly 200-300 dpi)."""
UPSCALE_BELOW = 1000
"""An image whose longer side is below this many pixels (a crop of a screen or a photo) is
enlarged by a whole factor, so that small print reaches the size Tesseract reads best; larger
images are left as they are (measured: enlarging a 200 dpi scan by 1.5 or 2 makes Tesseract
misread more digits, 18 of 20 numbers right at 1x, 12 of 20 at 2x)."""
MAX_UPSCALE = 3
"""The largest whole factor a small image is enlarged by."""
MIN_TEXT_CHARS = 12
"""A first reading with fewer letters and digits than this is retried in the orientation OSD finds."""
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-jpn tesseract-ocr-osd; pip install 'mynumber-dlp[ocr]'"
"""What a not-scanned record tells an operator to install."""


def _tessdata() -> str | None:
    dirs = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    for d in (*dirs, *TESSDATA_DIRS):
        if all(os.path.isfile(os.path.join(d, f"{lang}.traineddata")) for lang in OCR_LANGUAGES.split("+")):
            return d
    return None


@functools.cache
def unavailable() -> str | None:
    """Why OCR cannot run on this machine (one line, with what to install), or None when it can."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return f"OCR is not installed (tesserocr missing: {INSTALL_HINT})"
    if _tessdata() is None:
        return f"OCR language data jpn and eng not found (TESSDATA_PREFIX, {DEBIAN_TESSDATA}: {INSTALL_HINT})"
    return None


@dataclass(slots=True)
class _Engines:
    text: Any
    osd: Any | None


@functools.cache
def _engines() -> _Engines:
    """One Tesseract per process (made on first use: after the worker was forked)."""
    import tesserocr

    path = _tessdata()
    text = tesserocr.PyTessBaseAPI(path=path, lang=OCR_LANGUAGES, psm=tesserocr.PSM.SINGLE_BLOCK)
    osd = None
    if path and os.path.isfile(os.path.join(path, "osd.traineddata")):
        osd = tesserocr.PyTessBaseAPI(path=path, lang="osd", psm=tesserocr.PSM.OSD_ONLY)
    return _Engines(text, osd)


def prepare(image: Image, max_pixels: int) -> Image:
    """Grey, upright as the camera held it (EXIF), and enlarged when small, within ``max_pixels``."""
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image) or image
    image = image.convert("L")
    longest = max(image.size)
    if 0 < longest < UPSCALE_BELOW:
        factor = min(MAX_UPSCALE, -(-UPSCALE_BELOW // longest))
        while factor > 1 and image.width * image.height * factor * factor > max_pixels:
            factor -= 1
        if factor > 1:
            image = image.resize((image.width * factor, image.height * factor), resample=3)  # bicubic
    return image


def _recognise(api: Any, image: Image, seconds: float, what: str) -> str:
    api.SetImage(image)
    api.SetSourceResolution(ASSUMED_DPI)
    if not api.Recognize(timeout=int(seconds * 1000)):
        raise LimitExceeded("max_ocr_page_time", f"OCR of {what} took more than {seconds:g} s")
    return str(api.GetUTF8Text())


def _readable(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def read_lines(image: Image, seconds: float, max_pixels: int, what: str = "the image") -> list[str]:
    """The lines of text in ``image`` (blank lines dropped: they are layout, not text).

    A reading with hardly any text is retried turned the way orientation detection says
    (a scan fed in sideways or upside down); the better of the two is kept.
    """
    engines = _engines()
    image = prepare(image, max_pixels)
    text = _recognise(engines.text, image, seconds, what)
    if _readable(text) < MIN_TEXT_CHARS and engines.osd is not None:
        turned = _upright(engines.osd, image)
        if turned is not None:
            again = _recognise(engines.text, turned, seconds, what)
            if _readable(again) > _readable(text):
                text = again
    return [line.strip() for line in text.splitlines() if line.strip()]


def _upright(osd: Any, image: Image) -> Image | None:
    """``image`` turned upright by orientation detection, or None when it is upright or unknown."""
    osd.SetImage(image)
    osd.SetSourceResolution(ASSUMED_DPI)
    found = osd.DetectOrientationScript()
    degrees = int(found.get("orient_deg", 0)) if found else 0
    if degrees not in (90, 180, 270):
        return None
    # orient_deg is the clockwise rotation of the page; PIL's rotate turns counter-clockwise
    return image.rotate(degrees, expand=True, fillcolor=255)
