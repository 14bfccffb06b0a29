"""Hand-damaged zips for the hostile-input tests: real zips written by zipfile, then one
header field patched, as a broken or hostile tool would leave them."""

from __future__ import annotations

import io
import struct
import zipfile

CENTRAL = b"PK\x01\x02"
LOCAL = b"PK\x03\x04"
END = b"PK\x05\x06"
# offsets of fields in a central directory header
C_VERSION_NEEDED, C_FLAGS, C_METHOD, C_CRC, C_NAME_LEN, C_LOCAL_OFFSET, C_NAME = 6, 8, 10, 16, 28, 42, 46
# ... and in a local file header
L_FLAGS, L_NAME_LEN, L_NAME = 6, 26, 30
E_CD_OFFSET = 16


def make_zip(members: list[tuple[str, bytes | str]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``members`` (name, data) written by zipfile."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def central_headers(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, name) of each central directory header."""
    out, i = [], data.find(CENTRAL)
    while i >= 0:
        n = struct.unpack_from("<H", data, i + C_NAME_LEN)[0]
        out.append((i, data[i + C_NAME : i + C_NAME + n]))
        i = data.find(CENTRAL, i + C_NAME + n)
    return out


def local_header(data: bytes, name: bytes) -> int:
    """Offset of the local header of member ``name``."""
    for offset, n in central_headers(data):
        if n == name:
            return struct.unpack_from("<I", data, offset + C_LOCAL_OFFSET)[0]
    raise KeyError(name)


def patch_central(data: bytes, name: bytes, field: int, fmt: str, value: int) -> bytes:
    """``data`` with one field of ``name``'s central header set to ``value``."""
    out = bytearray(data)
    for offset, n in central_headers(data):
        if n == name:
            struct.pack_into(fmt, out, offset + field, value)
            return bytes(out)
    raise KeyError(name)


def set_flags(data: bytes, name: bytes, flags: int) -> bytes:
    """``data`` with general-purpose ``flags`` or-ed into both headers of member ``name``."""
    local = local_header(data, name)
    out = bytearray(data)
    struct.pack_into("<H", out, local + L_FLAGS, struct.unpack_from("<H", out, local + L_FLAGS)[0] | flags)
    old = struct.unpack_from("<H", data, _central(data, name) + C_FLAGS)[0]
    return patch_central(bytes(out), name, C_FLAGS, "<H", old | flags)


def _central(data: bytes, name: bytes) -> int:
    return next(offset for offset, n in central_headers(data) if n == name)


def negative_offset(data: bytes, name: bytes, shift: int = 100) -> bytes:
    """``data`` whose member ``name`` has a local header offset before the start of the file.

    zipfile adds the gap between where the central directory is said to be and
    where it is to every offset: shifting the directory's declared place (and every
    other member's offset with it) leaves only ``name`` pointing before byte 0.
    """
    out = bytearray(data)
    for offset, n in central_headers(data):
        if n != name:
            old = struct.unpack_from("<I", out, offset + C_LOCAL_OFFSET)[0]
            struct.pack_into("<I", out, offset + C_LOCAL_OFFSET, old + shift)
    end = data.rfind(END)
    old = struct.unpack_from("<I", out, end + E_CD_OFFSET)[0]
    struct.pack_into("<I", out, end + E_CD_OFFSET, old + shift)
    return bytes(out)


def rename_raw(data: bytes, placeholder: str, raw: bytes) -> bytes:
    """``data`` with member ``placeholder`` renamed to the bytes ``raw`` (same length, no UTF-8 flag)."""
    old = placeholder.encode("ascii")
    assert len(old) == len(raw)
    return data.replace(old, raw)
