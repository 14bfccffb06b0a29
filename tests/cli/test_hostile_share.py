"""A share full of hostile and broken files: each gets the right record, in bounded
time, and the good file beside them is reported exactly as when scanned alone."""

from __future__ import annotations

import io
import json
import os
import subprocess
import time
import zipfile

from tests.conftest import CLI

N = "123456789018"


def _records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_hostile_files_get_records_and_the_good_file_is_unchanged(tmp_path, cli_env):
    share = tmp_path / "share"
    share.mkdir()
    (share / "good.txt").write_text(f"個人番号：{N}\n", encoding="utf-8")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.bin", b"\0" * (128 * 1024 * 1024))
    (share / "bomb.zip").write_bytes(bomb.getvalue())
    deep, name = f"個人番号 {N}\n".encode(), "leaf.txt"
    for depth in range(40):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(name, deep)
        deep, name = buf.getvalue(), f"l{depth}.zip"
    (share / "deep.zip").write_bytes(deep)
    (share / "random.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(8192))
    (share / "cut.docx").write_bytes(b"PK\x03\x04" + os.urandom(2000))

    alone = _records(subprocess.run(CLI + ["scan", str(share / "good.txt"), "-f", "jsonl"], env=cli_env,
                                    capture_output=True, text=True, timeout=120).stdout)
    started = time.monotonic()
    p = subprocess.run(CLI + ["scan", str(share), "-f", "jsonl", "-j", "2"], env=cli_env, capture_output=True,
                       text=True, timeout=300)
    assert time.monotonic() - started < 120
    recs = _records(p.stdout)
    reasons = {os.path.basename(r["path"]): r["reason"] for r in recs if r["type"] == "not_scanned"}
    assert reasons == {"bomb.zip": "limit:max_ratio", "deep.zip": "limit:max_recursion", "random.pdf": "corrupt",
                       "cut.docx": "corrupt"}
    good = [r for r in recs if r["type"] == "finding"]
    assert [(r["line"], r["column"], r["fingerprint"], r["confidence"]) for r in good] == [
        (r["line"], r["column"], r["fingerprint"], r["confidence"]) for r in alone if r["type"] == "finding"]
    assert p.returncode == 1 and "Traceback" not in p.stderr
