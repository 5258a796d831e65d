"""`make screenshots`: docs/dashboard.png from the same browser set-up as the browser tests.

A live server with the default scenario, moved on 62 virtual seconds, a few client requests and a
fault rule, then the page with one analysis' timeline open. The clock is frozen so the picture
does not depend on when it is taken.
"""
from __future__ import annotations

import sys
from pathlib import Path

import requests

from tests.browser.chromium import chromium
from tests.conftest import SCENARIOS, start_server, stop_server

VIEWPORT = {"width": 1440, "height": 1000}
KEY = {"Authorization": "Bearer demo-key"}


def stage(url: str) -> None:
    def control(method: str, path: str, **kwargs) -> None:
        requests.request(method, f"{url}/_simulator{path}", timeout=10, **kwargs).raise_for_status()

    control("PUT", "/clock", json={"frozen": True})
    control("POST", "/clock/advance", json={"seconds": 57})
    control("POST", "/faults", json={"id": "flaky-read", "match": {"vendor": "sparrow", "operation": "getAnalysis"},
                                     "when": {"first": 1}, "respond": {"status": 500}})
    for method, path, headers in [
        ("GET", "/api/v3/analysis/1004", KEY),
        ("GET", "/api/v3/analysis/1004", KEY),
        ("POST", "/api/v2/analysis/1005/stop", KEY),
        ("GET", "/v1.3/analyze/batches/66d000000000000000000002", {"x-api-key": "demo-key"}),
        ("GET", "/vendors/v1/machines/deployments/demo-running", {"X-API-Key": "demo-key"}),
        ("GET", "/v0/pipelines/orders-running", {}),
        ("GET", "/api/v3/analysis/9999", KEY),
    ]:
        requests.request(method, url + path, headers=headers, timeout=10)
    control("POST", "/clock/advance", json={"seconds": 5})


def main(target: str) -> None:
    server = start_server("--scenario", str(SCENARIOS / "default.yaml"))
    try:
        stage(server.url)
        with chromium() as browser:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(10_000)
            page.goto(f"{server.url}/_simulator/ui")
            page.wait_for_selector("#connection.live")
            page.click('tr[data-resource="sparrow/analysis/1003"]')
            page.wait_for_selector("#history tbody tr:nth-child(2)")
            page.wait_for_selector("#journal tbody tr.request")
            page.locator("#resources").evaluate("box => box.scrollTop = 0")
            page.wait_for_timeout(300)
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=target, full_page=True)
    finally:
        stop_server(server)
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/dashboard.png")
