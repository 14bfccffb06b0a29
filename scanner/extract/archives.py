"""Archives and compressed streams: zip, tar, gzip, bzip2, xz. Members are extracted
one at a time into a seekable spool and handed back to the dispatcher, so any
format can sit inside any other, up to ``max_recursion``.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import BinaryIO

from scanner.extract.errors import from_parser, unscanned
from scanner.extract.parts import Context, Item, Unscanned
from scanner.extract.spool import Readable, spool_upto
from scanner.extract.zipparts import BadCrc, is_encrypted, open_member

ZIP_UTF8_FLAG = 0x800
"""Bit 11: the member name is UTF-8; without it, Japanese Windows writes CP932."""
DECOMPRESSORS = ("zipfile", "tarfile", "gzip", "bz2", "lzma", "_compression")
"""Modules whose slips while a member is read mean a corrupt member."""
TAR_SKIPPED_KINDS = {
    tarfile.SYMTYPE: "symlink member",
    tarfile.LNKTYPE: "hardlink member",
    tarfile.CHRTYPE: "character device member",
    tarfile.BLKTYPE: "block device member",
    tarfile.FIFOTYPE: "fifo member",
}
"""Tar members that are not read (links are not followed, devices hold no content of the archive)."""


def _nested(stream: BinaryIO, ctx: Context, truncated: bool = False) -> Iterator[Item]:
    from scanner.extract.dispatch import extract, extract_prefix

    with stream:
        yield from (extract_prefix if truncated else extract)(stream, ctx)


def member_items(source: Readable, ctx: Context, compressed_size: int | None = None) -> Iterator[Item]:
    """A member spooled and extracted one level deeper; past its size or ratio limit, what was read
    before the limit (or a read error) is still scanned when its kind reads in part, and the cut is reported."""
    try:
        data, stopped = spool_upto(source, ctx.budget, compressed_size)
    except Exception as exc:  # noqa: BLE001 - a member that cannot be read costs itself
        yield unscanned(ctx.member, exc)
        return
    # a bad CRC comes after all the data: the member is whole, only damaged
    yield from _nested(data, ctx, truncated=stopped is not None and not isinstance(stopped, BadCrc))
    if stopped is not None:
        yield unscanned(ctx.member, from_parser(stopped, DECOMPRESSORS))


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker wrote it: UTF-8 when flagged, else CP932 (CP437 when not CP932)."""
    if info.flag_bits & ZIP_UTF8_FLAG:
        return info.filename
    try:
        raw = info.orig_filename.encode("cp437")  # zipfile decoded the bytes as CP437: undo it exactly
        return raw.decode("cp932").split("\0", 1)[0]
    except UnicodeError:
        return info.filename


def zip_members(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Every member of a zip; encrypted ones are ``encrypted``, bombs hit ``max_ratio``.

    A member that cannot be read (unknown compression, bad offset, bad CRC)
    is reported on its own and the next one is read.
    """
    try:
        zf = zipfile.ZipFile(stream)
        infos = zf.infolist()
    except Exception as exc:  # noqa: BLE001 - any failure to open is reported, not raised
        yield unscanned(ctx.member, from_parser(exc, ("zipfile",)))
        return
    with zf:
        files = 0
        for n, info in enumerate(infos):
            name = zip_member_name(info)
            if name.endswith("/"):
                continue  # a directory entry holds nothing
            files += 1
            if files > ctx.limits.max_files:
                yield Unscanned(ctx.member, "limit:max_files", f"more than {ctx.limits.max_files} members")
                return
            yield from zip_member(zf, info, ctx.child(name or f"member-{n}"))


def media_members(zf: zipfile.ZipFile, ctx: Context, folders: tuple[str, ...]) -> Iterator[Item]:
    """The files an office document embeds under ``folders`` (pictures, screenshots, scans),
    each extracted by its kind and named by its path (``word/media/image3.jpeg``)."""
    for info in zf.infolist():
        if info.filename.startswith(folders) and not info.filename.endswith("/"):
            yield from zip_member(zf, info, ctx.child(info.filename))


def zip_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, child: Context) -> Iterator[Item]:
    """One zip member, extracted by its kind; whatever is wrong with it is reported on it alone."""
    if is_encrypted(info):
        yield Unscanned(child.member, "encrypted", "encrypted zip member")
        return
    if info.file_size > child.limits.max_file_size:
        yield Unscanned(child.member, "limit:max_file_size", f"{info.file_size} bytes")
        return
    try:
        member = open_member(zf, info)
    except Exception as exc:  # noqa: BLE001 - unknown method, bad header offset ...
        yield unscanned(child.member, exc)
        return
    with member:
        yield from member_items(member, child, info.compress_size)


def tar_members(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Every regular file in a tar; links, devices and fifos are reported, not followed."""
    try:
        tf = tarfile.open(fileobj=stream, mode="r:")
    except Exception as exc:  # noqa: BLE001
        yield unscanned(ctx.member, exc)
        return
    with tf:
        n = 0
        while True:
            try:
                info = tf.next()
            except Exception as exc:  # noqa: BLE001 - a tar is read in order: nothing after a bad header
                yield unscanned(ctx.member, from_parser(exc, ("tarfile",)))
                return
            if info is None:
                return
            if info.isdir():
                continue
            n += 1
            if n > ctx.limits.max_files:
                yield Unscanned(ctx.member, "limit:max_files", f"more than {ctx.limits.max_files} members")
                return
            yield from _tar_member(tf, info, ctx.child(info.name or f"member-{n}"))


def _tar_member(tf: tarfile.TarFile, info: tarfile.TarInfo, child: Context) -> Iterator[Item]:
    """One tar member: a regular file is read; a link, device or fifo gets its own record."""
    if info.type in TAR_SKIPPED_KINDS:
        yield Unscanned(child.member, "unsupported", TAR_SKIPPED_KINDS[info.type])
        return
    if not info.isfile():
        yield Unscanned(child.member, "unsupported", "tar member of an unknown type")
        return
    if info.size > child.limits.max_file_size:
        yield Unscanned(child.member, "limit:max_file_size", f"{info.size} bytes")
        return
    try:
        member = tf.extractfile(info)
    except Exception as exc:  # noqa: BLE001
        yield unscanned(child.member, from_parser(exc, ("tarfile",)))
        return
    if member is None:
        yield Unscanned(child.member, "unsupported", "tar member without content")
        return
    yield from member_items(member, child)


def _decompressed(opener: Callable[[BinaryIO], Readable]) -> Callable[[BinaryIO, Context], Iterator[Item]]:
    def extractor(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
        size = _size(stream)
        child = replace(ctx, depth=ctx.depth + 1)
        yield from member_items(opener(stream), child, size)

    return extractor


def _size(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


gzip_stream = _decompressed(lambda s: gzip.GzipFile(fileobj=s))
bzip2_stream = _decompressed(lambda s: bz2.BZ2File(s))
xz_stream = _decompressed(lambda s: lzma.LZMAFile(s))
