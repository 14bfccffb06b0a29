"""``mynumber-dlp fingerprint`` reads lists as ``scan`` reads files: any encoding, any format."""

from __future__ import annotations

import hashlib
import hmac
import subprocess

import openpyxl
import pytest

from tests.conftest import CLI, TEST_KEY

N = "123456789018"
WANT = hmac.new(TEST_KEY.encode(), N.encode(), hashlib.sha256).hexdigest()


def _fingerprints(path, env, *extra):
    p = subprocess.run(CLI + ["fingerprint", str(path), *extra], env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert N not in p.stdout + p.stderr
    return [line for line in p.stdout.splitlines() if not line.startswith("#")]


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp", "utf-16", "utf-8-sig"])
def test_a_csv_column_in_any_japanese_encoding(tmp_path, cli_env, encoding):
    f = tmp_path / "list.csv"
    f.write_bytes(f"氏名,個人番号,社員番号\n山田,{N},123456789019\n".encode(encoding))
    assert _fingerprints(f, cli_env, "--column", "個人番号") == [WANT]


def test_an_xlsx_column_numeric_or_text(tmp_path, cli_env):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["氏名", "個人番号"])
    ws.append(["山田", int(N)])
    ws.append(["佐藤", N])
    wb.save(tmp_path / "list.xlsx")
    assert _fingerprints(tmp_path / "list.xlsx", cli_env, "--column", "個人番号") == [WANT]


def test_a_missing_column_is_a_one_line_error(tmp_path, cli_env):
    f = tmp_path / "list.csv"
    f.write_text(f"a,b\n{N},x\n", encoding="utf-8")
    p = subprocess.run(CLI + ["fingerprint", str(f), "--column", "個人番号"], env=cli_env, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "個人番号" in p.stderr
