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


def _fd_open(pid_root: int, path: str) -> bool:
    """True when ``path`` is open in the process ``pid_root`` or one of its children (the workers)."""
    pids = [pid_root]
    try:
        pids += [int(p) for p in open(f"/proc/{pid_root}/task/{pid_root}/children").read().split()]
    except OSError:
        return False
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == path:
                    return True
        except OSError:
            continue
    return False


def test_hostile_share_every_item_gets_its_record_and_every_line_parses(tmp_path, cli_env):
    from tests.hostile_tree import N as NUM
    from tests.hostile_tree import build, unprivileged

    share = tmp_path / "share"
    expected = build(share)
    slow = share / "0slow.csv"  # digit-dense: the scan is still on it when we strike
    slow.write_text("氏名,個人番号\n" + "".join(f"社員{i},{NUM}\n" for i in range(150_000)), encoding="utf-8")
    doomed = share / "zz-deleted.txt"
    doomed.write_text(f"個人番号：{NUM}\n", encoding="utf-8")
    p = subprocess.Popen(unprivileged(CLI + ["scan", str(share), "-f", "jsonl", "-j", "1", "--follow-symlinks"]),
                         env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not _fd_open(p.pid, str(slow)) and time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.01)
    os.truncate(slow, 100)  # changed while being read
    doomed.unlink()  # deleted after the walk, before it is opened
    out, err = p.communicate(timeout=300)
    text = out.decode("utf-8")  # strict
    recs = [json.loads(line) for line in text.splitlines()]
    got: dict[str, set[str]] = {}
    for r in recs:
        if r["type"] in ("finding", "not_scanned"):
            got.setdefault(r["path"].rsplit("/", 1)[-1], set()).add("finding" if r["type"] == "finding" else r["reason"])
    for name, outcome in expected.items():
        assert outcome in got.get(name, set()), (name, got.get(name))
    assert "unreadable" in got["0slow.csv"] and "unreadable" in got["zz-deleted.txt"]
    detail = next(r["detail"] for r in recs if r["path"].endswith("0slow.csv") and r["type"] == "not_scanned")
    assert "changed while being read" in detail
    assert NUM not in text and NUM not in err.decode("utf-8", "replace") and b"Traceback" not in err
    assert p.returncode == 1
