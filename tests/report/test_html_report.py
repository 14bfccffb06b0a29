"""The HTML audit report as a manager opens it: rendered by a real headless Chromium in both
languages (screenshots under the test's tmp dir), its totals the JSON summary's, no number in it,
nothing it would load from a network."""

from __future__ import annotations

import json
import random
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.browser import headless_chromium
from tests.conftest import CLI, make_number

RNG = random.Random(77)
NUMBERS = [make_number(RNG) for _ in range(6)]


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    """A small share (three directories, a roster, a memo, a file name with a number, an encrypted
    zip and a broken one), its JSON summary and its report in both languages."""
    root = tmp_path_factory.mktemp("audit")
    share = root / "share"
    for d in ("人事/2026", "総務", "営業"):
        (share / d).mkdir(parents=True)
    (share / "人事" / "2026" / "名簿.csv").write_text(
        "氏名,個人番号\n" + "".join(f"社員{i},{n}\n" for i, n in enumerate(NUMBERS[:4])), encoding="utf-8")
    (share / "総務" / f"控え_{NUMBERS[4]}.txt").write_text(f"マイナンバー：{NUMBERS[5]}\n", encoding="utf-8")
    (share / "営業" / "議事録.txt").write_text("次回は 12 月 10 日。電話 03-1234-5678\n", encoding="utf-8")
    (share / "営業" / "壊れた.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with zipfile.ZipFile(share / "総務" / "暗号.zip", "w") as z:
        z.writestr("a.txt", "x")
    raw = bytearray((share / "総務" / "暗号.zip").read_bytes())
    raw[6] |= 1  # the encrypted flag of the local header
    raw[raw.rfind(b"PK\x01\x02") + 8] |= 1  # and of the central directory entry
    (share / "総務" / "暗号.zip").write_bytes(bytes(raw))
    env = dict(__import__("os").environ, MYNUMBER_DLP_FINGERPRINT_KEY="report-key", XDG_CONFIG_HOME=str(root / "x"))
    summary = json.loads(run(["scan", str(share), "-f", "json"], env).stdout)["summary"]
    reports = {}
    for lang in ("ja", "en"):
        out = root / f"report-{lang}.html"
        result = run(["scan", str(share), "-f", "html", "-o", str(out), "--lang", lang], env)
        assert result.returncode == 1, result.stderr
        reports[lang] = out
    return summary, reports


def test_the_report_holds_no_number_no_script_and_nothing_from_a_network(audit):
    _, reports = audit
    for path in reports.values():
        html = path.read_text(encoding="utf-8")
        assert not [n for n in NUMBERS if n in html]
        assert "<script" not in html.lower() and "http://" not in html and "https://" not in html
        assert "default-src 'none'" in html


@pytest.mark.parametrize("lang, title", [("ja", "マイナンバー監査レポート"), ("en", "My Number audit report")])
def test_chromium_renders_the_report_with_the_json_summarys_totals(audit, tmp_path, lang, title):
    from selenium.webdriver.common.by import By

    summary, reports = audit
    browser = headless_chromium(tmp_path)
    try:
        browser.get(reports[lang].as_uri())
        shown = {i: browser.find_element(By.ID, i).text for i in (
            "total-files", "total-findings", "total-not-scanned", "findings-high", "findings-medium", "findings-low")}
        reasons = {e.get_attribute("data-reason"): int(e.text)
                   for e in browser.find_elements(By.CSS_SELECTOR, "#by-reason td[data-reason]")}
        directories = browser.find_elements(By.CSS_SELECTOR, "#directories tr")
        heading = browser.find_element(By.TAG_NAME, "h1").text
        browser.save_screenshot(str(tmp_path / f"report-{lang}.png"))
    finally:
        browser.quit()
    assert heading == title
    assert {k: int(v) for k, v in shown.items()} == {
        "total-files": summary["files_scanned"], "total-findings": summary["findings"],
        "total-not-scanned": summary["not_scanned"], **{f"findings-{c}": summary["findings_by_confidence"][c]
                                                        for c in ("high", "medium", "low")}}
    assert reasons == summary["not_scanned_by_reason"] and len(directories) == 1 + 3
    assert (tmp_path / f"report-{lang}.png").stat().st_size > 10_000
