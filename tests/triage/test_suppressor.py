"""The suppressor: which findings are hidden and why, and when the daemon must rescan."""

from __future__ import annotations

import datetime as dt

from scanner.detect.finding import Confidence
from scanner.report.records import FindingRecord, NotScannedRecord
from scanner.triage.allowlist import load_allowlist
from scanner.triage.setup import TriageFiles, build_suppressor
from scanner.triage.suppressor import Suppressor

FP = "c" * 64


def _finding(path: str = "/srv/share/人事/名簿.xlsx", member: str | None = "Sheet1", fp: str = FP) -> FindingRecord:
    return FindingRecord(path, member, 2, 3, "jp-my-number", Confidence.HIGH, 0.9, "********9018", fp, ())


def test_member_globs_and_rules_must_all_match(tmp_path):
    allow = tmp_path / "a.toml"
    allow.write_text('[[allow]]\npath = "人事/*.xlsx"\nmember = "Sheet1*"\nrule = "jp-my-number"\nreason = "雛形"\n',
                     encoding="utf-8")
    s = Suppressor(allowlist=load_allowlist(allow))
    assert s.hides(_finding()) and not s.hides(_finding(member="Sheet2")) and not s.hides(_finding(path="/srv/x.xlsx"))
    assert s.counted == {"allowlist": 1}


def test_not_scanned_records_are_never_hidden(tmp_path):
    allow = tmp_path / "a.toml"
    allow.write_text('[[allow]]\npath = "/srv/share/*"\nreason = "x"\n', encoding="utf-8")
    s = Suppressor(allowlist=load_allowlist(allow))
    assert not s.hides(NotScannedRecord("/srv/share/a.zip", None, "encrypted", "password"))


def test_an_entry_is_in_force_through_its_until_day_and_expired_after(tmp_path):
    allow = tmp_path / "a.toml"
    allow.write_text(f'[[allow]]\nfingerprint = "{FP}"\nreason = "x"\nuntil = 2027-03-31\n', encoding="utf-8")
    assert len(load_allowlist(allow, today=dt.date(2027, 3, 31)).entries) == 1
    assert len(load_allowlist(allow, today=dt.date(2027, 4, 1)).expired) == 1


def test_the_daemons_rescan_digest_changes_with_the_entries_not_with_comments(tmp_path):
    allow = tmp_path / "a.toml"
    allow.write_text(f'[[allow]]\nfingerprint = "{FP}"\nreason = "x"\n', encoding="utf-8")
    first = build_suppressor(TriageFiles(allowlist=allow), "k")[0].digest
    allow.write_text(f'# reviewed by 総務\n[[allow]]\nfingerprint = "{FP}"\nreason = "x"\n', encoding="utf-8")
    assert build_suppressor(TriageFiles(allowlist=allow), "k")[0].digest == first
    allow.write_text(f'[[allow]]\nfingerprint = "{"d" * 64}"\nreason = "x"\n', encoding="utf-8")
    assert build_suppressor(TriageFiles(allowlist=allow), "k")[0].digest != first
    assert build_suppressor(TriageFiles(), "k")[0].digest == ""
