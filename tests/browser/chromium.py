"""Debian's chromium driven by Playwright: one set-up for the browser tests and `make screenshots`.

Playwright's own browser download cannot work offline, so it launches the system chromium
(`apt-get install chromium`; another binary with SIMULATOR_CHROMIUM=/path). The background
networking flags keep chromium from calling home, which on a closed network floods it with retries.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
LAUNCH_TIMEOUT_MS = 30_000


def chromium_path() -> str:
    path = os.environ.get("SIMULATOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("the browser tests need Debian's chromium: `apt-get install chromium` "
                           "(or SIMULATOR_CHROMIUM=/path/to/chromium)")
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=ARGS, timeout=LAUNCH_TIMEOUT_MS)
        try:
            yield browser
        finally:
            browser.close()
