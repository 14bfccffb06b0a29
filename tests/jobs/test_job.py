"""The messages of a distributed audit and the collector's assembly, without a broker."""

from __future__ import annotations

import pytest

from scanner.detect.finding import Confidence
from scanner.jobs.collect import Assembly
from scanner.jobs.job import AuditJob, JobFile, JobResult, Manifest, ResultPart, key_id
from scanner.jobs.names import broker_of, check_audit_name, results_stream
from scanner.report.records import FindingRecord, not_scanned_record


def _finding(path: str, n: int) -> FindingRecord:
    return FindingRecord(path, None, n, 1, "jp-my-number", Confidence.HIGH, 0.9, "********9018", f"{n:064x}",
                         ("check-digit",))


def _result(job: str, attempt: str, records: int, audit: str = "a1") -> JobResult:
    files = [JobFile(f"/srv/{job}/{i}.txt", 10, True) for i in range(records)]
    return JobResult(audit, job, attempt, "d1", "rs", key_id("k"), files,
                     [_finding(f.path, i) for i, f in enumerate(files)])


def test_a_job_survives_its_message_including_a_path_with_undecodable_bytes():
    job = AuditJob("a1", "00000001", ("/srv/\udc8c\udc9a.txt", "smb://nas/share/x.xlsx"), Confidence.MEDIUM)
    assert AuditJob.decode(job.encode()) == job


def test_a_big_result_is_split_into_parts_under_the_limit_and_reassembled_in_order():
    result = _result("00000001", "att", 400)
    bodies = result.encode_parts(max_bytes=8_000)
    assert len(bodies) > 5 and all(len(b) < 9_000 for b in bodies)
    assembly = Assembly("a1")
    for body in reversed(bodies):  # parts may arrive in any order (Kafka partitions)
        assembly.add(ResultPart.decode(body))
    (report,) = assembly.reports()
    assert [r.path for r in report.records] == [f.path for f in result.files]
    assert len(report.files) == 400


def test_a_job_done_twice_is_reported_once_and_the_second_attempt_counted():
    assembly = Assembly("a1")
    for attempt in ("first", "second"):
        for body in _result("00000001", attempt, 3).encode_parts():
            assembly.add(ResultPart.decode(body))
    assert len(assembly.reports()) == 1 and assembly.duplicates == 1


def test_an_attempt_missing_a_part_does_not_count_but_a_complete_later_one_does():
    assembly = Assembly("a1")
    partial = _result("00000001", "crashed", 300).encode_parts(max_bytes=4_000)
    for body in partial[:-1]:  # the daemon died before its last part
        assembly.add(ResultPart.decode(body))
    assert assembly.reports() == []
    for body in _result("00000001", "redone", 300).encode_parts(max_bytes=4_000):
        assembly.add(ResultPart.decode(body))
    (report,) = assembly.reports()
    assert len(report.records) == 300 and assembly.duplicates == 0


def test_results_of_another_audit_are_skipped_and_counted():
    assembly = Assembly("a1")
    for body in _result("00000001", "x", 1, audit="other").encode_parts():
        assembly.add(ResultPart.decode(body))
    assert assembly.reports() == [] and assembly.foreign == 1


def test_not_scanned_records_travel_with_their_reason():
    result = JobResult("a1", "00000002", "x", "d1", "rs", "id", [JobFile("/a", 0, False)],
                       [not_scanned_record("/a", None, "unreadable", "permission denied")])
    (body,) = result.encode_parts()
    part = ResultPart.decode(body)
    assert part.records[0].reason == "unreadable" and part.files == (JobFile("/a", 0, False),)


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"kind":"job","v":99}', b'{"kind":"job","v":1}'])
def test_a_message_that_is_no_job_is_refused_with_a_value_error(body):
    with pytest.raises(ValueError):
        AuditJob.decode(body)


def test_the_manifest_round_trips():
    m = Manifest("a1", 41, 2000, ("/srv/share",), "mynumber-dlp.audit.jobs", 1.5)
    assert Manifest.decode(m.encode()) == m


def test_the_key_id_tells_keys_apart_and_does_not_contain_the_key():
    assert key_id("k1") != key_id("k2") and len(key_id("k1")) == 16 and "k1" not in key_id("k1")


@pytest.mark.parametrize("url,kind", [("redis://127.0.0.1:6379/0", "redis"), ("rediss://h", "redis"),
                                      ("kafka://h:9092", "kafka")])
def test_the_broker_is_known_by_the_url_scheme(url, kind):
    assert broker_of(url) == kind


@pytest.mark.parametrize("url", ["nats://h:4222", "h:6379", "amqp://h"])
def test_a_url_of_another_broker_is_refused(url):
    with pytest.raises(ValueError, match="redis://"):
        broker_of(url)


@pytest.mark.parametrize("name", ["", "-x", "a b", "a/b", "x" * 101, "監査"])
def test_an_audit_name_that_is_no_topic_name_is_refused(name):
    with pytest.raises(ValueError):
        check_audit_name(name)


def test_an_audit_has_its_own_results_stream():
    assert results_stream("2026-12.hr") == "mynumber-dlp.audit.2026-12.hr.results"
