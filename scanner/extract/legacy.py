"""Older and less common formats over their well-kept readers: legacy Excel (.xls,
xlrd), Outlook messages (.msg, extract-msg), RTF (striprtf) and 7z (py7zr).
Each is an optional dependency (the ``formats`` extra); without it the file is
reported ``unsupported``, never clean."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from scanner.extract.cells import cell_line
from scanner.extract.errors import Encrypted, charge, from_parser, unscanned
from scanner.extract.ooxml import _column_letters, numeric_text
from scanner.extract.parts import Context, Item, TextPart, Unscanned, join_member, text_lines
from scanner.extract.spool import spool

OLE_WORKBOOK_STREAMS = ("Workbook", "Book")
MSG_HEADERS = (("Subject", "subject"), ("From", "sender"), ("To", "to"))
"""(label, extract-msg attribute) of the .msg headers scanned."""
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
        yield unscanned(ctx.member, from_parser(exc))
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
        book = xlrd.open_workbook(
            file_contents=stream.read(), on_demand=True, ragged_rows=True, logfile=_Discard(), verbosity=0
        )
        sheets = [book.sheet_by_index(i) for i in range(book.nsheets)]
    except Exception as exc:  # noqa: BLE001
        encrypted = isinstance(exc, xlrd.XLRDError) and "encrypt" in str(exc).lower()
        yield unscanned(ctx.member, Encrypted("password-protected workbook") if encrypted else from_parser(exc))
        return
    for sheet in sheets:
        try:
            rows = _xls_rows(sheet, xlrd.XL_CELL_NUMBER)
        except Exception as exc:  # noqa: BLE001 - one broken sheet costs itself
            yield unscanned(join_member(ctx.member, str(sheet.name)), from_parser(exc))
            continue
        part = TextPart(ctx.member, text_lines(rows), _cell_locator(sheet.name, rows), titles=(sheet.name,))
        yield charge(part, ctx.budget, sum(len(r) for r in rows))


class _Discard:
    """xlrd's log file: its warnings go to stdout by default (where the JSONL records are) and quote cells."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def _xls_rows(sheet, number_type: int) -> list[str]:
    """A legacy sheet's rows, tab-separated; rows are as long as their cells (``ragged_rows``)."""
    rows = []
    for r in range(sheet.nrows):
        cells = []
        for cell in sheet.row(r):
            value = cell.value
            if cell.ctype == number_type:
                value = numeric_text(repr(value))
            cells.append(cell_line(str(value)))
        while cells and not cells[-1]:
            cells.pop()
        rows.append("\t".join(cells))
    return rows


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
        yield unscanned(ctx.member, from_parser(exc))
        return
    with msg:
        lines: list[str] = []
        try:
            lines += [f"{label}: {getattr(msg, attr, None) or ''}" for label, attr in MSG_HEADERS]
            lines += (getattr(msg, "body", None) or "").splitlines()
            attachments = list(getattr(msg, "attachments", []) or [])
        except Exception as exc:  # noqa: BLE001 - the text read so far is still scanned
            yield unscanned(ctx.member, from_parser(exc))
            attachments = []
        yield charge(TextPart(ctx.member, text_lines(lines)), ctx.budget, sum(len(line) for line in lines))
        for n, att in enumerate(attachments):
            yield from _msg_attachment(att, n, ctx)


def _msg_attachment(att, n: int, ctx: Context) -> Iterator[Item]:
    """One attachment of a .msg, extracted one level deeper; a broken one costs itself."""
    from scanner.extract.dispatch import extract

    child = ctx.child(f"attachment-{n}")
    try:
        name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or f"attachment-{n}"
        child = ctx.child(str(name))
        data = getattr(att, "data", None)
        if not isinstance(data, (bytes, bytearray)):
            yield Unscanned(child.member, "unsupported", "attachment of an unsupported kind")
            return
        spooled = spool(io.BytesIO(data), ctx.budget)
    except Exception as exc:  # noqa: BLE001
        yield unscanned(child.member, from_parser(exc))
        return
    with spooled:
        yield from extract(spooled, child)


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
        yield unscanned(ctx.member, from_parser(exc))
        return
    yield charge(TextPart(ctx.member, text_lines(text.splitlines())), ctx.budget, len(text))


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
        yield unscanned(ctx.member, from_parser(exc))
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
                    yield Unscanned(child.member, "corrupt", "member not found in the archive")
                    continue
                cut = product.size() >= ctx.limits.max_file_size  # py7zr stops writing at the limit, silently
                product.seek(0)
                spooled = spool(product, ctx.budget)
            except Exception as exc:  # noqa: BLE001
                yield unscanned(child.member, from_parser(exc))
                continue
            with spooled:
                yield from extract(spooled, child)
            if cut:
                yield Unscanned(child.member, "limit:max_file_size", f"more than {ctx.limits.max_file_size} bytes")
