"""Real brokers on free loopback ports, started by fixtures. In CI a missing server fails."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need(exe: str) -> str:
    path = shutil.which(exe) or shutil.which(exe, path="/usr/sbin:/sbin")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exe} is missing: tests/run.sh installs it")
        pytest.skip(f"{exe} not installed (tests/run.sh installs it)")
    return path


def wait_for_port(proc: subprocess.Popen, port: int, timeout: float = 20.0) -> None:
    """Wait until a freshly started server accepts connections on ``port``."""
    end = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > end or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.05)


@pytest.fixture
def redis_url(tmp_path):
    exe = need("redis-server")
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    end = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > end:
                proc.kill()
                raise
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def mqtt_url(tmp_path):
    exe = need("mosquitto")
    port = free_port()
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n")
    proc = subprocess.Popen([exe, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(proc, port)
    yield f"mqtt://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def nats_url(tmp_path):
    exe = need("nats-server")
    port = free_port()
    proc = subprocess.Popen([exe, "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(tmp_path / "js")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(proc, port)
    yield f"nats://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


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
