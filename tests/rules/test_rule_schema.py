"""Rule files are checked against their schema: a misspelt key or a wrong type is one line
naming the file that has it, the key path and the key meant; partial overrides still merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.rules.loader import RuleError, load_ruleset


def user_rules(tmp_path: Path, text: str | bytes, name: str = "local.toml") -> Path:
    d = tmp_path / "rules"
    d.mkdir(exist_ok=True)
    (d / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return d


def error_of(directory: Path, name: str = "local.toml") -> str:
    with pytest.raises(RuleError) as err:
        load_ruleset([directory])
    message = str(err.value)
    prefix = f"{directory / name}: "
    assert "\n" not in message and message.startswith(prefix), message
    return message[len(prefix):]


GROUP = 'id = "jp-my-number"\n[[context.positive]]\nname = "in-house"\n'


@pytest.mark.parametrize(
    "text,expected",
    [
        (GROUP + 'weight = 0.5\nword = ["社内番号"]\n', "context.positive[in-house].word: unknown key (did you mean 'words'?)"),
        (GROUP + 'wieght = 0.5\nwords = ["社内番号"]\n', "context.positive[in-house].wieght: unknown key (did you mean 'weight'?)"),
        ('id = "jp-my-number"\n[contxt]\nwindow = 80\n', "contxt: unknown key (did you mean 'context'?)"),
        ('id = "jp-my-number"\n[thresholds]\nhihg = 0.8\n', "thresholds.hihg: unknown key (did you mean 'high'?)"),
        ('id = "jp-my-number"\n[[adjustments]]\nname = "amount"\nbefor = "x"\n',
         "adjustments[amount].befor: unknown key (did you mean 'before'?)"),
    ],
)
def test_a_misspelt_rule_key_is_rejected_with_the_file_path_and_key_meant(tmp_path, text, expected):
    assert error_of(user_rules(tmp_path, text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (GROUP + 'weight = "heavy"\nwords = ["x"]\n', "context.positive[in-house].weight: 'weight' must be float (a number), got string 'heavy'"),
        (GROUP + 'weight = 0.5\nwords = "社内番号"\n', "context.positive[in-house].words: 'words' must be an array, got string '社内番号'"),
        ('id = "jp-my-number"\nenabled = "no"\n', "enabled: 'enabled' must be bool (true or false), got string 'no'"),
        ('id = "jp-my-number"\n[candidates]\nprefilter = 1\n', "candidates.prefilter: 'prefilter' must be bool (true or false), got number 1"),
        ('id = "jp-my-number"\n[context]\nnear = -1\n', "context.near: must be between 0 and 4096, got -1"),
    ],
)
def test_a_wrong_type_in_a_rule_file_is_one_line_naming_the_key(tmp_path, text, expected):
    assert error_of(user_rules(tmp_path, text)) == expected


def test_a_rule_file_with_a_bom_loads(tmp_path):
    rs = load_ruleset([user_rules(tmp_path, b'\xef\xbb\xbfid = "jp-my-number"\n[thresholds]\nhigh = 0.8\n')])
    assert rs.rules[0].thresholds.high == 0.8


def test_a_partial_override_of_a_named_adjustment_merges(tmp_path):
    rs = load_ruleset([user_rules(tmp_path, 'id = "jp-my-number"\n[[adjustments]]\nname = "amount"\nweight = -0.3\n')])
    amount = next(a for a in rs.rules[0].adjustments if a.name == "amount")
    assert amount.weight == -0.3 and amount.before  # the shipped patterns are kept


def test_a_new_item_that_is_incomplete_is_named_in_the_file_that_adds_it(tmp_path):
    assert error_of(user_rules(tmp_path, GROUP + "weight = 0.5\n")) == "context.positive[in-house].words: required key is missing"


def test_an_error_of_the_merged_rule_names_the_file_that_set_the_value(tmp_path):
    d = user_rules(tmp_path, 'id = "jp-my-number"\n[thresholds]\nlow = 0.9\n', "a.toml")
    user_rules(tmp_path, 'id = "jp-my-number"\n[structure]\nfactor = 1.5\n', "b.toml")
    assert error_of(d, "a.toml") == "thresholds: thresholds must satisfy low <= medium <= high"
