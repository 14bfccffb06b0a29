"""Older and less common formats over their well-kept readers: legacy Excel (.xls,
xlrd), Outlook messages (.msg, extract-msg), RTF (striprtf) and 7z (py7zr).
Each is an optional dependency (the ``formats`` extra); without it the file is
reported ``unsupported``, never clean."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from scanner.extract.errors import Encrypted, unscanned
from scanner.extract.limits import LimitExceeded
from scanner.extract.ooxml import _column_letters, numeric_text
from scanner.extract.parts import Context, Item, TextPart, Unscanned, text_lines
from scanner.extract.spool import spool

OLE_WORKBOOK_STREAMS = ("Workbook", "Book")
RTF_READ_LIMIT = 64 * 1024 * 1024
"""RTF is parsed whole: larger files are reported as over the limit."""


def _missing(ctx: Context, what: str, package: str) -> Unscanned:
    return Unscanned(ctx.member, "unsupported", f"{what} needs the 'formats' extra ({package})")


def ole_document(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """An OLE compound file: legacy Excel or an Outlook message."""
    try:
        import olefile
    except ImportError:
        yield _missing(ctx, "OLE documents", "olefile")
        return
    try:
        ole = olefile.OleFileIO(stream)
        streams = {"/".join(s) for s in ole.listdir()}
        ole.close()
    except Exception as exc:  # noqa: BLE001
        yield unscanned(ctx.member, ValueError("corrupt OLE file") if "olefile" in type(exc).__module__ else exc)
        return
    stream.seek(0)
    if any(s in streams for s in OLE_WORKBOOK_STREAMS):
        yield from xls_cells(stream, ctx)
    elif any(s.startswith("__substg1.0_") for s in streams):
        yield from msg_parts(stream, ctx)
    elif "EncryptedPackage" in streams:
        yield Unscanned(ctx.member, "encrypted", "password-protected Office document")
    else:
        yield Unscanned(ctx.member, "unsupported", "OLE document of an unsupported kind")


def xls_cells(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Each sheet of a legacy workbook as tab-separated rows; findings name the cell."""
    try:
        import xlrd
    except ImportError:
        yield _missing(ctx, "legacy Excel", "xlrd")
        return
    try:
        book = xlrd.open_workbook(file_contents=stream.read(), on_demand=True)
    except Exception as exc:  # noqa: BLE001
        text = str(exc).lower()
        yield unscanned(ctx.member, Encrypted("password-protected workbook") if "encrypt" in text else ValueError("corrupt xls"))
        return
    for sheet in book.sheets():
        rows = []
        for r in range(sheet.nrows):
            cells = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_NUMBER:
                    value = numeric_text(repr(value))
                cells.append(str(value).replace("\t", " ").replace("\n", " "))
            while cells and not cells[-1]:
                cells.pop()
            rows.append("\t".join(cells))
        ctx.budget.take(sum(len(r) for r in rows))
        locate = _cell_locator(sheet.name, rows)
        yield TextPart(ctx.member, text_lines(rows), locate)


def _cell_locator(sheet: str, rows: list[str]):
    def locate(line: int, column: int) -> str | None:
        if not 0 < line <= len(rows):
            return None
        col = rows[line - 1][: column - 1].count("\t")
        return f"{sheet}!{_column_letters(col)}{line}"

    return locate


def msg_parts(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """An Outlook .msg: subject, body and attachments (extracted recursively)."""
    try:
        import extract_msg
    except ImportError:
        yield _missing(ctx, "Outlook messages", "extract-msg")
        return
    try:
        msg = extract_msg.openMsg(stream.read())
    except Exception as exc:  # noqa: BLE001
        yield unscanned(ctx.member, ValueError("corrupt msg") if "extract_msg" in type(exc).__module__ else exc)
        return
    with msg:
        lines = [f"Subject: {msg.subject or ''}", f"From: {msg.sender or ''}", f"To: {msg.to or ''}"]
        lines += (msg.body or "").splitlines()
        ctx.budget.take(sum(len(line) for line in lines))
        for n, att in enumerate(getattr(msg, "attachments", []) or []):
            name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or f"attachment-{n}"
            data = getattr(att, "data", None)
            if not isinstance(data, (bytes, bytearray)):
                continue
            child = ctx.child(name)
            try:
                spooled = spool(io.BytesIO(data), ctx.budget, name)
            except LimitExceeded as exc:
                yield unscanned(child.member, exc)
                continue
            from scanner.extract.dispatch import extract

            with spooled:
                yield from extract(spooled, child)
        yield TextPart(ctx.member, text_lines(lines))


def rtf_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """The text of an RTF document (Japanese via \\uN escapes or the ANSI code page)."""
    try:
        from striprtf.striprtf import rtf_to_text
    except ImportError:
        yield _missing(ctx, "RTF", "striprtf")
        return
    raw = stream.read(RTF_READ_LIMIT + 1)
    if len(raw) > RTF_READ_LIMIT:
        yield Unscanned(ctx.member, "limit:max_file_size", f"RTF over {RTF_READ_LIMIT} bytes")
        return
    try:
        text = rtf_to_text(raw.decode("cp932", errors="replace"), encoding="cp932", errors="replace")
    except Exception as exc:  # noqa: BLE001
        yield unscanned(ctx.member, ValueError("corrupt RTF") if not isinstance(exc, MemoryError) else exc)
        return
    ctx.budget.take(len(text))
    yield TextPart(ctx.member, text_lines(text.splitlines()))


def sevenzip_members(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Every member of a 7z archive; an encrypted archive is ``encrypted``."""
    try:
        import py7zr
    except ImportError:
        yield _missing(ctx, "7z", "py7zr")
        return
    try:
        archive = py7zr.SevenZipFile(stream, mode="r")
        if archive.needs_password():
            archive.close()
            yield Unscanned(ctx.member, "encrypted", "password-protected 7z")
            return
        infos = [i for i in archive.list() if not i.is_directory]
    except Exception as exc:  # noqa: BLE001
        yield unscanned(ctx.member, ValueError("corrupt 7z") if "py7zr" in type(exc).__module__ else exc)
        return
    from scanner.extract.dispatch import extract

    with archive:
        for n, info in enumerate(infos):
            child = ctx.child(info.filename)
            if n >= ctx.limits.max_files:
                yield Unscanned(ctx.member, "limit:max_files", f"more than {ctx.limits.max_files} members")
                return
            size = info.uncompressed or 0
            if size > ctx.limits.max_file_size:
                yield Unscanned(child.member, "limit:max_file_size", f"{size} bytes")
                continue
            if info.compressed and size > info.compressed * ctx.limits.max_ratio and size > 1 << 20:
                yield Unscanned(child.member, "limit:max_ratio", "expands too far")
                continue
            try:
                import py7zr.io

                archive.reset()
                factory = py7zr.io.BytesIOFactory(ctx.limits.max_file_size)
                archive.extract(targets=[info.filename], factory=factory)
                product = factory.products.get(info.filename)
                if product is None:
                    continue
                product.seek(0)
                spooled = spool(product, ctx.budget, info.filename)
            except Exception as exc:  # noqa: BLE001
                yield unscanned(child.member, exc)
                continue
            with spooled:
                yield from extract(spooled, child)
