"""Plain-text files: sniff the encoding, then hand the text on in chunks of bounded size.

In the encodings the native core decodes (``CORE_ENCODINGS``: UTF-8, CP932, EUC-JP) the
file's raw bytes go to the core as ``RawText``: it cuts them into line blocks, prefilters
the bytes for runs of digits and decodes only what a candidate or its context may need
(``scanner/native/core/src/textscan.rs``). UTF-16 and ISO-2022-JP are decoded here.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from scanner.detect.segments import CORE_ENCODINGS, Prefilter, RawText, Segment
from scanner.extract.encoding import SNIFF_BYTES, sniff
from scanner.extract.parts import SourceMap
from scanner.extract.sourcemap import PageMap
from scanner.extract.unescape import LineShifts, has_escapes, unescaped_segments
from scanner.extract.wrapped_cells import has_wrapped_numbers, joined_segments

READ_BYTES = 1024 * 1024
"""Bytes read (and, in Python, decoded) at a time; memory per file stays near this size."""


class BinaryContent(Exception):
    """The content is not text in any encoding we read."""


def _stream_decode(encoding: str, first: bytes, stream: BinaryIO, read_bytes: int) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    data = first
    while data:
        text = decoder.decode(data)
        if text:
            yield text
        data = stream.read(read_bytes)
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


def _sniffed(stream: BinaryIO, read_bytes: int) -> tuple[str, bytes]:
    first = stream.read(max(read_bytes, SNIFF_BYTES))
    encoding = sniff(first[:SNIFF_BYTES]).encoding
    if encoding is None:
        raise BinaryContent("binary content of an unsupported type")
    return encoding, first


def decode_stream(stream: BinaryIO, read_bytes: int = READ_BYTES) -> tuple[str, Iterator[str]]:
    """Sniff the encoding from the first bytes; return it and an iterator of decoded chunks
    (Python's codecs: the reference the native decoding is tested against).

    Undecodable bytes become U+FFFD so that one bad byte does not hide the rest.
    """
    encoding, first = _sniffed(stream, read_bytes)
    return encoding, _stream_decode(encoding, first, stream, read_bytes)


def _raw(encoding: str, first: bytes, stream: BinaryIO, read_bytes: int, prefilter: bool) -> Iterator[RawText]:
    data = first
    while data:
        yield RawText(data, encoding, prefilter)
        data = stream.read(read_bytes)


def iter_segments(
    stream: BinaryIO, prefilter: Prefilter | None, read_bytes: int = READ_BYTES
) -> tuple[str, Iterator[Segment | RawText]]:
    """Sniff the encoding and return it with the file's content for the engine: raw bytes
    in the encodings the core decodes (prefiltered when ``prefilter`` is given), decoded
    contiguous segments otherwise."""
    encoding, first = _sniffed(stream, read_bytes)
    if encoding in CORE_ENCODINGS:
        return encoding, _raw(encoding, first, stream, read_bytes, prefilter is not None)
    return encoding, (Segment(t, None) for t in _stream_decode(encoding, first, stream, read_bytes))


def text_file(stream: BinaryIO, prefilter: Prefilter | None) -> tuple[Iterator[Segment | RawText], SourceMap | None]:
    """A text file's content for the engine, as ``iter_segments`` gives it. Two kinds are decoded
    here and come with a map of their lines back to the file's: a file whose first bytes write
    telling characters as escapes (``\\uFF11``, ``&#x30FC;``), read with its escapes decoded, and
    delimited text whose quoted cells wrap a number over lines, read with those numbers joined."""
    encoding, first = _sniffed(stream, READ_BYTES)
    head = codecs.getincrementaldecoder(encoding)(errors="replace").decode(first[:SNIFF_BYTES])
    if has_escapes(head):
        shifts = LineShifts()
        return unescaped_segments(_stream_decode(encoding, first, stream, READ_BYTES), shifts), shifts
    if has_wrapped_numbers(head):
        page = PageMap()
        return joined_segments(_stream_decode(encoding, first, stream, READ_BYTES), page), page
    if encoding in CORE_ENCODINGS:
        return _raw(encoding, first, stream, READ_BYTES, prefilter is not None), None
    return (Segment(t, None) for t in _stream_decode(encoding, first, stream, READ_BYTES)), None


def segment_texts(segments: Iterable[Segment | RawText]) -> Iterator[str]:
    """The text of a part's segments, decoding raw bytes in Python (for callers that need
    the text itself, such as the known-numbers list reader)."""
    decoders: dict[str, codecs.IncrementalDecoder] = {}
    for seg in segments:
        if isinstance(seg, RawText):
            decoder = decoders.setdefault(seg.encoding, codecs.getincrementaldecoder(seg.encoding)(errors="replace"))
            yield decoder.decode(seg.data)
        else:
            yield seg.text
    for decoder in decoders.values():
        yield decoder.decode(b"", final=True)
