"""Debian's headless Chromium driven by its chromedriver (selenium), for the tests that need a
real browser: the block page through Squid, the HTML audit report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.sources.brokers.servers import Missing, find


def need(exe: str) -> str:
    """The program's path; in CI a missing one fails, elsewhere the test skips."""
    try:
        return find(exe)
    except Missing:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"{exe} not installed (tests/run.sh installs it)")


def headless_chromium(workdir: Path, proxy: str | None = None, size: tuple[int, int] = (1280, 1600)):
    """A Chrome driver; every request goes through ``proxy`` when given (loopback too:
    ``<-loopback>`` lifts Chromium's implicit bypass). Quit it when done."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = need("chromium")
    args = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            f"--window-size={size[0]},{size[1]}", f"--user-data-dir={workdir / 'chromium-profile'}"]
    if proxy:
        args += [f"--proxy-server={proxy}", "--proxy-bypass-list=<-loopback>"]
    for arg in args:
        options.add_argument(arg)
    service = Service(executable_path=need("chromedriver"), log_output=str(workdir / "chromedriver.log"))
    return webdriver.Chrome(service=service, options=options)
