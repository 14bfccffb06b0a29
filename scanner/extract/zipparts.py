"""Reading one member of a zip (an archive member, an Office part) within its limits.

zipfile checks the CRC before it hands out a member's last bytes and slips on
some damage with ValueError (a negative seek) or struct.error; here the data
comes first and the damage is reported after it, as ``corrupt``, so that a
member with a bad CRC is still scanned. An Office part is also cut at its
size or ratio limit, after the bytes under the limit were handed out.

``xml_source`` hands expat an XML part it can read: expat reads UTF-8,
UTF-16 and single-byte encodings only, and stops on ``encoding="Shift_JIS"``
(or a name it does not know) with nothing read; such a part is transcoded to
UTF-8 first (an unknown encoding is read as UTF-8, undecodable bytes replaced).
"""

from __future__ import annotations

import codecs
import errno
import re
import struct
import zipfile
import zlib
from typing import IO, Self

from scanner.extract.errors import Corrupt, from_parser
from scanner.extract.limits import LimitExceeded, Limits
from scanner.extract.spool import Readable, ratio_cap

ENCRYPTED_FLAGS = 0x1 | 0x40
"""Traditional (bit 0) and strong (bit 6) encryption."""
ZIPFILE_SLIPS = (ValueError, IndexError, OverflowError, struct.error)
"""What zipfile raises, besides BadZipFile, on a damaged member."""


class BadCrc(zipfile.BadZipFile):
    """The member's data does not match its CRC; raised after all of it was read (it was scanned)."""


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    """Whether the member is encrypted (any scheme)."""
    return bool(info.flag_bits & ENCRYPTED_FLAGS)


def open_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits | None = None) -> MemberReader:
    """A reader of ``info``; with ``limits``, it stops at the member's size or ratio cap."""
    try:
        raw = zf.open(info)
    except ZIPFILE_SLIPS as exc:
        raise from_parser(exc, ("zipfile",)) from exc
    except OSError as exc:
        if exc.errno == errno.EINVAL:  # a file's seek before its start: an offset out of the file
            raise Corrupt("bad member offset") from exc
        raise
    return MemberReader(raw, info, limits)


class MemberReader:
    """A zip member's bytes, its CRC checked after the data, optionally capped by the limits."""

    def __init__(self, raw: IO[bytes], info: zipfile.ZipInfo, limits: Limits | None) -> None:
        self._raw, self._expected, self._crc = raw, info.CRC, 0
        self._checked = getattr(raw, "_expected_crc", None) is not None
        if self._checked:
            setattr(raw, "_expected_crc", None)  # noqa: B010 - zipfile's private field: we check the CRC after the data
        self._cap: int | None = None
        self._limit = LimitExceeded("max_file_size", "no limit")
        if limits is not None:
            ratio = ratio_cap(info.compress_size, limits)
            if ratio < limits.max_file_size:
                self._cap = ratio
                self._limit = LimitExceeded("max_ratio", f"a part expands more than {limits.max_ratio} times")
            else:
                self._cap = limits.max_file_size
                self._limit = LimitExceeded("max_file_size", f"a part is over {limits.max_file_size} bytes")
        self._total = 0
        self._over = False

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes (all with -1); raises the limit, or ``corrupt``, only after the data before it."""
        if self._over:
            raise self._limit
        if self._cap is not None:
            left = self._cap - self._total + 1  # one byte more tells whether the cap is passed
            n = left if n < 0 else min(n, left)
        try:
            data = self._raw.read(n)
        except ZIPFILE_SLIPS as exc:
            raise from_parser(exc, ("zipfile",)) from exc
        if self._cap is not None and self._total + len(data) > self._cap:
            data, self._over = data[: self._cap - self._total], True
            if not data:
                raise self._limit
        self._total += len(data)
        if self._checked and not self._over:
            if data:
                self._crc = zlib.crc32(data, self._crc)
            elif self._crc != self._expected:
                raise BadCrc("bad CRC-32")
        return data

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()



XML_HEAD_BYTES = 1024
"""Bytes read from the start of an XML part to find its declaration."""
EXPAT_READS = frozenset(
    {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}
)
"""Declared encodings expat reads itself."""
_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"'>]{0,64})[\"']")
_DECLARED = re.compile(r"(<\?xml[^>]*?encoding\s*=\s*)[\"'][^\"'>]{0,64}[\"']")
TRANSCODE_BYTES = 64 * 1024


def xml_source(stream: Readable) -> Readable:
    """``stream`` as expat can read it: as it is, or transcoded to UTF-8 when it declares an encoding expat lacks."""
    head = stream.read(XML_HEAD_BYTES)
    m = _DECLARATION.match(head)
    if m and head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]  # a UTF-8 mark before a Shift_JIS declaration: the declaration wins
    declared = m.group(1).decode("ascii", "replace").strip().lower() if m else ""
    if not m or declared in EXPAT_READS:
        return _Prefixed(head, stream)
    try:
        codec = codecs.lookup(declared).name
    except (LookupError, ValueError):
        codec = "utf-8"  # a name no codec has: read the text anyway
    return _Transcoded(head, stream, codec)


class _Prefixed:
    """The bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, stream: Readable) -> None:
        self._head, self._stream = head, stream

    def read(self, n: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        return self._stream.read(n)


class _Transcoded:
    """A part in a declared encoding, read as UTF-8 with the declaration saying so."""

    def __init__(self, head: bytes, stream: Readable, codec: str) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        self._pending = head
        self._first, self._done = True, False

    def read(self, _n: int = -1) -> bytes:
        """The next piece (never empty before the end: an empty read means the end to iterparse)."""
        while not self._done:
            data = self._pending or self._stream.read(TRANSCODE_BYTES)
            self._pending = b""
            text = self._decoder.decode(data, final=not data)
            self._done = not data
            if self._first and text:
                text, self._first = _DECLARED.sub(r'\1"UTF-8"', text, count=1), False
            if text:
                return text.encode("utf-8", errors="replace")
        return b""
