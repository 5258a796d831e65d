"""The dashboard in a real browser: Debian's chromium (Playwright) against a live `simulator serve`.

Each test gets its own server (the default scenario, clock frozen) and a fresh browser context
that refuses every request leaving the server's origin, so the page is proven to work offline.
Every wait is bounded: Playwright's default timeout, the server start, each HTTP call.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import Browser, Page, Route, expect

from tests.conftest import LiveServer
from tests.hardening.conftest import live  # noqa: F401 (a server with the default scenario, clock frozen)

from .chromium import chromium

WAIT_MS = 10_000  # the longest any one page action or expectation may take
expect.set_options(timeout=WAIT_MS)
UI = "/_simulator/ui"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@dataclass
class Dashboard:
    page: Page
    server: LiveServer
    requested: list[str] = field(default_factory=list)  # every URL the page asked for
    refused: list[str] = field(default_factory=list)  # URLs outside the server, refused offline
    errors: list[str] = field(default_factory=list)  # uncaught page errors

    def open(self, query: str = "") -> Page:
        self.page.goto(f"{self.server.url}{UI}{query}")
        self.page.wait_for_selector("#connection.live")
        return self.page

    def row(self, vendor: str, kind: str, id) -> str:
        return f'tr[data-resource="{vendor}/{kind}/{id}"]'

    def control(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.server.control(method, path, **kwargs)


@pytest.fixture
def dashboard(browser: Browser, live: LiveServer) -> Iterator[Dashboard]:  # noqa: F811 (the fixture above)
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    board = Dashboard(page, live)
    origin = urlsplit(live.url).netloc

    def offline(route: Route) -> None:
        url = route.request.url
        board.requested.append(url)
        if urlsplit(url).netloc == origin:
            route.continue_()
        else:
            board.refused.append(url)
            route.abort()

    context.route("**/*", offline)
    page.on("pageerror", lambda error: board.errors.append(str(error)))
    try:
        yield board
    finally:
        context.close()
    assert not board.errors, f"errors in the page: {board.errors}"
