"""What a file is, from its content (magic bytes and container structure), never its name."""

from __future__ import annotations

import zipfile
from enum import Enum
from typing import BinaryIO

import regex

SNIFF_HEAD = 8192
"""Bytes read from the start to decide the type."""


class Kind(Enum):
    """Content types the extractors know."""

    TEXT = "text"
    ZIP = "zip"
    DOCX = "docx"
    XLSX = "xlsx"
    PPTX = "pptx"
    ODF = "odf"
    TAR = "tar"
    GZIP = "gzip"
    BZIP2 = "bzip2"
    XZ = "xz"
    SEVEN_Z = "7z"
    PDF = "pdf"
    OLE = "ole"
    RTF = "rtf"
    HTML = "html"
    XML = "xml"
    MAIL = "mail"
    MBOX = "mbox"
    IMAGE = "image"


_MAIL_HEADER = regex.compile(
    rb"^(?:Return-Path|Received|From|To|Subject|Date|Message-ID|MIME-Version|Delivered-To|X-[\w-]+|Content-Type):[ \t]",
    regex.IGNORECASE | regex.MULTILINE,
)
_HTML = regex.compile(rb"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", regex.IGNORECASE)


def _zip_kind(stream: BinaryIO) -> Kind:
    try:
        with zipfile.ZipFile(stream) as zf:
            names = set(zf.namelist()[:5000])
            if "word/document.xml" in names:
                return Kind.DOCX
            if "xl/workbook.xml" in names:
                return Kind.XLSX
            if "ppt/presentation.xml" in names:
                return Kind.PPTX
            if "mimetype" in names and "content.xml" in names:
                return Kind.ODF
    except Exception:  # noqa: BLE001, S110 - sniffing never raises (zipfile also throws NotImplementedError,
        pass  # IndexError, OverflowError ...): a broken zip is still a zip, its extractor says what is wrong
    finally:
        stream.seek(0)
    return Kind.ZIP


_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*",
)
"""PNG, JPEG, GIF, TIFF (both byte orders)."""
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")
"""ISO media ``ftyp`` brands of HEIF/HEIC (phones' photos) and AVIF."""
_BMP_INFO_SIZES = (12, 40, 52, 56, 64, 108, 124)
"""Sizes of the BMP info headers; checked so that text starting with ``BM`` stays text."""


def is_image(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes) starts an image format OCR reads."""
    if head.startswith(_IMAGE_MAGIC):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return True
    return head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _BMP_INFO_SIZES


def sniff_kind(stream: BinaryIO) -> Kind:
    """The kind of a seekable stream positioned at its start (left at its start)."""
    head = stream.read(SNIFF_HEAD)
    stream.seek(0)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(stream)
    if head.startswith(b"%PDF-"):
        return Kind.PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Kind.OLE
    if head.startswith(b"{\\rtf"):
        return Kind.RTF
    if head.startswith(b"\x1f\x8b"):
        return Kind.GZIP
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return Kind.BZIP2
    if head.startswith(b"\xfd7zXZ\x00"):
        return Kind.XZ
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return Kind.SEVEN_Z
    if head[257:262] == b"ustar":
        return Kind.TAR
    if is_image(head):
        return Kind.IMAGE
    text = head.lstrip(b"\xef\xbb\xbf")
    if text.startswith(b"From ") and _MAIL_HEADER.search(text):
        return Kind.MBOX
    if len(_MAIL_HEADER.findall(text[:2048])) >= 2 and _MAIL_HEADER.match(text):
        return Kind.MAIL
    if _HTML.match(text):
        return Kind.HTML
    if text.lstrip().startswith(b"<?xml"):
        return Kind.XML
    return Kind.TEXT
