"""Real brokers for the distributed audits: redis-server and Tansu on free loopback ports."""

from __future__ import annotations

import os

import pytest

from tests.sources.brokers import servers


def _serve(start, workdir):
    try:
        with start(workdir) as url:
            yield url
    except servers.Missing as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} is missing: tests/run.sh installs it")
        pytest.skip(f"{missing} not installed (tests/run.sh installs it)")


@pytest.fixture
def redis_url(tmp_path):
    yield from _serve(servers.redis_server, tmp_path)


@pytest.fixture
def kafka_url(tmp_path):
    yield from _serve(servers.kafka_server, tmp_path)
