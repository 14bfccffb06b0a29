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
from typing import BinaryIO

from scanner.extract.errors import unscanned
from scanner.extract.limits import LimitExceeded
from scanner.extract.parts import Context, Item, Unscanned
from scanner.extract.spool import spool

ZIP_ENCRYPTED_FLAG = 0x1


def _nested(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    from scanner.extract.dispatch import extract

    with stream:
        yield from extract(stream, ctx)


def zip_members(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Every member of a zip; encrypted ones are ``encrypted``, bombs hit ``max_ratio``."""
    try:
        zf = zipfile.ZipFile(stream)
        infos = [i for i in zf.infolist() if not i.is_dir()]
    except Exception as exc:  # noqa: BLE001 - any failure to open is reported, not raised
        yield unscanned(ctx.member, exc)
        return
    with zf:
        for n, info in enumerate(infos):
            if n >= ctx.limits.max_files:
                yield Unscanned(ctx.member, "limit:max_files", f"more than {ctx.limits.max_files} members")
                return
            child = ctx.child(info.filename)
            if info.flag_bits & ZIP_ENCRYPTED_FLAG:
                yield Unscanned(child.member, "encrypted", "encrypted zip member")
                continue
            if info.file_size > ctx.limits.max_file_size:
                yield Unscanned(child.member, "limit:max_file_size", f"{info.file_size} bytes")
                continue
            if info.file_size > max(info.compress_size, 1) * ctx.limits.max_ratio and info.file_size > 1 << 20:
                yield Unscanned(child.member, "limit:max_ratio", f"declared to expand {info.file_size // max(info.compress_size, 1)} times")
                continue
            try:
                with zf.open(info) as member:
                    data = spool(member, ctx.budget, info.filename, info.compress_size)
            except LimitExceeded as exc:
                yield unscanned(child.member, exc)
                if exc.name in ("max_scan_size", "max_scan_time"):
                    return  # the whole item's budget is spent
                continue
            except Exception as exc:  # noqa: BLE001
                yield unscanned(child.member, exc)
                continue
            yield from _nested(data, child)


def tar_members(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Every regular file in a tar (links and devices are not followed)."""
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
            except Exception as exc:  # noqa: BLE001
                yield unscanned(ctx.member, exc)
                return
            if info is None:
                return
            if not info.isfile():
                continue
            n += 1
            if n > ctx.limits.max_files:
                yield Unscanned(ctx.member, "limit:max_files", f"more than {ctx.limits.max_files} members")
                return
            child = ctx.child(info.name)
            if info.size > ctx.limits.max_file_size:
                yield Unscanned(child.member, "limit:max_file_size", f"{info.size} bytes")
                continue
            try:
                member = tf.extractfile(info)
                if member is None:
                    continue
                data = spool(member, ctx.budget, info.name)
            except LimitExceeded as exc:
                yield unscanned(child.member, exc)
                if exc.name in ("max_scan_size", "max_scan_time"):
                    return
                continue
            except Exception as exc:  # noqa: BLE001
                yield unscanned(child.member, exc)
                continue
            yield from _nested(data, child)


def _decompressed(opener: Callable[[BinaryIO], BinaryIO], suffix: str) -> Callable[[BinaryIO, Context], Iterator[Item]]:
    def extractor(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
        size = _size(stream)
        child = Context(ctx.reach, ctx.limits, ctx.budget, ctx.depth + 1, ctx.member)
        try:
            data = spool(opener(stream), ctx.budget, suffix, size)
        except Exception as exc:  # noqa: BLE001
            yield unscanned(ctx.member, exc)
            return
        yield from _nested(data, child)

    return extractor


def _size(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


gzip_stream = _decompressed(lambda s: gzip.GzipFile(fileobj=s), "gzip")
bzip2_stream = _decompressed(lambda s: bz2.BZ2File(s), "bzip2")
xz_stream = _decompressed(lambda s: lzma.LZMAFile(s), "xz")
