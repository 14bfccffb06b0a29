"""The slow lane: images and PDFs are read by their own workers, so text files do not wait for OCR."""

from __future__ import annotations

import threading
import time

from scanner.serve.slow_lane import SLOW_LANE_BYTES, SlowLane, takes_slow_lane
from tests.imaging import need_ocr, page, to_bytes
from tests.test_daemon import N, Served, wait_for


def test_images_pdfs_and_large_files_take_the_slow_lane_and_text_does_not(tmp_path):
    files = {
        "scan.pdf": b"%PDF-1.7\n%...", "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        "shot.png": b"\x89PNG\r\n\x1a\n",
        "notes.txt": "個人番号の取扱いについて\n".encode(), "roster.csv": b"name,id\n", "BM.txt": b"BMW and BMX\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    slow = {name for name in files if takes_slow_lane(str(tmp_path / name), len(files[name]))}
    assert slow == {"scan.pdf", "photo.jpg", "shot.png"}
    assert takes_slow_lane(str(tmp_path / "notes.txt"), SLOW_LANE_BYTES)  # any file that large
    assert not takes_slow_lane(str(tmp_path / "gone.pdf"), 10)  # unreadable here: its worker says why


def test_the_slow_lane_keeps_each_path_once_oldest_first_and_a_take_waits_for_a_put():
    lane = SlowLane()
    lane.put("/a", "w")
    lane.put("/b", "w")
    lane.put("/a", "w")
    assert len(lane) == 2 and lane.take(5, 0) == [("/a", "w"), ("/b", "w")]
    assert lane.take(5, 0.01) == []
    threading.Timer(0.1, lambda: lane.put("/c", "w")).start()
    started = time.monotonic()
    assert lane.take(5, 10) == [("/c", "w")] and time.monotonic() - started < 5


def test_a_text_file_is_alerted_while_a_scanned_pdf_is_still_being_read(tmp_path, cli_env):
    need_ocr()
    lines = [f"第{i}条　従業員は会社の定める規則に従い業務を行うものとする。" for i in range(12)]
    pages = [page(lines, dpi=150) for _ in range(6)]
    pages[-1] = page([*lines[:-1], f"個人番号　{N[:4]} {N[4:8]} {N[8:]}"], dpi=150)
    scan = tmp_path / "scan.pdf"
    pages[0].save(scan, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    s = Served(tmp_path, cli_env)
    try:
        (s.watch / "scan.pdf").write_bytes(scan.read_bytes())
        wait_for(lambda: s.metric("mynumber_dlp_last_event_timestamp_seconds") > 0)  # the PDF is being read
        (s.watch / "roster.txt").write_text(f"マイナンバー {N}\n", encoding="utf-8")
        wait_for(lambda: len(s.alerts()) == 2, timeout=120)
        assert [a["path"].rsplit("/", 1)[1] for a in s.alerts()] == ["roster.txt", "scan.pdf"]
        assert s.alerts()[1]["details"][0]["masked"] == "********9018"
        assert s.metric("mynumber_dlp_slow_lane_depth") == 0
    finally:
        s.stop()


def test_an_image_among_text_files_is_alerted_like_them(tmp_path, cli_env):
    need_ocr()
    s = Served(tmp_path, cli_env)
    try:
        for i in range(5):
            (s.watch / f"memo{i}.txt").write_text(f"議事録 {i}\n", encoding="utf-8")
        (s.watch / "card.png").write_bytes(to_bytes(page([f"個人番号　{N}"], dpi=300, width_in=4), "PNG"))
        alert = wait_for(lambda: next(iter(s.alerts()), None), timeout=60)
        assert alert["path"].endswith("card.png") and alert["action"] == "quarantined"
        wait_for(lambda: s.metric("mynumber_dlp_items_scanned_total", source="watch0", outcome="clean") == 5)
    finally:
        s.stop()
