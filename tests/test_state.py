"""The daemon's state: message bookkeeping (alerts sent, failures counted) and its pruning."""

from __future__ import annotations

import time

from scanner.state import StateDB


def test_failures_count_up_and_clear(tmp_path):
    db = StateDB(tmp_path)
    assert db.failures("m") == 0
    assert [db.count_failure("m") for _ in range(3)] == [1, 2, 3]
    db.clear_failures("m")
    assert db.failures("m") == 0


def test_pruning_forgets_only_old_message_records(tmp_path):
    db = StateDB(tmp_path)
    db.mark_alerted("old")
    db.count_failure("old")
    cut = time.time() + 0.01
    time.sleep(0.02)
    db.mark_alerted("new")
    db.count_failure("new")
    db.prune_messages(cut)
    assert not db.alerted("old") and db.failures("old") == 0
    assert db.alerted("new") and db.failures("new") == 1


def test_message_records_survive_a_reopen(tmp_path):
    db = StateDB(tmp_path)
    db.mark_alerted("a")
    db.count_failure("b")
    db.close()
    again = StateDB(tmp_path)
    assert again.alerted("a") and again.failures("b") == 1
