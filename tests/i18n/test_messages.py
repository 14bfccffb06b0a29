"""Messages in Japanese or English: chosen by --lang or the locale, every message of the code
in the catalog with the same placeholders, the compiled catalog the same as its source."""

from __future__ import annotations

import re
import string
import subprocess
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from scanner.i18n import DOMAIN, LOCALE_DIR, language_from_env
from tests.conftest import CLI

ROOT = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "ja" / "LC_MESSAGES" / f"{DOMAIN}.po"
KEYWORDS = {"_": None, "ngettext": (1, 2)}


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=60)


def _locale_env(cli_env: dict, **values: str) -> dict:
    env = {k: v for k, v in cli_env.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    return {**env, **values}


def test_a_japanese_locale_gets_japanese_and_c_gets_english(cli_env):
    ja = run(["scan", "/nonexistent"], _locale_env(cli_env, LANG="ja_JP.UTF-8"))
    en = run(["scan", "/nonexistent"], _locale_env(cli_env, LANG="C"))
    assert ja.returncode == en.returncode == 2
    assert "指定されたパスのうち 1 件を読み取れません" in ja.stderr and "スキャン不可" in ja.stdout
    assert "cannot read 1 of the paths given" in en.stderr and "NOT SCANNED" in en.stdout
    assert "unreadable (そのようなファイルやディレクトリはありません)" in ja.stdout
    assert "unreadable (No such file or directory)" in en.stdout


def test_records_keep_english_reasons_and_details_whatever_the_language(cli_env):
    import json

    ja = run(["scan", "-f", "jsonl", "/nonexistent"], _locale_env(cli_env, LANG="ja_JP.UTF-8"))
    record = json.loads(ja.stdout.splitlines()[0])
    assert (record["type"], record["reason"], record["detail"]) == (
        "not_scanned", "unreadable", "No such file or directory")


def test_lang_overrides_the_locale_and_lc_all_comes_before_lang(cli_env):
    assert "指定されたパス" in run(["scan", "/nonexistent", "--lang", "ja"], _locale_env(cli_env, LANG="C")).stderr
    assert "cannot read" in run(["--lang=en", "scan", "/x"], _locale_env(cli_env, LANG="ja_JP.UTF-8")).stderr
    assert language_from_env({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}) == "en"
    assert language_from_env({"LC_MESSAGES": "ja_JP.eucJP", "LANG": "C"}) == "ja"
    assert language_from_env({}) == "en"


def _code_messages() -> set[str]:
    found = extract_from_dir(str(ROOT / "scanner"), method_map=[("**.py", "python")], keywords=KEYWORDS)
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in found}


def test_every_message_in_the_code_has_a_japanese_translation_with_the_same_placeholders():
    catalog = read_po(PO.open("rb"), locale="ja")
    def fields(text: str) -> tuple[list[str], list[str]]:
        """Brace fields (any order) and %-conversions (in order: a log line's arguments are positional)."""
        return (sorted(f for _t, f, _s, _c in string.Formatter().parse(text.replace("%%", "")) if f),
                re.findall(r"%[-.0-9]*[sdf]", text))
    missing, broken = [], []
    for msgid in sorted(_code_messages()):
        entry = catalog.get(msgid)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else (
            (entry.string,) if entry is not None else ())
        if not strings or not all(strings):
            missing.append(msgid)
        elif any(fields(msgid) != fields(s) for s in strings):
            broken.append(msgid)
    assert missing == [] and broken == []


def test_the_compiled_catalog_is_the_po_file():
    def flat(value):  # a plural's id and strings come as a tuple from one reader, a list from the other
        return tuple(value) if isinstance(value, (list, tuple)) else value

    po = {flat(m.id): flat(m.string) for m in read_po(PO.open("rb"), locale="ja") if m.id}
    mo = {flat(m.id): flat(m.string) for m in read_mo(PO.with_suffix(".mo").open("rb")) if m.id}
    assert mo == po, "run: pybabel compile -d scanner/i18n/locale -D mynumber_dlp"


def test_no_module_that_translates_assigns_to_the_underscore():
    """``cfg, _ = ...`` in a function makes ``_`` a local there: every ``_()`` in it then fails."""
    import ast

    offenders = []
    for path in sorted((ROOT / "scanner").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = any(isinstance(n, ast.ImportFrom) and n.module == "scanner.i18n" and
                      any(a.name == "_" for a in n.names) for n in ast.walk(tree))
        stores = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "_"
                  and isinstance(n.ctx, ast.Store)]
        if imports and stores:
            offenders.append(f"{path.relative_to(ROOT)}:{stores}")
    assert offenders == []


def test_a_daemon_with_language_ja_logs_and_alerts_in_japanese(tmp_path, cli_env):
    from tests.test_daemon import Served, wait_for

    cfg = tmp_path / "serve.toml"
    cfg.write_text(f'[serve]\nlanguage = "ja"\n\n[[serve.watch]]\npath = "{tmp_path / "watch"}"\nname = "share"\n',
                   encoding="utf-8")
    daemon = Served(tmp_path, _locale_env(cli_env, LANG="C.UTF-8"), config=cfg)
    try:
        (daemon.watch / "メモ.txt").write_text("個人番号：123456789018\n", encoding="utf-8")
        alert = wait_for(lambda: next(iter(daemon.alerts()), None))
        assert "マイナンバーと思われる番号 1 件" in alert["message"] and "123456789018" not in alert["message"]
        assert "を監視しています (inotify)" in (tmp_path / "stderr.log").read_text(encoding="utf-8")
    finally:
        daemon.stop()


def test_argparse_own_words_and_errors_follow_the_language(cli_env):
    ja_env, en_env = _locale_env(cli_env, LANG="ja_JP.UTF-8"), _locale_env(cli_env, LANG="C")
    ja_help, en_help = run(["scan", "--help"], ja_env), run(["scan", "--help"], en_env)
    assert ja_help.stdout.startswith("使い方: mynumber-dlp scan") and "\nオプション:\n" in ja_help.stdout
    assert "ファイルとディレクトリをスキャンする" in ja_help.stdout  # the subcommand's own description
    assert en_help.stdout.startswith("usage: mynumber-dlp scan") and "\noptions:\n" in en_help.stdout
    ja_bad, en_bad = run(["scan"], ja_env), run(["scan", "--lang", "en"], ja_env)
    assert ja_bad.returncode == en_bad.returncode == 2
    assert "mynumber-dlp scan: エラー: 次の引数が必要です: PATH" in ja_bad.stderr
    assert "mynumber-dlp scan: error: the following arguments are required: PATH" in en_bad.stderr


def test_every_argparse_message_has_a_japanese_translation_with_the_same_conversions():
    """argparse's words come from our catalog too: a newer Python with new ones fails here until translated."""
    import argparse

    from babel.messages.extract import extract_from_file

    catalog = read_po(PO.open("rb"), locale="ja")
    conversions = re.compile(r"%(?:\([a-z_]+\))?[-.0-9]*[sdfr]")
    missing = []
    for _line, msgid, _comments, _context in extract_from_file("python", argparse.__file__, keywords=KEYWORDS):
        key = msgid if isinstance(msgid, str) else msgid[0]
        entry = catalog.get(key)
        text = (entry.string[0] if isinstance(entry.string, tuple) else entry.string) if entry is not None else ""
        if not text or sorted(conversions.findall(text)) != sorted(conversions.findall(key)):
            missing.append(key)
    assert missing == []


def test_config_errors_and_system_errors_are_in_the_users_language(tmp_path, cli_env):
    cfg = tmp_path / "serve.toml"
    cfg.write_text('[serve]\nwatchs = []\n', encoding="utf-8")
    ja = run(["config", "check", str(cfg)], _locale_env(cli_env, LANG="ja_JP.UTF-8"))
    en = run(["config", "check", str(cfg)], _locale_env(cli_env, LANG="C"))
    assert ja.returncode == en.returncode == 2
    assert "serve.watchs: 不明なキーです ('watch' の間違いではありませんか?)" in ja.stderr
    assert "serve.watchs: unknown key (did you mean 'watch'?)" in en.stderr
    (tmp_path / "bad.toml").write_text('[scan]\nmin_confidence = 3\n', encoding="utf-8")
    ja = run(["scan", "--config", str(tmp_path / "bad.toml"), str(tmp_path)], _locale_env(cli_env, LANG="ja_JP.UTF-8"))
    assert "'min_confidence' は \"low\"、\"medium\"、\"high\" のいずれか で指定してください" in ja.stderr
    ja = run(["scan", "-o", str(tmp_path / "no" / "out.txt"), str(cfg)], _locale_env(cli_env, LANG="ja_JP.UTF-8"))
    assert ja.returncode == 2 and "そのようなファイルやディレクトリはありません" in ja.stderr
    assert "No such file" not in ja.stderr  # the C library's English text is replaced


def test_os_error_text_falls_back_to_the_c_library_text_for_rare_errors():
    import errno

    from scanner.i18n import os_error_text, set_language

    set_language("ja")
    try:
        assert os_error_text(PermissionError(errno.EACCES, "Permission denied")) == "アクセスが拒否されました"
        assert os_error_text(OSError(errno.EXDEV, "Invalid cross-device link")) == "Invalid cross-device link"
    finally:
        set_language("en")
    assert os_error_text(PermissionError(errno.EACCES, "Permission denied")) == "Permission denied"
