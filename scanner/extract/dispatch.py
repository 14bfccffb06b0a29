"""Route a stream to the extractor of its kind; the entry point of extraction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from scanner.extract import archives, legacy, mail, markup, odf, ooxml, pdf
from scanner.extract.filetype import Kind, sniff_kind
from scanner.extract.parts import Context, Item, TextPart, Unscanned
from scanner.extract.textfile import BinaryContent, iter_segments

Extractor = Callable[[BinaryIO, Context], Iterator[Item]]


def plain_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Text in one of the encodings Japanese shares hold (XML too: its tags are labels)."""
    try:
        _enc, segments = iter_segments(stream, ctx.reach)
    except BinaryContent as exc:
        yield Unscanned(ctx.member, "unsupported", str(exc))
        return
    yield TextPart(ctx.member, segments)


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
        }
    )
    return table


EXTRACTORS = _extractors()


def extract(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Everything scannable in ``stream`` (seekable, at its start), by content type."""
    if ctx.depth > ctx.limits.max_recursion:
        yield Unscanned(ctx.member, "limit:max_recursion", f"nested more than {ctx.limits.max_recursion} deep")
        return
    yield from EXTRACTORS[sniff_kind(stream)](stream, ctx)
