"""A real smbd per test (tests/sources/smb/samba.py); in CI a missing smbd fails."""

from __future__ import annotations

import pytest

from tests.sources.brokers import servers
from tests.sources.brokers.conftest import need
from tests.sources.smb.samba import samba_share


@pytest.fixture
def samba(tmp_path):
    try:
        with samba_share(tmp_path / "samba") as share:
            yield share
    except servers.Missing as missing:
        need(str(missing))
