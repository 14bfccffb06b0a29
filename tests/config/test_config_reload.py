"""SIGHUP with a broken config file: the daemon logs the file and the field, keeps running
with the config it has, and takes the fixed file on the next SIGHUP."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.conftest import CLI

WAIT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float = WAIT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"condition not met within {timeout} s")


def metric(port: int, name: str) -> float | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
            body = r.read().decode()
    except OSError:
        return None
    return next((float(line.rsplit(" ", 1)[1]) for line in body.splitlines() if line.startswith(name + " ")), None)


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def serve_config(tmp_path: Path, extra: str = "") -> str:
    return f'[serve]\nstate_dir = "{tmp_path / "state"}"\n{extra}[[serve.watch]]\npath = "{tmp_path / "watch"}"\nname = "share"\n'


def test_sighup_with_a_bad_config_logs_the_file_and_field_and_keeps_running(tmp_path, cli_env):
    cfg = tmp_path / "serve.toml"
    cfg.write_text(serve_config(tmp_path), encoding="utf-8")
    port = free_port()
    stderr = tmp_path / "stderr.log"
    with open(stderr, "wb") as err:
        proc = subprocess.Popen(CLI + ["serve", "--config", str(cfg), "--metrics-address", f"127.0.0.1:{port}"],
                                env=cli_env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        wait_for(lambda: ready(port))
        cfg.write_text(serve_config(tmp_path, 'debounce_quiet = "soon"\n'), encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        wait_for(lambda: metric(port, "mynumber_dlp_rules_reload_success") == 0.0)
        line = next(x for x in stderr.read_text().splitlines() if "reload failed" in x)
        assert f"{cfg}: serve.debounce_quiet: must be a duration" in line
        assert proc.poll() is None and ready(port)
        cfg.write_text(serve_config(tmp_path), encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        wait_for(lambda: metric(port, "mynumber_dlp_rules_reload_success") == 1.0)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
