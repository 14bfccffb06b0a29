"""The HTTP scan API of a running daemon (``[serve.api]``): verdicts and records over real HTTP,
the bearer token, limits, TLS, metrics, and its OpenAPI document under schemathesis."""

from __future__ import annotations

import gzip
import json
import socket
import ssl
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.serve.test_icap_squid import _env
from tests.serve.uploads import multipart_upload, roster_xlsx
from tests.sources.brokers.servers import free_port
from tests.test_daemon import CLI, Served, wait_for

N = "123456789018"
TOKEN = "s3cret-token-for-tests"


def api_daemon(root: Path, env: dict, port: int, extra: str = "") -> Served:
    """The daemon with ``[serve.api]`` on ``port``, its token from the environment."""
    config = root / "api.toml"
    config.write_text(f'[[serve.watch]]\npath = "{root / "watch"}"\n\n[serve.api]\naddress = "127.0.0.1:{port}"\n'
                      'token = "${MYNUMBER_DLP_API_TOKEN}"\n' + extra)
    served = Served(root, env, config=config)
    wait_for(lambda: "scan API on" in (root / "stderr.log").read_text())
    return served


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    root = tmp_path_factory.mktemp("api")
    env = dict(_env(root), MYNUMBER_DLP_API_TOKEN=TOKEN)
    port = free_port()
    daemon = api_daemon(root, env, port, 'max_body = "1MiB"\n')
    try:
        yield daemon, f"http://127.0.0.1:{port}"
    finally:
        daemon.proc.kill()
        daemon.proc.wait()


def _call(url: str, body: bytes, ctype: str = "text/plain; charset=utf-8", token: str | None = TOKEN,
          query: dict | None = None, headers: dict | None = None, context: ssl.SSLContext | None = None,
          ) -> tuple[int, dict]:
    target = url + "/v1/scan" + ("?" + urllib.parse.urlencode(query) if query else "")
    auth = {"Authorization": f"Bearer {token}"} if token is not None else {}
    req = urllib.request.Request(target, data=body, method="POST",
                                 headers={"Content-Type": ctype, **auth, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30, context=context) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {"_headers": dict(exc.headers), **json.loads(exc.read() or b"{}")}


def test_a_body_with_a_number_is_answered_block_with_the_masked_finding_and_never_the_number(api):
    _, url = api
    status, answer = _call(url, f"お問い合わせ：私の個人番号は{N}です".encode())
    assert status == 200 and answer["verdict"] == "block" and answer["not_scanned"] == []
    [finding] = answer["findings"]
    assert finding["type"] == "finding" and finding["masked"] == "********9018" and finding["path"] == "body"
    assert len(finding["fingerprint"]) == 64 and N not in json.dumps(answer)


def test_a_clean_body_is_answered_allow_with_no_records(api):
    _, url = api
    status, answer = _call(url, "会議は 2026-12-10、参加 12 名。電話 03-1234-5678".encode())
    assert (status, answer) == (200, {"verdict": "allow", "findings": [], "not_scanned": []})


def test_a_raw_xlsx_named_by_filename_is_read_as_a_file_and_its_masked_name_is_the_path(api):
    _, url = api
    status, answer = _call(url, roster_xlsx("山田 太郎", N), "application/octet-stream",
                           query={"filename": f"名簿_{N}.xlsx"})
    assert status == 200 and answer["verdict"] == "block"
    assert {f["path"] for f in answer["findings"]} == {"名簿_********9018.xlsx"}
    assert all(f["member"] for f in answer["findings"])  # the sheet and cell


def test_a_multipart_upload_is_read_file_by_file(api):
    _, url = api
    body, ctype = multipart_upload("名簿.xlsx", roster_xlsx("佐藤 花子", N))
    status, answer = _call(url, body, ctype)
    assert status == 200 and answer["verdict"] == "block"
    assert answer["findings"][0]["member"].startswith("upload:名簿.xlsx")


def test_a_gzip_json_body_is_decoded_by_its_content_encoding(api):
    _, url = api
    body = gzip.compress(json.dumps({"my_number": N}).encode())
    status, answer = _call(url, body, "application/json", headers={"Content-Encoding": "gzip"})
    assert status == 200 and answer["verdict"] == "block" and len(answer["findings"]) == 1


def test_the_content_type_parameter_overrides_the_header(api):
    _, url = api
    status, answer = _call(url, f"title=x&body=個人番号 {N}".encode(), "application/octet-stream",
                           query={"content_type": "application/x-www-form-urlencoded"})
    assert status == 200 and [f["member"] for f in answer["findings"]] == ["form:body"]


def test_a_body_over_max_body_is_blocked_as_not_scanned(api):
    _, url = api
    status, answer = _call(url, b"a" * (1024 * 1024 + 10))
    assert status == 200 and answer["verdict"] == "block" and answer["findings"] == []
    assert [r["reason"] for r in answer["not_scanned"]] == ["limit:max_body"]


def test_a_corrupt_gzip_body_is_blocked_as_not_scanned_not_allowed(api):
    _, url = api
    status, answer = _call(url, b"\x1f\x8bnot gzip at all", "text/plain", headers={"Content-Encoding": "gzip"})
    assert status == 200 and answer["verdict"] == "block"
    assert [r["reason"] for r in answer["not_scanned"]] == ["corrupt"]


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_a_call_without_the_right_bearer_token_is_refused_401(api, token):
    _, url = api
    status, answer = _call(url, f"個人番号 {N}".encode(), token=token)
    assert status == 401 and "error" in answer and answer["_headers"]["WWW-Authenticate"].startswith("Bearer")


def test_the_verdicts_are_counted_by_service_and_verdict(api):
    daemon, url = api
    before = daemon.metric("mynumber_dlp_web_requests_total", service="api", verdict="block")
    _call(url, f"個人番号 {N}".encode())
    assert daemon.metric("mynumber_dlp_web_requests_total", service="api", verdict="block") == before + 1
    assert daemon.metric("mynumber_dlp_web_added_latency_seconds_count", service="api") >= 1


def test_the_openapi_document_names_the_scan_operation_and_its_bearer_auth(api):
    _, url = api
    with urllib.request.urlopen(url + "/v1/openapi.json", timeout=10) as r:
        doc = json.loads(r.read())
    assert doc["openapi"].startswith("3.") and doc["paths"]["/v1/scan"]["post"]["security"] == [{"bearer": []}]


def test_schemathesis_finds_no_server_error_nor_a_response_off_the_document(api, tmp_path):
    """Generated bodies, parameters and headers (NUL bytes too), every answer held to the document.
    All checks but ``negative_data_rejection``: a scanner judges any bytes (a corrupt upload is a
    ``block`` verdict with a not_scanned record, not a 400 a caller might pass)."""
    daemon, url = api
    run = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", url + "/v1/openapi.json", "--header",
         f"Authorization: Bearer {TOKEN}", "--checks", "all", "--exclude-checks", "negative_data_rejection",
         "--max-examples", "150", "--seed", "7"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0 and "No issues found" in run.stdout, run.stdout[-4000:] + run.stderr[-2000:]
    assert "Traceback" not in (daemon.root / "stderr.log").read_text()


def _self_signed(dir: Path) -> tuple[Path, Path]:
    cert, key = dir / "api.pem", dir / "api.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def test_with_tls_cert_and_key_the_api_serves_https_only(tmp_path):
    cert, key = _self_signed(tmp_path)
    port = free_port()
    env = dict(_env(tmp_path), MYNUMBER_DLP_API_TOKEN=TOKEN)
    daemon = api_daemon(tmp_path, env, port, f'tls_cert = "{cert}"\ntls_key = "{key}"\n')
    try:
        status, answer = _call(f"https://127.0.0.1:{port}", f"個人番号 {N}".encode(),
                               context=ssl.create_default_context(cafile=str(cert)))
        assert status == 200 and answer["verdict"] == "block"
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            _call(f"http://127.0.0.1:{port}", b"plain http")
    finally:
        daemon.proc.kill()
        daemon.proc.wait()


def _start(tmp_path: Path, config_text: str, env: dict) -> subprocess.CompletedProcess:
    config = tmp_path / "bad.toml"
    config.write_text(f'[[serve.watch]]\npath = "{tmp_path}"\n\n' + config_text)
    return subprocess.run(CLI + ["serve", "--config", str(config), "--state-dir", str(tmp_path / "state"),
                                 "--metrics-address", f"127.0.0.1:{free_port()}"],
                          env=env, capture_output=True, text=True, timeout=60)


def test_an_api_beyond_loopback_without_a_token_is_refused_at_start(tmp_path):
    run = _start(tmp_path, '[serve.api]\naddress = "0.0.0.0:8080"\n', _env(tmp_path))
    assert run.returncode == 2 and "token is required" in run.stderr and "Traceback" not in run.stderr


def test_an_api_address_in_use_refuses_the_start_loudly(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = _start(tmp_path, f'[serve.api]\naddress = "127.0.0.1:{port}"\n', _env(tmp_path))
    assert run.returncode == 2 and "scan API cannot listen" in run.stderr and "Traceback" not in run.stderr


def test_config_check_masks_the_token(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(f'[[serve.watch]]\npath = "{tmp_path}"\n\n[serve.api]\ntoken = "{TOKEN}"\n')
    run = subprocess.run(CLI + ["config", "check", str(config)], env=_env(tmp_path),
                         capture_output=True, text=True, timeout=60)
    assert TOKEN not in run.stdout + run.stderr and '"token": "********"' in run.stdout, run.stdout + run.stderr


def test_a_file_with_no_text_in_it_is_allowed_with_its_not_scanned_record(api):
    _, url = api
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
    status, answer = _call(url, video, "application/octet-stream", query={"filename": "clip.mp4"})
    assert status == 200 and answer["verdict"] == "allow"
    assert [(r["path"], r["reason"]) for r in answer["not_scanned"]] == [("clip.mp4", "unsupported")]
