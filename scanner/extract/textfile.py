"""Plain-text files: sniff the encoding, then decode in chunks of bounded size.

``iter_segments`` hands the engine the text as segments: a segment either
continues the previous one or starts at a given line after a gap that the
byte prefilter (prefilter.py) found to hold no candidate.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from scanner.detect.segments import Reach, Segment
from scanner.extract.encoding import SNIFF_BYTES, sniff
from scanner.extract.prefilter import BytePrefilter

READ_BYTES = 1024 * 1024
"""Bytes read and decoded at a time; memory per file stays near this size."""
MAX_LINE_BYTES = 8 * 1024 * 1024
"""A line longer than this (minified JSON, say) ends prefiltering: the rest is decoded whole."""


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


def decode_stream(stream: BinaryIO, read_bytes: int = READ_BYTES) -> tuple[str, Iterator[str]]:
    """Sniff the encoding from the first bytes; return it and an iterator of decoded chunks.

    Undecodable bytes become U+FFFD so that one bad byte does not hide the rest.
    """
    first = stream.read(max(read_bytes, SNIFF_BYTES))
    encoding = sniff(first[:SNIFF_BYTES]).encoding
    if encoding is None:
        raise BinaryContent("binary content of an unsupported type")
    return encoding, _stream_decode(encoding, first, stream, read_bytes)


class _LineBlocks:
    """Blocks of whole lines, about ``read_bytes`` each, from a stream."""

    def __init__(self, first: bytes, stream: BinaryIO, read_bytes: int) -> None:
        self._buf = first
        self._stream = stream
        self._size = read_bytes
        self._eof = False

    def _fill(self) -> bool:
        more = self._stream.read(self._size)
        if not more:
            self._eof = True
            return False
        self._buf += more
        return True

    def next(self) -> tuple[bytes, bool]:
        """The next block (empty at the end) and whether it is one line too long to prefilter."""
        while len(self._buf) < self._size and not self._eof:
            self._fill()
        cut = self._buf.rfind(b"\n")
        while cut < 0 and not self._eof and len(self._buf) <= MAX_LINE_BYTES:
            if self._fill():
                cut = self._buf.rfind(b"\n")
        if cut < 0:
            block, self._buf = self._buf, b""
            return block, not self._eof
        block, self._buf = self._buf[: cut + 1], self._buf[cut + 1 :]
        return block, False

    def rest(self) -> bytes:
        """What is buffered but not yet handed out."""
        rest, self._buf = self._buf, b""
        return rest


def iter_segments(stream: BinaryIO, reach: Reach | None, read_bytes: int = READ_BYTES) -> tuple[str, Iterator[Segment]]:
    """Sniff the encoding and return it with the file's text as segments.

    With ``reach`` and an ASCII-compatible encoding, only line ranges the byte
    prefilter marks are decoded; otherwise everything is, as contiguous segments.
    """
    first = stream.read(max(read_bytes, SNIFF_BYTES))
    encoding = sniff(first[:SNIFF_BYTES]).encoding
    if encoding is None:
        raise BinaryContent("binary content of an unsupported type")
    if reach is None or not BytePrefilter.supports(encoding):
        return encoding, (Segment(t, None) for t in _stream_decode(encoding, first, stream, read_bytes))
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    if encoding == "utf-8-sig":
        first = first[len(codecs.BOM_UTF8) :]
    return encoding, _prefiltered(BytePrefilter(encoding, reach), codec, first, stream, read_bytes)


def _prefiltered(pre: BytePrefilter, codec: str, first: bytes, stream: BinaryIO, read_bytes: int) -> Iterator[Segment]:
    """Decode only the line ranges the prefilter marks, block by block.

    Each block is searched together with the tail of the one before, so a
    value near a block edge gets its context from both sides.
    """
    blocks = _LineBlocks(first, stream, read_bytes)
    window, window_abs = b"", 0  # the kept tail of the previous block + the new block; its file offset
    emitted = 0  # file offset where the text handed out so far ends
    counted, line = 0, 1  # file offset up to which lines are counted, and the line number there
    while True:
        block, too_long = blocks.next()
        if not block:
            return
        window += block
        if too_long:
            # one enormous line (minified JSON, say): decode the rest of the file as it comes
            rest = max(0, emitted - window_abs)
            line += window.count(b"\n", counted - window_abs, rest)
            texts = _stream_decode(codec, window[rest:] + blocks.rest(), stream, read_bytes)
            for i, text in enumerate(texts):
                yield Segment(text, line if i == 0 and window_abs + rest != emitted else None)
            return
        # the start of the document is always read: the engine recognises tables from it
        keep = [(0, pre.head_bytes - window_abs)] if window_abs < pre.head_bytes else []
        plan = pre.plan(window, keep)
        for start, end in plan.ranges:
            start = max(start, emitted - window_abs)
            if end <= start:
                continue
            line += window.count(b"\n", counted - window_abs, start)
            text, zones = _decode_with_zones(window, start, end, plan.zones, codec)
            yield Segment(text, None if window_abs + start == emitted else line, zones)
            line += window.count(b"\n", start, end)
            counted = emitted = window_abs + end
        cut = max(len(window) - pre.back_bytes, emitted - window_abs, counted - window_abs)
        cut = max(window.rfind(b"\n", 0, cut) + 1, emitted - window_abs, counted - window_abs)
        line += window.count(b"\n", counted - window_abs, cut)
        counted = window_abs + cut
        window, window_abs = window[cut:], window_abs + cut


def _decode_with_zones(
    block: bytes, start: int, end: int, zones: list[tuple[int, int]], codec: str
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Decode ``block[start:end]`` and map the byte zones inside it to character offsets."""
    parts: list[str] = []
    out: list[tuple[int, int]] = []
    pos, chars = start, 0
    for zs, ze in zones:
        zs, ze = max(zs, start), min(ze, end)
        if ze <= zs:
            continue
        before = block[pos:zs].decode(codec, errors="replace")
        inside = block[zs:ze].decode(codec, errors="replace")
        parts += [before, inside]
        chars += len(before)
        out.append((chars, chars + len(inside)))
        chars += len(inside)
        pos = ze
    parts.append(block[pos:end].decode(codec, errors="replace"))
    return "".join(parts), tuple(out)
