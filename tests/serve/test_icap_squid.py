"""Posts through a real Squid whose REQMOD goes to the daemon's ICAP service, to a loopback blog
that records what reaches it."""

from __future__ import annotations

import gzip
import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser import headless_chromium
from tests.conftest import TEST_KEY
from tests.serve.proxies import blog_server, squid
from tests.serve.uploads import multipart_upload, roster_xlsx
from tests.sources.brokers.servers import Missing, find, free_port
from tests.test_daemon import Served, wait_for

N = "123456789018"


def _need(exe: str) -> None:
    try:
        find(exe)
    except Missing:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"{exe} not installed (tests/run.sh installs it)")


def _env(root: Path) -> dict:
    """The daemon's environment: the test key, config and data under ``root``."""
    return dict(os.environ, MYNUMBER_DLP_FINGERPRINT_KEY=TEST_KEY, XDG_CONFIG_HOME=str(root / "xdg"),
                XDG_DATA_HOME=str(root / "xdg-data"))


def icap_daemon(root: Path, env: dict, icap_port: int, extra: str = "") -> Served:
    """The daemon with ``[serve.icap]`` on ``icap_port``."""
    config = root / "icap.toml"
    config.write_text(f'[[serve.watch]]\npath = "{root / "watch"}"\n\n[serve.icap]\naddress = "127.0.0.1:{icap_port}"\n'
                      + extra)
    served = Served(root, env, config=config)
    wait_for(lambda: "ICAP service on" in (root / "stderr.log").read_text())
    return served


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    _need("squid")
    root = tmp_path_factory.mktemp("icap")
    env = _env(root)
    icap_port = free_port()
    daemon = icap_daemon(root, env, icap_port)
    try:
        with blog_server() as blog, squid(root / "squid", icap_port) as proxy:
            yield daemon, blog, proxy
    finally:
        daemon.proc.kill()
        daemon.proc.wait()


def _post(proxy: str, url: str, body: bytes, ctype: str, extra: dict | None = None) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy}))
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": ctype, **(extra or {})})
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _reached(blog, marker: bytes) -> bool:
    return any(marker in r.body or marker in r.path.encode() for r in blog.received)


def test_a_post_with_a_number_is_answered_403_and_never_reaches_the_blog(stack):
    daemon, blog, proxy = stack
    status, page = _post(proxy, blog.url + "/post", f"title=日記&body=私の個人番号は{N}です".encode(),
                         "application/x-www-form-urlencoded")
    assert status == 403 and "送信がブロックされました".encode() in page and N.encode() not in page
    assert not _reached(blog, N.encode()) and not _reached(blog, "日記".encode())
    alert = wait_for(lambda: next((a for a in daemon.alerts() if a.get("source") == "icap"), None))
    assert alert["action"] == "blocked" and alert["request"]["client_ip"] == "127.0.0.1"
    assert alert["request"]["incident"].encode() in page and N not in json.dumps(alert)


def test_a_clean_post_reaches_the_blog_byte_for_byte(stack):
    _, blog, proxy = stack
    body = ("今日の議事録：参加者 12 名、次回は 2026-12-10。\r\n電話 03-1234-5678\t\n" * 300).encode()
    status, _ = _post(proxy, blog.url + "/clean", body, "text/plain; charset=utf-8")
    assert status == 200
    got = [r for r in blog.received if r.path == "/clean"]
    assert len(got) == 1 and got[0].body == body


def test_a_multipart_upload_of_an_xlsx_roster_is_blocked(stack):
    _, blog, proxy = stack
    body, ctype = multipart_upload("名簿.xlsx", roster_xlsx("山田 太郎", N))
    status, _ = _post(proxy, blog.url + "/upload", body, ctype)
    assert status == 403 and not [r for r in blog.received if r.path == "/upload"]


def test_a_gzip_json_post_with_a_number_is_blocked(stack):
    _, blog, proxy = stack
    body = gzip.compress(json.dumps({"comment": f"マイナンバー {N}"}, ensure_ascii=False).encode())
    status, _ = _post(proxy, blog.url + "/api/gz", body, "application/json", {"Content-Encoding": "gzip"})
    assert status == 403 and not [r for r in blog.received if r.path == "/api/gz"]


def test_a_post_with_a_number_in_the_query_string_is_blocked(stack):
    _, blog, proxy = stack
    status, _ = _post(proxy, blog.url + f"/search?mynumber={N}", b"q=1", "application/x-www-form-urlencoded")
    assert status == 403 and not _reached(blog, N.encode())


@pytest.mark.parametrize("offset", [4096 - 6, 4096, 8192 + 3])
def test_a_number_split_across_the_preview_and_chunk_boundaries_is_found(stack, offset):
    _, blog, proxy = stack
    label = "個人番号：".encode()
    filler = b"memo line\n" * (offset // 10 + 1)
    head = filler[:offset - 6 - len(label) - 1] + b"\n" + label  # the number's 7th digit at ``offset``
    body = head + N.encode() + b"\n" + b"end of memo\n" * 500
    assert body[offset - 6:offset + 6] == N.encode()
    status, _ = _post(proxy, blog.url + f"/split{offset}", body, "text/plain; charset=utf-8")
    assert status == 403 and not [r for r in blog.received if r.path == f"/split{offset}"]


def test_kill_9_of_the_icap_service_fails_posts_closed_and_a_restart_serves_again(tmp_path):
    """bypass=off: while the service is down Squid answers an error and nothing reaches the blog."""
    _need("squid")
    env = _env(tmp_path)
    icap_port = free_port()
    daemon = icap_daemon(tmp_path, env, icap_port)
    try:
        with blog_server() as blog, squid(tmp_path / "squid", icap_port) as proxy:
            assert _post(proxy, blog.url + "/before", b"hello", "text/plain")[0] == 200
            daemon.proc.kill()
            daemon.proc.wait()
            for i in range(5):
                status, _ = _post(proxy, blog.url + f"/down{i}", f"個人番号 {N}".encode(), "text/plain")
                assert status >= 500
            assert not _reached(blog, N.encode()) and not [r for r in blog.received if r.path.startswith("/down")]
            daemon = icap_daemon(tmp_path, env, icap_port)
            status = wait_for(lambda: _post(proxy, blog.url + "/after", b"hello again", "text/plain")[0] == 200)
            assert status and _post(proxy, blog.url + "/after2", f"個人番号 {N}".encode(), "text/plain")[0] == 403
            assert not _reached(blog, N.encode())
    finally:
        daemon.proc.kill()
        daemon.proc.wait()


def test_headless_chromium_submitting_a_blog_form_is_blocked_and_shows_the_block_page(stack, tmp_path):
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    daemon, blog, proxy = stack
    browser = headless_chromium(tmp_path, proxy)
    try:
        browser.set_page_load_timeout(60)
        browser.get(blog.url + "/new-post")  # the form comes through the proxy (a clean GET)
        assert any(r.path == "/new-post" for r in blog.received)
        browser.find_element(By.NAME, "body").send_keys(f"今日の日記。私のマイナンバーは {N} です。")
        browser.find_element(By.ID, "send").click()
        # the old page goes while the answer loads: reading it then is an error, read again
        WebDriverWait(browser, 60, ignored_exceptions=(WebDriverException,)).until(
            lambda b: "送信がブロックされました" in b.find_element(By.TAG_NAME, "body").text)
        browser.save_screenshot(str(tmp_path / "block-page.png"))
        shown, source = browser.find_element(By.TAG_NAME, "body").text, browser.page_source
    finally:
        browser.quit()
    assert "Request blocked" in shown and N not in source
    assert not [r for r in blog.received if r.method == "POST" and r.path == "/post" and N.encode() in r.body]
    alert = wait_for(lambda: next((a for a in daemon.alerts() if a.get("request", {}).get("path") == "/post"
                                   and a["request"]["incident"] in shown), None))
    assert alert["action"] == "blocked"
    assert (tmp_path / "block-page.png").stat().st_size > 0
