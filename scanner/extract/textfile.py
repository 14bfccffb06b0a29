"""Plain-text files: sniff the encoding, then decode in chunks of bounded size."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from scanner.extract.encoding import SNIFF_BYTES, sniff

READ_BYTES = 1024 * 1024
"""Bytes read and decoded at a time; memory per file stays near this size."""


class BinaryContent(Exception):
    """The content is not text in any encoding we read."""


def decode_stream(stream: BinaryIO, read_bytes: int = READ_BYTES) -> tuple[str, Iterator[str]]:
    """Sniff the encoding from the first bytes; return it and an iterator of decoded chunks.

    Undecodable bytes become U+FFFD so that one bad byte does not hide the rest.
    """
    first = stream.read(max(read_bytes, SNIFF_BYTES))
    encoding = sniff(first[:SNIFF_BYTES]).encoding
    if encoding is None:
        raise BinaryContent("binary content of an unsupported type")

    def chunks() -> Iterator[str]:
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

    return encoding, chunks()
