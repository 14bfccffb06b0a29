"""Alerts a person can act on: the host, the file's owner, size and modification time, and a
one-line message in the current language — with no number in it, even one in the file's name."""

from __future__ import annotations

import getpass
import json
import os
import socket

from scanner.actions.alerting import file_alert, message_alert
from scanner.detect.finding import Confidence
from scanner.i18n import set_language
from scanner.report.alerts import alert_line
from scanner.report.records import FindingRecord, NotScannedRecord

N = "123456789018"


def _finding(path: str) -> FindingRecord:
    return FindingRecord(path, None, 1, 1, "jp-my-number", Confidence.HIGH, 0.9, "********9018", "f" * 64, ())


def test_a_file_alert_names_host_owner_size_mtime_and_says_what_was_done(tmp_path):
    path = tmp_path / f"控え_{N}.txt"
    path.write_text(f"個人番号 {N}\n", encoding="utf-8")
    doc = json.loads(alert_line(file_alert("share", str(path), [_finding(str(path))], []).done("quarantined", "q1")))
    assert doc["host"] == socket.gethostname()
    assert doc["file"]["owner"] == getpass.getuser() and doc["file"]["size"] == os.path.getsize(path)
    assert doc["file"]["modified"][:4].isdigit()
    assert doc["message"].startswith("1 possible My Number (confidence high) in ")
    assert doc["message"].endswith(": moved to quarantine.") and N not in doc["message"] and "********9018" in doc["message"]


def test_the_message_is_japanese_when_the_language_is(tmp_path):
    set_language("ja")
    try:
        doc = json.loads(alert_line(message_alert("orders", "17-0", {}, [_finding("orders:17-0")], [], "diverted")))
    finally:
        set_language("en")
    assert doc["message"] == "orders のメッセージ 17-0でマイナンバーと思われる番号 1 件 (最高確度 高)を検出: 隔離先へ回しました。"


def test_a_file_gone_before_its_alert_still_alerts_without_facts(tmp_path):
    gone = str(tmp_path / "gone.zip")
    doc = json.loads(alert_line(file_alert("share", gone, [], [NotScannedRecord(gone, None, "encrypted", "zip")])))
    assert "file" not in doc and doc["message"] == f"1 part that could not be read in {gone} on share: could not be read whole."
