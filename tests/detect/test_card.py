"""The card itself, recognised in the lines OCR read from one image (``detect/card.py``)."""

from __future__ import annotations

import pytest

from scanner.detect.card import card_finding
from scanner.detect.finding import Confidence
from scanner.privacy.fingerprint import Fingerprinter
from tests.conftest import TEST_KEY

FP = Fingerprinter(TEST_KEY)
N = "123456789018"
BACK = ["個人番号", "1234 5678 9018", "氏名 山田 花子", "生年月日 平成2年4月1日生"]
NOTIFICATION = ["通 知 カード", "個人 番号 1234 5678 9018", "氏名 鈴木 一郎", "住所 大阪府大阪市北区中之島1-3-20",
                "生年月日 昭和55年7月7日 性別 男", "発行日 平成27年10月5日", "大阪市長"]


@pytest.fixture
def rule(ruleset):
    return ruleset.rules[0]


def test_the_back_of_the_card_is_a_card_finding_at_medium_masked_by_its_last_digits(rule):
    found = card_finding(rule, BACK, [], FP)
    assert found is not None
    assert (found.rule, found.confidence, found.masked, found.line) == ("jp-my-number-card", Confidence.MEDIUM,
                                                                         "********9018", 1)
    assert "card-back" in found.reasons and N not in found.fingerprint


def test_a_notification_card_is_a_card_finding_at_high_even_with_its_title_read_spaced(rule):
    found = card_finding(rule, NOTIFICATION, [], FP)
    assert found is not None and found.confidence == Confidence.HIGH and "title:通知カード" in found.reasons


def test_a_card_whose_number_was_read_takes_the_numbers_mask_and_fingerprint(engine, rule):
    numbers = engine.scan_text("\n".join(BACK))
    assert numbers and numbers[0].fingerprint == FP(N)
    found = card_finding(rule, BACK, numbers, FP)
    assert found is not None and (found.masked, found.fingerprint) == ("********9018", FP(N))


def test_the_back_whose_small_label_a_photo_lost_is_told_by_its_number_alone_on_a_line(rule):
    found = card_finding(rule, ["9303 6426 2121 |", "| 氏名 山田 花子", "生年月日 平成2年4月1日生"], [], FP)
    assert found is not None and (found.masked, found.line) == ("********2121", 1)


def test_a_covered_number_leaves_a_card_finding_with_every_digit_masked(rule):
    covered = ["個人番号", "|", "氏名 山田 花子", "生年月日 平成2年4月1日生"]
    found = card_finding(rule, covered, [], FP)
    assert found is not None and found.masked == "************"
    # the same image is one finding across scans; another card is another
    assert card_finding(rule, covered, [], FP).fingerprint == found.fingerprint
    other = card_finding(rule, ["個人番号", "|", "氏名 佐藤 一郎", "生年月日 昭和60年1月1日生"], [], FP)
    assert other is not None and other.fingerprint != found.fingerprint


def test_the_front_of_the_card_prints_no_number_and_is_no_card_finding(rule):
    front = ["個人番号カード", "氏名 山田 花子", "住所 東京都千代田区丸の内1-1-1", "平成2年4月1日生 性別 女",
             "2035年4月1日まで有効", "千代田区長"]
    assert card_finding(rule, front, [], FP) is None
    # both sides copied on one page: the back's label is there too
    assert card_finding(rule, front + BACK, [], FP) is not None


@pytest.mark.parametrize("lines", [
    ["給与所得者の扶養控除等（異動）申告書", "氏名", "個人番号", "生年月日", "住所"],  # a form asks for the same fields
    ["本人確認書類について", "個人番号カードの写しを添付してください。", "氏名 個人番号 生年月日 を記入"],
    ["マイナンバー提供書", "個人番号", "氏名 山田 太郎", "生年月日 昭和50年1月1日", "通知カードのコピーを貼付"],
    ["会員証", "氏名 山田 花子", "生年月日 平成2年4月1日生", "会員番号 1234 5678"],  # no 個人番号 printed
    ["個人番号居出書", "氏名", "個人番号", "生年月日", "住所"],  # a blank form, its title misread
    ["社員情報", "氏名 山田 花子", "個人番号 1234 5678 9018", "生年月日 平成2年4月1日", "住所 東京都港区"],
])
def test_forms_and_letters_about_the_card_are_no_card(rule, lines):
    assert card_finding(rule, lines, [], FP) is None
