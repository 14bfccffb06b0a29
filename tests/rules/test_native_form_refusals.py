"""A form or adjustment the native core cannot run is refused when the rules load — by
``rules check``, ``scan`` and the daemon alike — with the file and key named, exit 2,
never an internal error at the first scan."""

from __future__ import annotations

import subprocess

import pytest

from scanner.rules.loader import RuleError, load_ruleset
from tests.conftest import CLI


def _rule(tmp_path, body: str):
    (tmp_path / "x.toml").write_text(f'id = "jp-my-number"\n{body}', encoding="utf-8")
    return tmp_path


def test_a_look_around_inside_the_number_is_refused_with_its_key(tmp_path):
    d = _rule(tmp_path, "[[candidates.forms]]\nname = \"odd\"\nscore = 0.4\npattern = '{D}{4}(?!{D}{9}){D}{8}'\n")
    with pytest.raises(RuleError, match=r"candidates\.forms\[odd\]\.pattern: cannot be run by the detection core"):
        load_ruleset([d])


def test_an_adjustment_the_core_cannot_compile_is_refused(tmp_path):
    # a back-reference compiles in Python's re but not in the core's regex syntax
    d = _rule(tmp_path, "[[adjustments]]\nname = \"twice\"\nweight = -0.1\nbefore = '(a)\\1$'\n")
    with pytest.raises(RuleError, match=r"adjustments\[twice\]\.before: cannot be run by the detection core"):
        load_ruleset([d])


def test_rules_check_exits_2_on_a_form_the_core_cannot_run(tmp_path, cli_env):
    d = _rule(tmp_path, "[[candidates.forms]]\nname = \"odd\"\nscore = 0.4\npattern = '{D}{4}(?!{D}{9}){D}{8}'\n")
    p = subprocess.run(CLI + ["rules", "check", str(d)], env=cli_env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "internal error" not in p.stderr
    assert "forms[odd].pattern" in p.stderr
