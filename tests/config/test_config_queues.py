"""The serve config's queue tables: defaults, ${VAR} expansion, errors that name the field."""

from __future__ import annotations

import pytest

from scanner.config import ConfigError, load_serve_config

QUEUE = """[serve]
[[serve.queue]]
type = "{type}"
url = "${{MYNUMBER_DLP_BROKER_URL}}"
input = "dlp.in"
output = "dlp.out"
quarantine = "dlp.quarantine"
{extra}
"""


def _load(tmp_path, type_: str = "kafka", extra: str = ""):
    p = tmp_path / "serve.toml"
    p.write_text(QUEUE.format(type=type_, extra=extra), encoding="utf-8")
    return load_serve_config(p)


@pytest.mark.parametrize("kind", ["redis", "mqtt", "nats", "rabbitmq", "kafka"])
def test_every_broker_kind_loads_with_its_url_from_the_environment(kind, tmp_path, monkeypatch):
    monkeypatch.setenv("MYNUMBER_DLP_BROKER_URL", "broker://127.0.0.1:1")
    (q,) = _load(tmp_path, kind).queues
    assert q.type == kind and q.url == "broker://127.0.0.1:1"
    assert q.dead_letter == "dlp.in.dead" and q.on_violation == "divert" and q.max_deliveries == 5


def test_mask_is_a_per_queue_choice(tmp_path, monkeypatch):
    monkeypatch.setenv("MYNUMBER_DLP_BROKER_URL", "redis://127.0.0.1:1/0")
    (q,) = _load(tmp_path, "redis", 'on_violation = "mask"').queues
    assert q.on_violation == "mask"


def test_an_unknown_violation_action_is_an_error_that_names_the_field(tmp_path, monkeypatch):
    monkeypatch.setenv("MYNUMBER_DLP_BROKER_URL", "redis://127.0.0.1:1/0")
    with pytest.raises(ConfigError, match="on_violation"):
        _load(tmp_path, "redis", 'on_violation = "drop"')


def test_an_unknown_broker_kind_is_an_error_that_lists_the_kinds(tmp_path, monkeypatch):
    monkeypatch.setenv("MYNUMBER_DLP_BROKER_URL", "x://")
    with pytest.raises(ConfigError, match="rabbitmq, kafka"):
        _load(tmp_path, "sqs")
