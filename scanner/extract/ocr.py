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

from scanner.detect.checkdigit import check_digit
from scanner.extract.limits import LimitExceeded

if TYPE_CHECKING:
    from PIL.Image import Image

Box = tuple[int, int, int, int]
"""A region of an image: left, top, right, bottom."""

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
LIGHT_CELL = 8
"""The paper's brightness is measured on the image shrunk this many times ..."""
LIGHT_WINDOW = 5
"""... as the brightest pixel of this many around (40 pixels of the page: wider than a stroke)."""
SKEW_RANGE = 12
"""Degrees either way a photo or a scan is searched for its tilt (phones hold up to about 10) ..."""
SKEW_STEP = 0.2
"""... refined to this; a tilt below MIN_SKEW is left alone."""
MIN_SKEW = 0.3
SKEW_WIDTH = 600
"""Width the tilt is measured at: ink rows stay rows, and each tried angle costs a millisecond."""
INK_CONTRAST = 25
"""Grey levels a pixel is darker than its neighbourhood by to count as ink when measuring the
tilt: a page's shading, uneven light and the photo's background are not ink, text is."""
NUMBER_DIGITS = 12
"""Digits of a My Number: a boxed row's reading of this many that passes its check digit is kept."""
DIGITS = "0123456789"
"""What the digit pass may read: nothing but digits."""
BOX_NOISE = frozenset("|lI[]{}()!/\\JjoOsSzZeE")
"""What Tesseract makes of the printed boxes digits are written in (and of digits squeezed
between them): a line of digits mixed with these is a row of boxes."""
BOXED_MIN_DIGITS = 6
"""A line is a row of boxed digits when it has at least this many digits ..."""
BOXED_MIN_NOISE = 3
"""... at least this many box-noise characters ..."""
BOXED_MIN_SHARE = 0.8
"""... and digits, noise and spaces make up this share of it (a label beside it is allowed).
A line of at least BOXED_MIN_CELLS digits and noise is a row of boxes too, however its sides
were read (as 1s: ``91413141l9121514112``): 12 boxes have 13 sides, no number form is as long."""
BOXED_MIN_CELLS = 20
BOX_LINE_SHARE = 0.55
"""A column of a boxed row whose pixels are ink for more than this share of the row's height is
a box's side (digits fill about half of a box), a row of pixels inked for more than
ROW_LINE_SHARE of the width its top or bottom; both are painted out before the digit pass."""
ROW_LINE_SHARE = 0.5
SIDE_SHARE_OF_BOX = 0.8
"""Between a row's top and bottom lines, a column inked for more than this share is a box's side
(a 1 stands about as tall as half the box)."""
LINE_MARGIN_PER_HEIGHT = 40
"""A box line is painted out this many times thinner than the row is high, on either side of its ink."""
INK_LEVEL = 128
"""Grey level below which a pixel of a boxed row is ink when the row is all one level; else ..."""
INK_DARK_SHARE = 0.02
"""... halfway between the level this share of the row's pixels is darker than (its print) ..."""
PAPER_SHARE = 0.6
"""... and the level this share is darker than (its paper)."""
GLYPH_JOIN_PER_HEIGHT = 20
"""Columns of ink closer than a twentieth of the row's height are one glyph ..."""
GLYPH_GAP_PER_HEIGHT = 10
"""... and glyphs of a boxed row closed up are set a tenth of its height apart."""
BOXED_MIN_CELLS_SEEN = 10
"""A line drawn as at least this many boxes between top and bottom lines is a boxed row, however
its text read (box sides read as letters: ``shlil2D7lel…``) ..."""
BOXED_MIN_DIGITS_SEEN = 3
"""... when the text pass read at least this many digits in it."""
RUN_MIN_DIGITS = 10
"""A run of digits this long to RUN_MAX_DIGITS, failing its check digit, is read again by the
digit pass (a My Number misread by one digit, lost or doubled: 11-13; a little wider for box
sides or a label read as a digit)."""
RUN_MAX_DIGITS = 14
RUN_SEPARATORS = frozenset(" -‐‑–—−ー－ 　")
"""What may stand between the digits of one written number."""
UPRIGHT_CONFIDENCE = 75
"""Tesseract's mean word confidence from which a page read as it lies is taken as upright,
without orientation detection (which costs as much as the reading). Measured on forms: pages
upright score 64-94 (most over 85), the same pages sideways read as they lie 43-69."""
OSD_MIN_CONFIDENCE = 2.0
"""Orientation detection's confidence from which a page is turned (measured on forms: upright
and sideways pages score 4-7, a blurred photo 1-4, all with the right answer)."""
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
    digits: Any


@functools.cache
def _engines() -> _Engines:
    """One Tesseract per process (made on first use: after the worker was forked)."""
    import tesserocr

    path = _tessdata()
    text = tesserocr.PyTessBaseAPI(path=path, lang=OCR_LANGUAGES, psm=tesserocr.PSM.SINGLE_BLOCK)
    osd = None
    if path and os.path.isfile(os.path.join(path, "osd.traineddata")):
        osd = tesserocr.PyTessBaseAPI(path=path, lang="osd", psm=tesserocr.PSM.OSD_ONLY)
    # jpn+eng here too: eng alone, held to digits, reads nothing of a Gothic 9 in a box
    digits = tesserocr.PyTessBaseAPI(path=path, lang=OCR_LANGUAGES, psm=tesserocr.PSM.SINGLE_LINE)
    digits.SetVariable("tessedit_char_whitelist", DIGITS)
    return _Engines(text, osd, digits)


def prepare(image: Image, max_pixels: int) -> Image:
    """Grey, upright as the camera held it (EXIF), and enlarged when small, within ``max_pixels``."""
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image) or image
    image = flatten_light(image.convert("L"))
    longest = max(image.size)
    if 0 < longest < UPSCALE_BELOW:
        factor = min(MAX_UPSCALE, -(-UPSCALE_BELOW // longest))
        while factor > 1 and image.width * image.height * factor * factor > max_pixels:
            factor -= 1
        if factor > 1:
            image = image.resize((image.width * factor, image.height * factor), resample=3)  # bicubic
    return image


def flatten_light(image: Image) -> Image:
    """``image`` (grey) divided by its paper's own brightness, so that paper is white everywhere:
    Tesseract thresholds a page at one level, and a photo lit from one side, its darker desk
    around or a photocopy's grey toner put paper on both sides of that level (measured: phone
    photos read as nothing at all, confidence 0, read whole once flattened; 50-70 ms a page).
    The paper's brightness is the brightest pixel around each place, smoothed."""
    from PIL import Image as PILImage
    from PIL import ImageFilter, ImageMath

    small = image.reduce(LIGHT_CELL) if min(image.size) >= LIGHT_CELL * 4 else image
    paper = small.filter(ImageFilter.MaxFilter(LIGHT_WINDOW)).filter(ImageFilter.GaussianBlur(LIGHT_WINDOW // 2 + 1))
    paper = paper.resize(image.size, PILImage.Resampling.BILINEAR)
    # where the paper is white already the image stays exactly as it was
    flat: Image = ImageMath.lambda_eval(
        lambda a: a["convert"](a["min"](a["image"] * 255 / a["max"](a["paper"], 1), 255), "L"), image=image, paper=paper
    )
    return flat


def _recognise(api: Any, image: Image, seconds: float, what: str) -> str:
    api.SetImage(image)
    api.SetSourceResolution(ASSUMED_DPI)
    if not api.Recognize(timeout=int(seconds * 1000)):
        raise LimitExceeded("max_ocr_page_time", f"OCR of {what} took more than {seconds:g} s")
    return str(api.GetUTF8Text())


def read_lines(image: Image, seconds: float, max_pixels: int, what: str = "the image") -> list[str]:
    """The lines of text in ``image`` (blank lines dropped: they are layout, not text), read
    after turning it upright the way orientation detection says (a scan fed in sideways or
    upside down; about a tenth of a second a page)."""
    engines = _engines()
    prepared = prepare(image, max_pixels)

    def read(degrees: int) -> tuple[int, Image, str, list[tuple[str, Box]], list[tuple[str, Box]]]:
        turned = deskew(prepared.rotate(degrees, expand=True, fillcolor=255) if degrees else prepared)
        text = _recognise(engines.text, turned, seconds, what)
        return engines.text.MeanTextConf(), turned, text, _lines(engines.text), _numeric_runs(engines.text)

    upright = read(0)
    readings = [upright]
    if upright[0] < UPRIGHT_CONFIDENCE:
        # unsure, or not upright: orientation detection (half a second) names the turns to try
        readings = [read(d) if d else upright for d in _orientations(engines.osd, prepared)]
    # when orientation detection was unsure, the turn Tesseract reads with most confidence wins
    _, image, text, found, runs = max(readings, key=lambda r: r[0])
    # the page's text joins Japanese words as written; the lines' own text spaces them out, so
    # boxed rows are found by line and put back by their letters
    again: dict[str, str] = {}
    for line, box in found:
        if _boxed_row(line) or _drawn_as_boxes(image, line, box):
            digits = _digit_pass(engines.digits, image, box, line)
            if digits:
                again[_letters(line)] = digits
    lines = [again.get(_letters(line), line) for line in (x.strip() for x in text.splitlines()) if line]
    for digits, box in runs:
        better = _reread_run(engines.digits, image, box) if not _passes(digits) else None
        if better is not None:
            lines = [_swap_digits(line, digits, better) for line in lines]
    return lines


def _letters(text: str) -> str:
    return "".join(text.split())


def _lines(api: Any) -> list[tuple[str, Box]]:
    """(text, bounding box) of each line the last recognition found, in reading order."""
    from tesserocr import RIL, iterate_level

    out = []
    for line in iterate_level(api.GetIterator(), RIL.TEXTLINE):
        text = _text_at(line, RIL.TEXTLINE)
        box = line.BoundingBox(RIL.TEXTLINE)
        if text and box:
            out.append((text, box))
    return out


def _text_at(it: Any, level: int) -> str:
    """The text at the iterator's place ("" for an empty element, where tesserocr raises)."""
    try:
        return str(it.GetUTF8Text(level) or "").strip()
    except RuntimeError:
        return ""


def _numeric_runs(api: Any) -> list[tuple[str, Box]]:
    """(digits, bounding box) of each run of RUN_MIN_DIGITS to RUN_MAX_DIGITS digits the last
    recognition found, written with or without separators (``5992-2167-4253``, ``1234 5678 9018``)
    and not inside a longer run of digits."""
    from tesserocr import RIL, iterate_level

    runs: list[tuple[str, Box]] = []
    digits, box = "", (0, 0, 0, 0)

    def close() -> None:
        if RUN_MIN_DIGITS <= len(digits) <= RUN_MAX_DIGITS:
            runs.append((digits, box))

    for symbol in iterate_level(api.GetIterator(), RIL.SYMBOL):
        ch = _text_at(symbol, RIL.SYMBOL)
        if symbol.IsAtBeginningOf(RIL.TEXTLINE) or not (ch.isdecimal() or ch in RUN_SEPARATORS):
            close()
            digits = ""
        if ch.isdecimal():
            x0, y0, x1, y1 = symbol.BoundingBox(RIL.SYMBOL) or (0, 0, 0, 0)
            box = (min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)) if digits else (x0, y0, x1, y1)
            digits += str(int(ch))  # a full-width digit as its ASCII one
    close()
    return runs


def _reread_run(api: Any, image: Image, box: Box) -> str | None:
    """A run of digits whose first reading fails the check digit, read again from its pixels
    alone with nothing but digits allowed: the text pass, between Japanese words, reads a Gothic
    0 as 9 now and then, the digit pass seldom. The new reading counts only when it is a whole
    number passing its check digit (never a correction: a number misread both ways is missed)."""
    from PIL import ImageOps
    from tesserocr import PSM

    x0, y0, x1, y1 = box
    pad = max(2, (y1 - y0) // 3)
    crop = image.crop((max(0, x0 - pad), max(0, y0 - pad), x1 + pad, y1 + pad))
    api.SetPageSegMode(PSM.SINGLE_LINE)
    api.SetImage(ImageOps.expand(crop, border=pad, fill=255))
    api.SetSourceResolution(ASSUMED_DPI)
    api.Recognize()
    digits = "".join(ch for ch in str(api.GetUTF8Text()) if ch.isdecimal())
    return digits if _passes(digits) else None


def _swap_digits(line: str, old: str, new: str) -> str:
    """``line`` with the run of digits ``old`` (separators between them allowed) replaced by
    ``new``: digit for digit where both have as many (the written form kept), else as one run."""
    places = [i for i, ch in enumerate(line) if ch.isdecimal()]
    for start in range(len(places) - len(old) + 1):
        window = places[start:start + len(old)]
        gaps = (line[a + 1:b] for a, b in zip(window, window[1:], strict=False))
        between = all(ch in RUN_SEPARATORS for gap in gaps for ch in gap)
        whole = not line[window[0] - 1:window[0]].isdecimal() and not line[window[-1] + 1:window[-1] + 2].isdecimal()
        if between and whole and "".join(str(int(line[i])) for i in window) == old:
            if len(old) == len(new):
                chars = list(line)
                for i, digit in zip(window, new, strict=True):
                    chars[i] = digit
                return "".join(chars)
            return line[:window[0]] + new + line[window[-1] + 1:]
    return line


def _boxed_row(text: str) -> bool:
    """Whether a line reads as digits written one per printed box (``|4l9l9l8|…``)."""
    digits = sum(ch.isdigit() for ch in text)
    noise = sum(ch in BOX_NOISE for ch in text)
    plain = sum(ch.isspace() for ch in text)
    return (digits >= BOXED_MIN_DIGITS and digits + noise + plain >= BOXED_MIN_SHARE * len(text)
            and (noise >= BOXED_MIN_NOISE or digits + noise >= BOXED_MIN_CELLS))


def _digit_pass(api: Any, image: Image, box: Box, first: str) -> str | None:
    """The digits of a boxed row read again with nothing but digits allowed and the boxes
    painted out: box by box (the sides found as columns of ink) and as one line; with the text
    pass's own reading ``first``, the reading that passes the check digit and agrees best with
    the others is kept (``_best``). None when nothing is read. Digits are read, never corrected:
    a row every reading misread fails the check digit downstream."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageOps
    from tesserocr import PSM

    pad = _pad(box)
    row = _crop_row(image, box)
    ink_level = _ink_level(row)
    lines, sides, _ = _row_lines(row, ink_level)
    clean = row.copy()
    draw = ImageDraw.Draw(clean)
    # painted with a margin: a blurred line's grey edge is no ink, yet Tesseract reads it as a stroke
    margin = max(1, row.height // LINE_MARGIN_PER_HEIGHT)
    for y in lines:
        draw.rectangle((0, y - margin, row.width, y + margin), fill=255)
    for x in sides:
        draw.rectangle((x - margin, 0, x + margin, row.height), fill=255)
    api.SetSourceResolution(ASSUMED_DPI)
    api.SetPageSegMode(PSM.SINGLE_LINE)
    api.SetImage(clean)
    api.Recognize()
    readings = ["".join(ch for ch in str(api.GetUTF8Text()) if ch.isdigit())]
    # the boxes' wide gaps make Tesseract drop a digit now and then; closed up, the row reads as print
    api.SetImage(ImageOps.expand(_close_gaps(clean, ink_level), border=pad, fill=255))
    api.Recognize()
    readings.append("".join(ch for ch in str(api.GetUTF8Text()) if ch.isdigit()))
    cells = _cells(sides, min_width=row.height // 3)
    if len(cells) >= BOXED_MIN_DIGITS:
        api.SetPageSegMode(PSM.SINGLE_CHAR)
        digits = ""
        for left, right in cells:
            cell = clean.crop((left, 0, right, row.height))
            # a blurred digit alone is sometimes not read at all at its size, and read when enlarged
            for scale in (1, 2):
                if scale > 1:
                    cell = cell.resize((cell.width * scale, cell.height * scale), PILImage.Resampling.BICUBIC)
                # a margin of paper around the digit, as Tesseract expects of a character on its own
                api.SetImage(ImageOps.expand(cell, border=pad * scale, fill=255))
                api.Recognize()
                digit = "".join(ch for ch in str(api.GetUTF8Text()) if ch.isdigit())[:1]
                if digit:
                    break
            digits += digit
        readings.insert(0, digits)
    readings.append("".join(ch for ch in first if ch.isdigit()))
    return _best(readings)


def _pad(box: Box) -> int:
    return max(1, (box[3] - box[1]) // 3)


def _crop_row(image: Image, box: Box) -> Image:
    """A line's pixels with a third of its height of margin around them."""
    x0, y0, x1, y1 = box
    pad = _pad(box)
    return image.crop((max(0, x0 - pad), max(0, y0 - pad), x1 + pad, y1 + pad))


def _row_lines(row: Image, ink_level: int) -> tuple[list[int], list[int], bool]:
    """The rows of ``row`` that are a box's top or bottom line, its columns that are a box's
    side, and whether it is drawn as boxes (top and bottom lines apart)."""
    from PIL import Image as PILImage

    ink = row.point(lambda v: 255 if v < ink_level else 0)
    rows = ink.resize((1, ink.height), PILImage.Resampling.BOX).tobytes()  # each row's mean
    lines = [y for y, level in enumerate(rows) if level > 255 * ROW_LINE_SHARE]
    # the sides are measured between the boxes' top and bottom lines: the line Tesseract found
    # may be taller than the boxes (a shadow or the page's edge read as part of it)
    boxed = bool(lines) and lines[-1] - lines[0] > row.height // 4
    top, bottom = (lines[0], lines[-1]) if boxed else (0, row.height - 1)
    band = ink.crop((0, top, ink.width, bottom + 1))
    columns = band.resize((band.width, 1), PILImage.Resampling.BOX).tobytes()
    share = SIDE_SHARE_OF_BOX if boxed else BOX_LINE_SHARE
    return lines, [x for x, level in enumerate(columns) if level > 255 * share], boxed


def _drawn_as_boxes(image: Image, line: str, box: Box) -> bool:
    """Whether a line the text pass read badly is drawn as a row of a dozen boxes (its digits
    are read again by the digit pass)."""
    if sum(ch.isdigit() for ch in line) < BOXED_MIN_DIGITS_SEEN or box[2] - box[0] < BOXED_MIN_CELLS_SEEN * (
        box[3] - box[1]
    ) // 2:
        return False
    row = _crop_row(image, box)
    _, sides, boxed = _row_lines(row, _ink_level(row))
    return boxed and len(_cells(sides, min_width=row.height // 3)) >= BOXED_MIN_CELLS_SEEN


def _close_gaps(row: Image, ink_level: int) -> Image:
    """``row`` with the paper between its glyphs narrowed to a digit's usual spacing."""
    from PIL import Image as PILImage

    ink = row.point(lambda v: 255 if v < ink_level else 0)
    columns = ink.resize((ink.width, 1), PILImage.Resampling.BOX).tobytes()
    join, gap = max(1, row.height // GLYPH_JOIN_PER_HEIGHT), max(2, row.height // GLYPH_GAP_PER_HEIGHT)
    glyphs: list[tuple[int, int]] = []
    for x in (x for x, level in enumerate(columns) if level):
        if glyphs and x - glyphs[-1][1] <= join:
            glyphs[-1] = (glyphs[-1][0], x)
        else:
            glyphs.append((x, x))
    out = PILImage.new("L", (sum(b - a + 1 + gap for a, b in glyphs) + gap, row.height), 255)
    x = gap
    for a, b in glyphs:
        out.paste(row.crop((a, 0, b + 1, row.height)), (x, 0))
        x += b - a + 1 + gap
    return out


def _ink_level(image: Image) -> int:
    """The grey level below which a pixel of ``image`` is ink: halfway between its paper and its
    darkest print (a blurred or washed-out photo's box sides are grey, not black)."""
    histogram = image.histogram()[:256]
    total = sum(histogram)
    seen, dark, paper = 0, 0, 255
    for level, count in enumerate(histogram):
        seen += count
        if seen <= total * INK_DARK_SHARE:
            dark = level + 1
        if seen <= total * PAPER_SHARE:
            paper = level + 1
    return max(dark + 1, (dark + paper) // 2) if paper > dark else INK_LEVEL


def _passes(digits: str) -> bool:
    return len(digits) == NUMBER_DIGITS and check_digit(digits[:-1]) == int(digits[-1])


def _best(readings: list[str]) -> str | None:
    """The reading that is a whole number passing its check digit, else the first one. A reading
    whose every other digit is a 1 is a row whose box sides were read as 1s (``3171615…``): the
    digits between them count as a reading too. Two misreads can cancel in the check digit
    (8 read as 6 twice): when readings that pass differ, the one closest to all the readings
    wins, and none when two are as close (one number must not be reported as another)."""
    readings = [r for r in readings if r]
    readings += [inner for r in readings if (inner := _between_sides(r))]
    passing = list(dict.fromkeys(r for r in readings if _passes(r)))
    if len(passing) > 1:
        spread = sorted((sum(_edits(p, r) for r in readings), p) for p in passing)
        return spread[0][1] if spread[0][0] < spread[1][0] else None
    return passing[0] if passing else readings[0] if readings else None


def _edits(a: str, b: str) -> int:
    """Levenshtein distance of two short readings (a dozen digits: a library is not worth it)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _between_sides(digits: str) -> str | None:
    """The twelve digits of a boxed row read with its box sides as 1s (``1d1d…d1``, the outer
    sides read or not), or None when ``digits`` is not such a reading."""
    inner_sides = NUMBER_DIGITS * 2 - 1
    for start, end in ((0, 0), (1, 0), (0, 1), (1, 1)):
        core = digits[start:len(digits) - end]
        if len(core) == inner_sides and set(core[1::2]) == {"1"} and digits[:start] + digits[len(digits) - end:] in (
            "", "1", "11",
        ):
            return core[::2]
    return None


def _cells(sides: list[int], min_width: int) -> list[tuple[int, int]]:
    """The spans between box sides (runs of side columns taken as one side) at least ``min_width`` wide."""
    edges: list[tuple[int, int]] = []
    for x in sides:
        if edges and x - edges[-1][1] <= 1:
            edges[-1] = (edges[-1][0], x)
        else:
            edges.append((x, x))
    return [(a[1] + 1, b[0]) for a, b in zip(edges, edges[1:], strict=False) if b[0] - a[1] - 1 >= min_width]


def _orientations(osd: Any | None, image: Image) -> list[int]:
    """Turns (degrees counter-clockwise) to read ``image`` in, the likeliest first: the one
    orientation detection is sure of alone; when it is unsure, upright and its guess; when it
    finds nothing, every quarter turn."""
    if osd is None:
        return [0]
    osd.SetImage(image)
    osd.SetSourceResolution(ASSUMED_DPI)
    found = osd.DetectOrientationScript()
    if not found:
        return [0, 90, 270, 180]
    # orient_deg is the clockwise rotation of the page; PIL's rotate turns counter-clockwise
    degrees = int(found.get("orient_deg", 0)) % 360
    if found.get("orient_conf", 0.0) >= OSD_MIN_CONFIDENCE:
        return [degrees]
    return [degrees, 0] if degrees else [0]


def _row_spread(ink: Image, degrees: float) -> float:
    """How unevenly ink falls on rows when ``ink`` is turned by ``degrees``: largest when its
    lines of text run straight across (each row all ink or all paper)."""
    from PIL import Image as PILImage
    from PIL import ImageStat

    turned = ink.rotate(degrees, fillcolor=0, resample=PILImage.Resampling.BILINEAR)
    rows = turned.resize((1, turned.height), PILImage.Resampling.BOX)  # each row's mean
    return float(ImageStat.Stat(rows).var[0])


def skew_angle(image: Image) -> float:
    """The turn (degrees, counter-clockwise) that makes the text of ``image`` run level."""
    from PIL import Image as PILImage
    from PIL import ImageChops, ImageFilter

    height = max(1, round(image.height * SKEW_WIDTH / max(1, image.width)))
    small = image.resize((SKEW_WIDTH, height), PILImage.Resampling.BOX)
    darker = ImageChops.subtract(small.filter(ImageFilter.BoxBlur(8)), small)
    ink = darker.point(lambda v: 255 if v > INK_CONTRAST else 0)
    coarse = max(range(-SKEW_RANGE, SKEW_RANGE + 1), key=lambda a: _row_spread(ink, a))
    steps = round(1 / SKEW_STEP)
    return max((coarse + k * SKEW_STEP for k in range(-steps, steps + 1)), key=lambda a: _row_spread(ink, a))


def deskew(image: Image) -> Image:
    """``image`` turned level (a phone photo held at an angle, a page fed in askew)."""
    from PIL import Image as PILImage

    angle = skew_angle(image)
    if abs(angle) < MIN_SKEW:
        return image
    return image.rotate(angle, expand=True, fillcolor=255, resample=PILImage.Resampling.BICUBIC)
