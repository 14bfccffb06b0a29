"""Payloads scanned in a worker process: one that kills, hangs or bloats its parser costs
that message (diverted as not scanned), and the gate goes on with the next."""

from __future__ import annotations

import json
import os
import random
import time

from scanner.detect.finding import Confidence
from scanner.extract.limits import Limits
from scanner.isolated_payloads import IsolatedPayloads, PayloadScanner
from scanner.report.records import record_dict
from tests.conftest import TEST_KEY, make_number


class HostileParser(PayloadScanner):
    """Stands in for a parser bug: the body says how to misbehave."""

    def __call__(self, job):
        _name, body = job
        if body == b"ABORT":
            os.abort()
        if body == b"HANG":
            time.sleep(3600)
        if body == b"BLOAT":
            hog = []
            while True:
                hog.append(bytearray(64 << 20))
        return super().__call__(job)


class AsDicts:
    """Records of an isolated scan as the contract's objects."""

    def __init__(self, scan: IsolatedPayloads) -> None:
        self.scan = scan

    def __enter__(self):
        self.scan.__enter__()
        return lambda name, body: [record_dict(r) for r in self.scan(name, body)]

    def __exit__(self, *exc) -> None:
        self.scan.__exit__(*exc)


def isolated(ruleset, limits: Limits) -> IsolatedPayloads:
    scanner = HostileParser(ruleset, TEST_KEY, frozenset(), Confidence.LOW, limits)
    return IsolatedPayloads(scanner, limits)  # forkserver, as the daemon: pytest runs threads


def test_a_payload_that_kills_its_worker_is_not_scanned_and_the_next_one_is(ruleset):
    n = make_number(random.Random(1))
    with AsDicts(isolated(ruleset, Limits(max_memory=768 << 20, max_scan_time=2))) as scan:
        crashed = scan("q:1", b"ABORT")
        assert [(r["type"], r["reason"]) for r in crashed] == [("not_scanned", "error")]
        assert "signal 6" in crashed[0]["detail"]
        found = scan("q:2", json.dumps({"my_number": n}).encode())
        assert [r["type"] for r in found] == ["finding"] and found[0]["masked"].endswith(n[-4:])


def test_a_hanging_payload_is_cut_off_at_the_scan_time_limit(ruleset):
    with AsDicts(isolated(ruleset, Limits(max_memory=768 << 20, max_scan_time=1))) as scan:
        started = time.monotonic()
        hung = scan("q:1", b"HANG")
        assert [r["reason"] for r in hung] == ["limit:max_scan_time"]
        assert time.monotonic() - started < 30
        assert scan("q:2", b"hello") == []


def test_a_payload_that_exhausts_memory_hits_the_memory_limit(ruleset):
    with AsDicts(isolated(ruleset, Limits(max_memory=512 << 20, max_scan_time=20))) as scan:
        bloated = scan("q:1", b"BLOAT")
        assert [r["reason"] for r in bloated] in (["limit:max_memory"], ["error"])
        assert scan("q:2", b"hello") == []
