"""The block page: both languages, the incident id, never the number."""

from __future__ import annotations

import re

from scanner.actions.block_page import block_page, incident_id


def test_the_block_page_says_why_in_japanese_and_english_with_the_incident_id():
    incident = incident_id()
    page = block_page("my-number", incident, 2).decode("utf-8")
    assert "送信がブロックされました" in page and "Request blocked" in page
    assert page.count(incident) == 2 and "検出件数: 2" in page


def test_content_that_could_not_be_checked_has_its_own_reason():
    page = block_page("not_scanned", incident_id(), 0).decode("utf-8")
    assert "確認できなかった" in page and "could not be checked" in page


def test_the_block_page_holds_no_run_of_twelve_digits_and_no_script():
    incident = incident_id()
    assert re.fullmatch(r"\d{8}-[a-z]{16}", incident)  # letters after the day: never a run of digits
    page = block_page("my-number", incident, 1).decode("utf-8")
    assert not re.search(r"\d{9}", page) and "<script" not in page


def test_incident_ids_are_new_each_time():
    assert len({incident_id() for _ in range(1000)}) == 1000
