"""Shared fixtures: an engine with a test key, synthetic numbers with correct check digits."""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

from scanner.detect.checkdigit import check_digit
from scanner.detect.engine import Engine
from scanner.privacy.fingerprint import Fingerprinter
from scanner.rules.loader import load_ruleset

TEST_KEY = "test-fingerprint-key"
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def make_number(rng: random.Random) -> str:
    """A synthetic 12-digit number with a correct check digit (never a real person's)."""
    while True:
        first = "".join(str(rng.randrange(10)) for _ in range(11))
        n = first + str(check_digit(first))
        if len(set(n)) > 1:
            return n


def make_invalid(rng: random.Random) -> str:
    """A 12-digit number whose check digit is wrong."""
    n = make_number(rng)
    return n[:11] + str((int(n[11]) + 1 + rng.randrange(9)) % 10)


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset()


@pytest.fixture(scope="session")
def engine(ruleset):
    return Engine(ruleset, Fingerprinter(TEST_KEY))


@pytest.fixture
def rng():
    return random.Random(1234)


@pytest.fixture
def cli_env(tmp_path):
    """Environment for running the CLI as a subprocess with a known key and a private config dir."""
    env = dict(os.environ)
    env["MYNUMBER_DLP_FINGERPRINT_KEY"] = TEST_KEY
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    return env


CLI = [sys.executable, "-m", "scanner"]
ROOT = Path(__file__).resolve().parent.parent
