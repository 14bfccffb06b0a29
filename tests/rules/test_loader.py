"""Rules are data: shipped rules load, users extend and override them, bad rules are refused clearly."""

from pathlib import Path

import pytest

from scanner.detect.engine import Engine
from scanner.privacy.fingerprint import Fingerprinter
from scanner.rules.loader import RuleError, load_ruleset, shipped_rules_dir

N = "123456789018"


def write(d: Path, name: str, text: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return d


def test_shipped_rules_load_with_purviews_keywords():
    rs = load_ruleset()
    rule = rs.rules[0]
    words = {w for g in rule.positive for w in g.words}
    purview = {"my number", "マイナンバー", "個人番号", "共通番号", "マイナンバーカード", "マイナンバーカード番号",
               "個人番号カード", "個人識別番号", "個人識別ナンバー", "通知カード", "individual number", "kojin bango"}
    assert purview <= words
    assert rule.id == "jp-my-number"
    assert (shipped_rules_dir() / "jp-my-number.toml").is_file()


def test_user_rules_add_a_word_group_without_copying_the_rest(tmp_path):
    user = write(tmp_path / "r", "local.toml", '''
id = "jp-my-number"
[[context.positive]]
name = "in-house"
weight = 0.55
words = ["社内ID番号"]
''')
    engine = Engine(load_ruleset([user]), Fingerprinter("k"))
    assert engine.scan_text(f"社内ID番号 {N}")[0].confidence.label == "high"
    assert engine.scan_text(f"個人番号 {N}")[0].confidence.label == "high"  # shipped words still there


def test_user_rules_override_a_named_group_and_thresholds(tmp_path):
    user = write(tmp_path / "r", "local.toml", '''
id = "jp-my-number"
[thresholds]
low = 0.5
[[context.positive]]
name = "my-number-ja"
enabled = false
''')
    rs = load_ruleset([user])
    rule = rs.rules[0]
    assert rule.thresholds.low == 0.5
    assert "my-number-ja" not in {g.name for g in rule.positive}
    assert rs.version != load_ruleset().version
    assert Engine(rs, Fingerprinter("k")).scan_text(f"参考 {N}") == []  # bare number now below low


def test_a_whole_rule_can_be_disabled_and_a_new_rule_added(tmp_path):
    text = (shipped_rules_dir() / "jp-my-number.toml").read_text(encoding="utf-8")
    user = write(tmp_path / "r", "a.toml", text.replace('id = "jp-my-number"', 'id = "hr-strict"'))
    write(user, "b.toml", 'id = "jp-my-number"\nenabled = false\n')
    rs = load_ruleset([user])
    assert [r.id for r in rs.rules] == ["hr-strict"]
    assert Engine(rs, Fingerprinter("k")).scan_text(f"個人番号 {N}")[0].rule == "hr-strict"


@pytest.mark.parametrize(
    "content,message",
    [
        ('id = "jp-my-number"\n[thresholds]\nlow = 0.9\n', "low <= medium <= high"),
        ('id = "jp-my-number"\n[[candidates.forms]]\nname = "contiguous"\npattern = "([0-9"\n', "does not compile"),
        ('id = "jp-my-number"\nvalidator = "luhn"\n', "unknown validator"),
        ('id = "jp-my-number"\n[context]\nwindow = "wide"\n', "'window' must be int"),
        ('id = "jp-my-number"\n[[context.negative]]\nname = "x"\nweight = 3\nwords = ["a"]\n', "between 0.0 and 1.0"),
        ("not toml at all [", "invalid TOML"),
        ('name = "no id"\n', "missing string field 'id'"),
    ],
)
def test_invalid_rules_are_refused_with_the_file_and_field_named(tmp_path, content, message):
    user = write(tmp_path / "r", "bad.toml", content)
    with pytest.raises(RuleError) as err:
        load_ruleset([user])
    assert message in str(err.value)
    assert "bad.toml" in str(err.value) or "jp-my-number.toml" in str(err.value)
