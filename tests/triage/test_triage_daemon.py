"""One daemon, one allowlist: a reviewed number makes no alert and no quarantine on the share,
passes the queue gate and the scan API; an unreviewed one is still stopped everywhere; each
hidden finding is counted by the metric; an expired entry is logged."""

from __future__ import annotations

import json
import random
import urllib.request

import redis

from scanner.privacy.fingerprint import Fingerprinter
from tests.conftest import TEST_KEY, make_number
from tests.sources.brokers.conftest import redis_url  # noqa: F401 - the real Redis fixture
from tests.sources.brokers.servers import free_port
from tests.test_daemon import Served, wait_for

RNG = random.Random(33)
REVIEWED, FRESH = make_number(RNG), make_number(RNG)


def _api(port: int, body: str) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/scan", data=body.encode(), method="POST",
                                 headers={"Content-Type": "text/plain; charset=utf-8"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def test_an_allowlisted_number_passes_files_gate_and_api_and_is_counted(redis_url, tmp_path, cli_env):  # noqa: F811
    allow = tmp_path / "allow.toml"
    allow.write_text(f'[[allow]]\nfingerprint = "{Fingerprinter(TEST_KEY)(REVIEWED)}"\nreason = "記載例 (#7)"\n\n'
                     f'[[allow]]\nfingerprint = "{Fingerprinter(TEST_KEY)(FRESH)}"\nreason = "昨年の確認"\n'
                     'until = 2021-01-01\n', encoding="utf-8")
    api_port = free_port()
    cfg = tmp_path / "serve.toml"
    cfg.write_text(
        f'[scan]\nallowlist = "{allow}"\n\n[serve]\n[[serve.watch]]\npath = "{tmp_path / "watch"}"\nname = "share"\n\n'
        '[[serve.queue]]\ntype = "redis"\nname = "redis"\nurl = "${MYNUMBER_DLP_BROKER_URL}"\ninput = "dlp.in"\n'
        'output = "dlp.out"\nquarantine = "dlp.quarantine"\nconsumer = "node-1"\n\n'
        f'[serve.api]\naddress = "127.0.0.1:{api_port}"\n', encoding="utf-8")
    r = redis.Redis.from_url(redis_url)
    daemon = Served(tmp_path, dict(cli_env, MYNUMBER_DLP_BROKER_URL=redis_url), config=cfg)
    try:
        (daemon.watch / "reviewed.txt").write_text(f"個人番号：{REVIEWED}\n", encoding="utf-8")
        (daemon.watch / "fresh.txt").write_text(f"個人番号：{FRESH}\n", encoding="utf-8")
        r.xadd("dlp.in", {"payload": f"マイナンバー {REVIEWED}".encode(), "msg": "reviewed"})
        r.xadd("dlp.in", {"payload": f"マイナンバー {FRESH}".encode(), "msg": "fresh"})
        wait_for(lambda: r.xlen("dlp.out") + r.xlen("dlp.quarantine") >= 2, timeout=60)
        def outcome(name: str) -> float:
            return daemon.metric("mynumber_dlp_items_scanned_total", source="share", outcome=name)

        wait_for(lambda: outcome("findings") + outcome("quarantined") >= 1 and outcome("clean") >= 1)
        assert [f[b"msg"] for _i, f in r.xrange("dlp.out")] == [b"reviewed"]
        assert [f[b"msg"] for _i, f in r.xrange("dlp.quarantine")] == [b"fresh"]
        assert _api(api_port, f"個人番号 {REVIEWED}") == {"verdict": "allow", "findings": [], "not_scanned": []}
        assert _api(api_port, f"個人番号 {FRESH}")["verdict"] == "block"
        alerted = {d["masked"][-4:] for a in daemon.alerts() for d in a.get("details", [])}
        assert FRESH[-4:] in alerted and REVIEWED[-4:] not in alerted
        assert (daemon.watch / "reviewed.txt").exists()
        assert daemon.metric("mynumber_dlp_findings_suppressed_total", by="allowlist") >= 3  # file, message, API
        assert "entry expired on 2021-01-01 is not applied (昨年の確認)" in (tmp_path / "stderr.log").read_text()
    finally:
        daemon.stop()
