"""A share as an insider or a careless admin leaves it: one of every hostile item, shared by
the CLI and daemon hostile-share tests. Numbers are synthetic, with computed check digits."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

N = "123456789018"
CP932_NAME = "個人番号一覧.txt".encode("cp932")
NO_DAC = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
"""Run as root without the capability to read what permissions forbid (so chmod 000 bites)."""


def unprivileged(cmd: list[str]) -> list[str]:
    """``cmd`` as a process for which a chmod-000 file is unreadable."""
    return NO_DAC + cmd if os.geteuid() == 0 else cmd


def encrypted_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("給与.csv", f"個人番号,{N}\n")
    data = bytearray(buf.getvalue())
    data[data.find(b"PK\x03\x04") + 6] |= 0x1  # the "encrypted" flag, local and central header
    data[data.find(b"PK\x01\x02") + 8] |= 0x1
    return bytes(data)


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.bin", b"\0" * (64 * 1024 * 1024))
    return buf.getvalue()


def build(root: Path, loop: bool = True) -> dict[str, str]:
    """Fill ``root``; returns the expected outcome per (shown) base name:
    ``finding`` or a not_scanned reason."""
    root.mkdir(parents=True, exist_ok=True)
    broot = os.fsencode(root)
    with open(os.path.join(broot, CP932_NAME), "wb") as f:
        f.write(f"個人番号：{N}\n".encode("cp932"))
    (root / "new\nline.txt").write_text(f"マイナンバー：{N}\n", encoding="utf-8")
    os.mkfifo(root / "pipe")
    secret = root / "secret.txt"
    secret.write_text(f"個人番号：{N}\n", encoding="utf-8")
    secret.chmod(0)
    (root / "enc.zip").write_bytes(encrypted_zip())
    (root / "broken.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    (root / "bomb.zip").write_bytes(zip_bomb())
    expected = {
        "\\x8c\\xc2\\x90l\\x94\\xd4\\x8d\\x86\\x88\\xea\\x97\\x97.txt": "finding",
        "new\\x0aline.txt": "finding",
        "pipe": "unsupported",
        "secret.txt": "unreadable",
        "enc.zip": "encrypted",
        "broken.xlsx": "corrupt",
        "bomb.zip": "limit:max_ratio",
    }
    if loop:
        (root / "sub").mkdir()
        os.symlink("..", root / "sub" / "up")
        expected["up"] = "unsupported"
    return expected
