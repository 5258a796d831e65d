"""The recorder sees what the SDKs' HTTP libraries receive from a live server, streams included,
and hands them the same bytes."""
from __future__ import annotations

import httpx
import requests

from tests.vendors.twelvelabs.helpers import BASE, KEY, general_body

from .recorder import Ledger, hook_clients


def test_requests_and_httpx_exchanges_are_recorded_unchanged(live_server_factory, monkeypatch):
    server = live_server_factory()
    ledger = Ledger()
    hook_clients(monkeypatch, ledger)

    created = requests.post(f"{server.url}{BASE}", json=general_body(2), headers=KEY, timeout=10)
    assert created.status_code == 201
    assert requests.get(f"{server.url}/_simulator/clock", timeout=10).status_code == 200  # not a vendor path
    with httpx.Client(timeout=10) as client, client.stream(
            "GET", f"{server.url}{BASE}/{created.json()['batch_id']}/results", headers=KEY) as streamed:
        lines = list(streamed.iter_lines())
    pipelines = httpx.get(f"{server.url}/v0/pipelines?selector=status", timeout=10)

    first, second, third = ledger.exchanges
    assert (first.source, first.vendor, first.method, first.path, first.status) == (
        "requests", "twelvelabs", "POST", BASE, 201)
    assert first.body == created.content and b'"model_name"' in first.request_body
    assert (second.source, second.content_type, second.status) == ("httpx", "application/jsonl", 200)
    assert second.body.decode().splitlines() == lines and len(lines) == 2
    assert (third.vendor, third.query, third.body) == ("feldera", [("selector", "status")], pipelines.content)
