"""A real Samba server (Debian's ``samba``: smbd) on a free loopback port, with a real user and
password, serving one share from a local directory: the SMB tests and the benchmark start it the
same way. smbd runs as root (it must), with every directory of its own under the work dir."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.sources.brokers.servers import Missing, _stop, find, free_port, wait_for_port

SMB_USER = "mndlp-smb"
"""A system account made for the tests (Samba users must be Unix users)."""
SMB_PASSWORD = "Test-only-pw-1"
SHARE = "share"
DIRS = ("private", "lock", "state", "cache", "pid", "ncalrpc", "log")


@dataclass
class SambaShare:
    """A running share: its URL, its credentials, the directory behind it, and how to stop/start smbd."""

    root: Path
    port: int
    conf: Path
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"smb://127.0.0.1:{self.port}/{SHARE}"

    @property
    def env(self) -> dict[str, str]:
        """The environment a scan logs on with."""
        return {"MYNUMBER_DLP_SMB_USER": SMB_USER, "MYNUMBER_DLP_SMB_PASSWORD": SMB_PASSWORD}

    def start(self) -> None:
        exe = find("smbd")
        self.proc = subprocess.Popen([exe, "--foreground", "--no-process-group", "--debug-stdout", "-s", str(self.conf)],
                                     stdout=open(self.conf.parent / "log" / "smbd.out", "ab"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_for_port(self.proc, self.port)

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc, group=True)
            self.proc = None


def _ensure_user() -> None:
    if subprocess.run(["id", SMB_USER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SMB_USER],
                       check=True, capture_output=True)


def _config(work: Path, root: Path, port: int) -> str:
    d = {name: work / name for name in DIRS}
    return f"""[global]
  server role = standalone server
  smb ports = {port}
  interfaces = 127.0.0.1
  bind interfaces only = yes
  disable netbios = yes
  private dir = {d["private"]}
  lock directory = {d["lock"]}
  state directory = {d["state"]}
  cache directory = {d["cache"]}
  pid directory = {d["pid"]}
  ncalrpc dir = {d["ncalrpc"]}
  passdb backend = tdbsam:{d["private"]}/passdb.tdb
  log file = {d["log"]}/log.%m
  log level = 1
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  map to guest = never
  server min protocol = SMB2_10
[{SHARE}]
  path = {root}
  read only = no
  valid users = {SMB_USER}
  # file access as root: the test's directory sits under root's private tmp
  force user = root
"""


@contextmanager
def samba_share(work: Path) -> Iterator[SambaShare]:
    """smbd serving ``work/share`` as ``smb://127.0.0.1:PORT/share`` to SMB_USER; Missing if absent."""
    find("smbd")
    smbpasswd = find("smbpasswd")
    if os.geteuid() != 0:
        raise Missing("smbd (as root)")
    _ensure_user()
    for name in DIRS:
        (work / name).mkdir(parents=True, exist_ok=True)
    root = work / SHARE
    root.mkdir(exist_ok=True)
    port = free_port()
    conf = work / "smb.conf"
    conf.write_text(_config(work, root, port), encoding="utf-8")
    subprocess.run([smbpasswd, "-c", str(conf), "-a", "-s", SMB_USER], input=f"{SMB_PASSWORD}\n{SMB_PASSWORD}\n",
                   text=True, check=True, capture_output=True)
    share = SambaShare(root, port, conf)
    share.start()
    try:
        yield share
    finally:
        share.stop()
