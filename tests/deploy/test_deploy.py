"""deploy/: Prometheus config and alert rules pass promtool; the Grafana dashboard's
queries name metrics the daemon exports; example configs load."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from scanner.config import load_serve_config
from scanner.serve.metrics import Metrics
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def _promtool() -> str:
    tool = shutil.which("promtool")
    if tool is None:
        if os.environ.get("CI") == "true":
            pytest.fail("promtool is missing: tests/run.sh installs Debian's prometheus package")
        pytest.skip("promtool not installed (tests/run.sh installs it)")
    return tool


def test_prometheus_config_and_alert_rules_pass_promtool():
    tool = _promtool()
    cfg = subprocess.run([tool, "check", "config", str(DEPLOY / "prometheus" / "prometheus.yml")], capture_output=True, text=True)
    assert cfg.returncode == 0, cfg.stdout + cfg.stderr
    rules = subprocess.run([tool, "check", "rules", str(DEPLOY / "prometheus" / "mynumber-dlp.rules.yml")], capture_output=True, text=True)
    assert rules.returncode == 0 and "SUCCESS" in rules.stdout, rules.stdout + rules.stderr


def _exported_names() -> set[str]:
    m = Metrics()
    m.items.labels("s", "clean").inc()
    m.bytes.labels("s").inc()
    m.findings.labels("high").inc()
    m.actions.labels("alert", "ok").inc()
    m.limits.labels("max_ratio").inc()
    m.not_scanned.labels("corrupt").inc()
    m.duration.observe(0.1)
    m.messages.labels("q", "forwarded").inc()
    m.message_latency.labels("q").observe(0.001)
    m.consumer_lag.labels("q").set(0)
    names = set()
    for line in m.exposition().decode().splitlines():
        if line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def _query_names(expr: str) -> set[str]:
    return set(re.findall(r"mynumber_dlp_[a-z_]+", expr))


def test_grafana_dashboard_is_valid_json_whose_queries_name_exported_metrics():
    dash = json.loads((DEPLOY / "grafana" / "mynumber-dlp.json").read_text(encoding="utf-8"))
    exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
    assert len(exprs) >= 10
    exported = _exported_names()
    missing = {n for e in exprs for n in _query_names(e)} - exported
    assert missing == set()


def test_alert_rules_name_exported_metrics():
    text = (DEPLOY / "prometheus" / "mynumber-dlp.rules.yml").read_text(encoding="utf-8")
    assert _query_names(text) - _exported_names() == set()


@pytest.mark.parametrize("name", ["serve.toml", "container.toml", "redis.toml", "mqtt.toml", "nats.toml", "rabbitmq.toml", "kafka.toml", "icap.toml"])
def test_example_configs_load(name, monkeypatch):
    monkeypatch.setenv("MYNUMBER_DLP_BROKER_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("MYNUMBER_DLP_API_TOKEN", "t")
    cfg = load_serve_config(DEPLOY / "examples" / name)
    assert (cfg.watches or cfg.queues) and cfg.state_dir


def test_metric_names_follow_the_naming_contract():
    for name in _exported_names():
        assert name.startswith("mynumber_dlp_")
    assert not any(n.endswith("_created") for n in _exported_names())


@pytest.mark.parametrize("name", ["redis", "mqtt", "nats", "rabbitmq", "kafka"])
def test_broker_examples_gate_dlp_in_to_dlp_out_with_the_url_from_the_environment(name, monkeypatch):
    monkeypatch.setenv("MYNUMBER_DLP_BROKER_URL", "scheme://127.0.0.1:9/")
    (q,) = load_serve_config(DEPLOY / "examples" / f"{name}.toml").queues
    assert (q.type, q.input, q.output, q.quarantine) == (name, "dlp.in", "dlp.out", "dlp.quarantine")
    assert q.url == "scheme://127.0.0.1:9/"


def test_alert_rules_fire_on_the_first_finding_after_a_start_promtool_test_rules():
    tool = _promtool()
    p = subprocess.run([tool, "test", "rules", str(DEPLOY / "prometheus" / "tests" / "first-finding.test.yml")],
                       capture_output=True, text=True)
    assert p.returncode == 0 and "SUCCESS" in p.stdout, p.stdout + p.stderr


def test_a_fresh_daemon_exports_findings_actions_and_not_scanned_at_zero():
    m = Metrics()
    m.start_at_zero(["hr-share"], ["outbound"], ["max_file_size", "max_ratio"])
    text = m.exposition().decode()
    for series in ('mynumber_dlp_findings_total{confidence="high"} 0.0',
                   'mynumber_dlp_actions_total{action="quarantine",result="error"} 0.0',
                   'mynumber_dlp_not_scanned_total{reason="encrypted"} 0.0',
                   'mynumber_dlp_not_scanned_total{reason="limit:max_ratio"} 0.0',
                   'mynumber_dlp_items_scanned_total{outcome="findings",source="hr-share"} 0.0',
                   'mynumber_dlp_messages_total{result="diverted",source="outbound"} 0.0'):
        assert series in text, series


def test_grafana_seconds_since_panels_show_no_data_rather_than_1_8e9_on_a_fresh_daemon():
    dash = (DEPLOY / "grafana" / "mynumber-dlp.json").read_text(encoding="utf-8")
    exprs = re.findall(r'"expr": "(time\(\) - [^"]+)"', dash)
    assert exprs and all("> 0)" in e for e in exprs), exprs
