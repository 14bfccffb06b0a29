"""Route a stream to the extractor of its kind; the entry point of extraction."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from scanner.detect.segments import RawText, Segment
from scanner.extract import archives, images, legacy, mail, markup, odf, ooxml, pdf
from scanner.extract.errors import budget_spent, reports_item_limit, unscanned
from scanner.extract.filetype import Kind, sniff_kind
from scanner.extract.parts import Context, Item, TextPart, Unscanned
from scanner.extract.textfile import BinaryContent, text_file

Extractor = Callable[[BinaryIO, Context], Iterator[Item]]


def plain_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Text in one of the encodings Japanese shares hold (XML too: its tags are labels)."""
    try:
        segments, shifts = text_file(stream, ctx.prefilter)
    except BinaryContent as exc:
        yield Unscanned(ctx.member, "unsupported", str(exc))
        return
    yield TextPart(ctx.member, segments, source=shifts)


def _unsupported(kind: Kind) -> Extractor:
    def extractor(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
        yield Unscanned(ctx.member, "unsupported", f"{kind.value} content is not read yet")

    return extractor


def _extractors() -> dict[Kind, Extractor]:
    """Kind -> extractor. Kinds without one are reported ``unsupported``, never clean."""
    table: dict[Kind, Extractor] = {kind: _unsupported(kind) for kind in Kind}
    table.update(
        {
            Kind.TEXT: plain_text,
            Kind.XML: plain_text,
            Kind.HTML: markup.html_text,
            Kind.ZIP: archives.zip_members,
            Kind.TAR: archives.tar_members,
            Kind.GZIP: archives.gzip_stream,
            Kind.BZIP2: archives.bzip2_stream,
            Kind.XZ: archives.xz_stream,
            Kind.DOCX: ooxml.docx_text,
            Kind.XLSX: ooxml.xlsx_text,
            Kind.PPTX: ooxml.pptx_text,
            Kind.ODF: odf.odf_text,
            Kind.PDF: pdf.pdf_pages,
            Kind.OLE: legacy.ole_document,
            Kind.RTF: legacy.rtf_text,
            Kind.SEVEN_Z: legacy.sevenzip_members,
            Kind.MAIL: mail.message_parts,
            Kind.MBOX: mail.mbox_messages,
            Kind.IMAGE: images.image_text,
        }
    )
    return table


EXTRACTORS = _extractors()
PREFIX_KINDS = frozenset({Kind.TEXT, Kind.XML, Kind.HTML, Kind.MAIL, Kind.MBOX})
"""Kinds whose first bytes can be read without the rest: a cut member of these is still scanned."""
LIBRARY_LOGGERS = ("pypdf", "olefile", "extract_msg", "py7zr", "xlrd", "striprtf", "odf", "compressed_rtf", "RTFDE")
"""Parser libraries whose log records and warnings quote document content (``Invalid object ... @756: b'...'``):
they never reach the process's handlers or stderr, where a number would leave the process."""


def _silence_libraries() -> None:
    """Detach the parser libraries' loggers and warnings from the process's (once, at import)."""
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        warnings.filterwarnings("ignore", module=rf"{name}(\.|$)")


_silence_libraries()


def extract(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Everything scannable in ``stream`` (seekable, at its start), by content type.

    Whatever goes wrong inside costs only this stream (a member, a part): it
    becomes a not-scanned item here and the container around it reads on.
    """
    if ctx.depth > ctx.limits.max_recursion:
        yield Unscanned(ctx.member, "limit:max_recursion", f"nested more than {ctx.limits.max_recursion} deep")
        return
    try:
        kind = sniff_kind(stream)
    except Exception as exc:  # noqa: BLE001 - an unreadable stream is reported, not raised
        yield unscanned(ctx.member, exc)
        return
    yield from guarded(EXTRACTORS[kind](stream, ctx), ctx)


def extract_prefix(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """The start of a member cut short by a limit or a read error: read when its kind reads
    from the start (text, markup, mail), skipped otherwise (the caller reports the cut)."""
    if ctx.depth > ctx.limits.max_recursion:
        return
    try:
        kind = sniff_kind(stream)
    except Exception:  # noqa: BLE001 - the caller reports why the member was cut
        return
    if kind in PREFIX_KINDS:
        yield from guarded(EXTRACTORS[kind](stream, ctx), ctx)


def guarded(items: Iterator[Item], ctx: Context) -> Iterator[Item]:
    """``items`` with every failure pinned to ``ctx.member`` and item-wide limits obeyed.

    An exception escaping the extractor ends it with a not-scanned item; one
    escaping a part's segments is recorded as the part's problem, after the
    text before it was scanned. Once the scan size or time of the whole item is
    spent, reading stops (with a record, unless the last item already says so).
    """
    try:
        while True:
            try:
                item = next(items)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - a hostile member costs itself, not the archive
                yield unscanned(ctx.member, exc)
                return
            if isinstance(item, TextPart) and not isinstance(item.segments, GuardedSegments):
                item.segments = GuardedSegments(item, item.segments)
                item.about = item.about or ctx.about
            yield item
            spent = budget_spent(ctx.budget)
            if spent is not None:
                if not reports_item_limit(item):
                    yield unscanned(ctx.member, spent)
                return
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


class GuardedSegments:
    """A part's segments; an exception while producing them becomes the part's problem."""

    __slots__ = ("part", "segments")

    def __init__(self, part: TextPart, segments: Iterable[Segment | RawText]) -> None:
        self.part, self.segments = part, segments

    def __iter__(self) -> Iterator[Segment | RawText]:
        """The segments, until the first failure (which becomes the part's problem)."""
        try:
            yield from self.segments
        except Exception as exc:  # noqa: BLE001 - what was read before is still scanned
            if self.part.problem is None:
                self.part.problem = unscanned(self.part.member, exc)
