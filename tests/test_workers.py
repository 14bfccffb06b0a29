"""A hostile or broken file costs itself: hangs, crashes and memory blow-ups in a
parser become not_scanned records, within bounded time, and the rest of the scan
is unchanged."""

from __future__ import annotations

import os
import time

import pytest

from scanner.audit import AuditOptions, run_audit
from scanner.detect.segments import Segment
from scanner.extract import dispatch
from scanner.extract.filetype import Kind
from scanner.extract.limits import Limits
from scanner.extract.parts import TextPart
from scanner.report.records import record_dict
from scanner.sources.walk import WalkOptions

N = "123456789018"


def _files(tmp_path):
    (tmp_path / "a.txt").write_text(f"個人番号：{N}\n", encoding="utf-8")
    (tmp_path / "b.rtf").write_bytes(b"{\\rtf1 hostile}")
    (tmp_path / "c.txt").write_text(f"マイナンバー {N}\n", encoding="utf-8")
    return tmp_path


def _run(engine, root, jobs=1, **limits):
    out = []
    summary = run_audit(engine, [str(root)], AuditOptions(jobs=jobs, walk=WalkOptions(), limits=Limits(**limits)),
                        lambda r: out.append(record_dict(r)))
    return out, summary


def _address_space() -> int:
    """This process's virtual size: a forked worker starts with all of it (after the broker
    tests, librdkafka and client threads make pytest's far larger than the CLI's)."""
    with open("/proc/self/status", encoding="ascii") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmSize:"))
    return kb * 1024


def _hostile(monkeypatch, behaviour):
    def extractor(stream, ctx):
        yield TextPart(ctx.member, [Segment(f"個人番号：{N}\n", None)])  # found before the trouble
        behaviour()
        yield TextPart(ctx.member, [])

    monkeypatch.setitem(dispatch.EXTRACTORS, Kind.RTF, extractor)


def _by_file(records):
    return {(os.path.basename(r["path"]), r["type"], r.get("reason")) for r in records}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hanging_parser_is_stopped_at_the_time_limit_and_the_rest_is_scanned(engine, tmp_path, monkeypatch, jobs):
    _hostile(monkeypatch, lambda: time.sleep(3600))
    started = time.monotonic()
    records, summary = _run(engine, _files(tmp_path), jobs=jobs, max_scan_time=1.0)
    assert time.monotonic() - started < 30
    assert _by_file(records) == {
        ("a.txt", "finding", None),
        ("b.rtf", "finding", None),  # what was found before the hang is kept
        ("b.rtf", "not_scanned", "limit:max_scan_time"),
        ("c.txt", "finding", None),
    }
    assert [os.path.basename(r["path"]) for r in records] == ["a.txt", "b.rtf", "b.rtf", "c.txt"]
    assert summary.files_scanned == 2


def test_a_crashing_parser_is_reported_as_an_error(engine, tmp_path, monkeypatch):
    _hostile(monkeypatch, lambda: os.abort())
    records, _ = _run(engine, _files(tmp_path))
    crashed = [r for r in records if r["type"] == "not_scanned"]
    assert [(os.path.basename(r["path"]), r["reason"]) for r in crashed] == [("b.rtf", "error")]
    assert "signal 6" in crashed[0]["detail"]
    assert {os.path.basename(r["path"]) for r in records if r["type"] == "finding"} >= {"a.txt", "c.txt"}


def test_a_memory_blow_up_hits_the_memory_limit(engine, tmp_path, monkeypatch):
    def blow_up():
        hog = []
        while True:
            hog.append(bytearray(64 * 1024 * 1024))

    _hostile(monkeypatch, blow_up)
    started = time.monotonic()
    records, _ = _run(engine, _files(tmp_path), max_memory=_address_space() + 768 * 1024 * 1024)
    assert time.monotonic() - started < 60
    failed = [(os.path.basename(r["path"]), r["reason"]) for r in records if r["type"] == "not_scanned"]
    assert failed == [("b.rtf", "limit:max_memory")]
    assert {os.path.basename(r["path"]) for r in records if r["type"] == "finding"} == {"a.txt", "b.rtf", "c.txt"}


def test_workers_die_with_a_killed_parent(tmp_path, cli_env):
    """kill -9 of a scan leaves no scanning process behind."""
    import signal
    import subprocess

    from tests.conftest import CLI

    big = tmp_path / "big"
    big.mkdir()
    for i in range(8):
        (big / f"f{i}.txt").write_text("議事録 12345678901234 本日\n" * 1_000_000, encoding="utf-8")
    proc = subprocess.Popen(CLI + ["scan", str(big), "-j", "2", "--no-progress"], env=cli_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 20
    while len(children) < 2 and time.monotonic() < deadline and proc.poll() is None:
        children = [int(p) for p in open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()]
        time.sleep(0.05)
    assert len(children) == 2 and proc.poll() is None, "the scan should be running its two workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{c}") and "Z" not in open(f"/proc/{c}/stat").read().split()[2] for c in children):
        time.sleep(0.1)
    alive = [c for c in children if os.path.exists(f"/proc/{c}") and open(f"/proc/{c}/stat").read().split()[2] != "Z"]
    assert alive == []
