"""Positive, negative and structural context, and document evidence."""

import json
import random

import pytest

from tests.conftest import make_invalid, make_number

N = "123456789018"


def one(engine, text):
    found = engine.scan_text(text)
    assert len(found) == 1, found
    return found[0]


def level(engine, text):
    found = engine.scan_text(text)
    return found[0].confidence.label if found else None


@pytest.mark.parametrize(
    "word",
    ["マイナンバー", "個人番号", "my number", "My Number", "ＭＹ　ＮＵＭＢＥＲ", "ﾏｲﾅﾝﾊﾞｰ", "共通番号", "個人番号カード",
     "通知カード", "individual number", "kojin bango", "マイナンバーカード番号"],
)
def test_positive_words_in_any_case_or_width_raise_to_high(engine, word):
    assert level(engine, f"{word} {N}") == "high"


def test_a_bare_valid_number_is_low(engine):
    assert level(engine, f"参考 {N} 以上") == "low"


@pytest.mark.parametrize(
    "word", ["法人番号", "電話番号", "TEL", "FAX", "注文番号", "伝票番号", "受付番号", "口座番号", "会員番号",
             "お問い合わせ番号", "追跡番号", "JAN", "order no", "invoice", "tracking number", "account"],
)
def test_negative_words_drop_a_bare_number(engine, word):
    assert level(engine, f"{word}: {N}") is None


def test_ascii_words_inside_longer_words_do_not_count(engine):
    # "tel" inside "hotel" must not act as a phone keyword
    assert level(engine, f"hotel {N}") == "low"


def test_the_nearest_word_owns_the_value(engine):
    assert level(engine, f"マイナンバーとは別件で、注文番号 {N}") is None
    assert level(engine, f"注文番号とは別件で、マイナンバー {N}") == "high"


def test_context_fades_with_distance(engine):
    near = one(engine, f"マイナンバー {N}").score
    far = one(engine, "マイナンバー" + "あ" * 50 + f" {N}").score
    assert near > far


def test_words_beyond_the_window_count_only_as_the_topic(engine):
    far = one(engine, "マイナンバー" + "あ" * 200 + f" {N}")
    assert far.confidence.label != "high" and "topic:マイナンバー" in far.reasons
    assert not any(r.startswith("keyword:") for r in far.reasons)
    assert level(engine, "マイナンバー" + "あ" * 3100 + f" {N}") == "low"  # beyond the topic too


def test_csv_column_header_is_context_however_far_down(engine):
    rows = "".join(f"{i},name{i},{make_number(random.Random(i))}\n" for i in range(300))
    found = engine.scan_text("社員番号,氏名,個人番号\n" + rows)
    assert len(found) == 300
    assert all(f.confidence.label == "high" and "column:個人番号" in f.reasons for f in found)


def test_negative_column_header_drops_check_digit_passes(engine):
    rng = random.Random(5)
    rows = "".join(f"{i},{make_number(rng)}\n" for i in range(5))
    assert engine.scan_text("id,注文番号\n" + rows) == []


def test_json_key_is_context(engine):
    assert "key:my number" in one(engine, json.dumps({"id": 7, "my_number": N})).reasons


def test_json_with_unicode_escapes_is_read_as_the_text_it_encodes(engine):
    text = json.dumps({"社員": {"個人番号": N}})  # ensure_ascii: keys become \\uXXXX
    assert "\\u500b" in text
    f = one(engine, text)
    assert f.confidence.label == "high" and "key:個人番号" in f.reasons


def test_json_key_of_another_field_is_negative(engine):
    assert engine.scan_text(json.dumps({"my_number_verified": True, "order_id": N})) == []


def test_form_label_counts_however_far_the_value_is(engine):
    text = "個人番号：\n" + "\n" * 3 + "（12桁の番号を記入）" + " " * 80 + f"\n{N[:4]} {N[4:8]} {N[8:]}\n"
    f = one(engine, text)
    assert f.confidence.label == "high"


def test_next_fields_label_does_not_count_for_this_value(engine):
    text = f"個人番号：{N[:4]} {N[4:8]} {N[8:]}\n電話番号：090-1234-5678"
    assert one(engine, text).confidence.label == "high"


def test_xml_element_name_is_context(engine):
    assert level(engine, f"<employee><my_number>{N}</my_number></employee>") == "high"


def test_amount_and_datetime_and_token_adjustments_lower_the_score(engine):
    assert level(engine, f"¥{N}") is None
    assert level(engine, f"{N}円") is None
    assert level(engine, "id=abc" + N) is None
    # 2026-11-26 05:00 as YYYYMMDDhhmm, with a check digit that happens to pass
    from scanner.detect.checkdigit import is_valid

    stamp = next(f"20261126{h:02d}{m:02d}" for h in range(24) for m in range(60) if is_valid(f"20261126{h:02d}{m:02d}"))
    assert level(engine, f"at {stamp}") is None


def test_many_distinct_valid_values_in_a_column_make_a_roster(engine):
    rng = random.Random(9)
    rows = "".join(f"{i},{make_number(rng)}\n" for i in range(20))
    found = engine.scan_text("no,value\n" + rows)
    assert len(found) == 20
    assert all("roster" in f.reasons and f.confidence.label == "medium" for f in found)


def test_when_one_in_ten_of_a_columns_values_pass_the_passes_are_coincidence(engine):
    rng = random.Random(11)
    values = [make_number(rng) if i % 10 == 0 else make_invalid(rng) for i in range(100)]
    text = "no,ref\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values))
    assert engine.scan_text(text) == []


def test_coincidence_in_free_text_does_not_hide_numbers_with_positive_context(engine):
    rng = random.Random(12)
    noise = "".join(f"ログ {make_invalid(rng)} 完了\n" for _ in range(40))
    found = engine.scan_text(noise + f"マイナンバー：{N}\n")
    assert [f.confidence.label for f in found] == ["high"]


def test_reasons_never_contain_document_text(engine):
    f = one(engine, f"個人番号（{N[:6]}で始まる）：{N}")
    assert all(N[:6] not in r for r in f.reasons)


def test_generic_value_key_passes_the_label_above_through(engine):
    text = json.dumps({"個人番号": {"type": "SINGLE_LINE_TEXT", "value": N}}, ensure_ascii=False, indent=2)
    f = one(engine, text)
    assert f.confidence.label == "high" and "key:個人番号" in f.reasons


def test_a_label_that_already_has_its_value_is_not_the_label_of_the_next_line(engine):
    text = f"受付日時：2026/11/26 10:00\n個人番号のお問い合わせ。入力した番号は {N} です\n"
    f = one(engine, text)
    assert not any("日時" in r for r in f.reasons)


def test_camel_case_keys_are_read_as_words(engine):
    assert level(engine, json.dumps({"MyNumber__c": N})) == "high"
    assert engine.scan_text(json.dumps({"OrderNo__c": N, "MyNumber__c": "x"})) == []


def test_json_is_never_taken_for_a_csv_table(engine):
    text = json.dumps({"totalSize": 3, "records": [{"Kojin_Bango__c": N}]}, indent=4)
    f = one(engine, text)
    assert not any(r.startswith("negative-column") for r in f.reasons) and f.confidence.label == "high"


def test_japanese_keywords_spaced_out_by_ocr_still_count(engine):
    assert level(engine, f"個 人 番 号 {N[:4]}-{N[4:8]}-{N[8:]}") == "high"


def test_payer_box_naming_both_kinds_is_a_my_number_label(engine):
    assert level(engine, f"支払者　個人番号又は法人番号　{N[:4]}-{N[4:8]}-{N[8:]}（右詰で記載）") == "high"


def test_a_word_on_another_line_with_its_own_number_does_not_count(engine):
    text = f"マイナンバーは以下です\n{N}\n携帯：090-1234-5678\n"
    assert level(engine, text) == "high"


def _chat(messages: list[str]) -> str:
    """A chat export as Slack writes it: each message a verbose JSON object."""
    profile = {"avatar_hash": "5b7093e8a642", "real_name": "後藤 誠", "display_name": "後藤", "team": "T0RHVAJ11DH"}
    return json.dumps([{"type": "message", "text": t, "user": "U0E7M8PMG3Z", "ts": f"1731025571.43{i:04d}",
                        "user_profile": profile, "blocks": [{"type": "rich_text", "elements": [{"type": "text", "text": t}]}]}
                       for i, t in enumerate(messages)], ensure_ascii=False, indent=2)


def test_a_bare_number_answering_a_question_messages_up_is_medium(engine):
    text = _chat(["奥様の個人番号を教えてください。", "私も提出しました", "承知しました", N, "登録しました。"])
    assert text.index(N) - text.index("個人番号") > 1200  # far beyond the context window
    found = engine.scan_text(text)  # the message's text and its rich-text block
    assert [(f.confidence.label, "topic:個人番号" in f.reasons) for f in found] == [("medium", True)] * 2


def test_the_question_after_the_answer_sets_the_topic_of_newest_first_exports(engine):
    # kintone comments and Teams messages are exported newest first
    text = _chat(["登録しました。", N, "配偶者のマイナンバーの記載がありません。コメントで教えてください。"])
    found = engine.scan_text(text)
    assert [(f.confidence.label, "topic:マイナンバー" in f.reasons) for f in found] == [("medium", True)] * 2


def test_a_later_label_with_its_own_value_is_not_the_topic_of_a_number_before_it(engine):
    other = make_number(random.Random(5))
    text = f"参考 {N} 以上\n" + "あ" * 200 + f"\n個人番号：{other}\n"
    assert [f.confidence.label for f in engine.scan_text(text)] == ["low", "high"]


def test_the_strongest_topic_word_wins_over_a_weaker_nearer_one(engine):
    text = _chat(["個人番号（12桁）を入力してください。", N])
    assert all("topic:個人番号" in f.reasons for f in engine.scan_text(text))


def test_a_key_with_its_own_value_on_another_line_is_not_context(engine):
    text = '{\n  "id": "3",\n  "text": "8494 5278 9855 です",\n  "createdAt": "2024-11-06T08:00:00Z"\n}'
    found = one(engine, text.replace("8494 5278 9855", f"{N[:4]} {N[4:8]} {N[8:]}"))
    assert not any(r.startswith("negative-") for r in found.reasons)


def test_a_json_escape_before_the_digits_is_a_line_break_not_part_of_a_token(engine):
    raw = '{"text": "扶養に入れる妻の個人番号です\\n' + N + '"}'
    found = one(engine, raw)
    assert found.confidence.label == "high" and "adjust:part-of-token" not in found.reasons
    assert level(engine, f"https://example.jp/files/{N}") is None  # part of a path still is


def test_a_caption_line_above_a_value_alone_on_its_line_counts_as_its_label(engine):
    caption = "[field 03] 個人番号（マイナンバー） / confidence 0.95\n"
    assert level(engine, caption + f"［{'］［'.join(N)}］\n") == "high"
    assert level(engine, "[field 05] 電話番号 / confidence 0.71\n" + f"［{'］［'.join(N)}］\n") is None
    # a bare number sharing its line with other words keeps the line above at other-line weight
    assert level(engine, caption + f"受付 {N} 済み\n") == "medium"


def test_a_label_with_its_own_number_captions_no_lone_value_below_it(engine):
    other = make_number(random.Random(11))
    found = engine.scan_text(f"個人番号：{N}\n{other}\n")
    assert [f.confidence.label for f in found] == ["high", "low"]
