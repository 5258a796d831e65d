"""No client can starve the server: long latencies, many delayed requests, many idle connections."""
from __future__ import annotations

import socket
import threading
import time
from contextlib import ExitStack

import requests

from tests.hardening.conftest import DEFAULT_SCENARIO, SPARROW_AUTH, address, assert_healthy, journal

ANALYSIS = "/api/v3/analysis/1006"


def _ask_for_latency(url: str, latency: str, answers: list, timeout: float) -> None:
    try:
        response = requests.get(url, headers={**SPARROW_AUTH, "X-Simulator-Fault": f"latency={latency}"},
                                timeout=timeout)
        answers.append((response.status_code, time.monotonic()))
    except requests.RequestException as exc:
        answers.append((type(exc).__name__, time.monotonic()))


def test_twenty_requests_asking_for_20s_latency_leave_the_server_answering(server_with):
    server = server_with("--scenario", DEFAULT_SCENARIO)  # default: 16 threads, 8 of them may sleep
    answers: list = []
    started = time.monotonic()
    clients = [threading.Thread(target=_ask_for_latency, args=(server.url + ANALYSIS, "20s", answers, 3),
                                daemon=True) for _ in range(20)]
    for client in clients:
        client.start()
    time.sleep(0.5)  # real time for the 20 requests to reach the server (nothing virtual waits on this)

    assert_healthy(server, within=1.0)
    plain_started = time.monotonic()
    plain = requests.get(server.url + ANALYSIS, headers=SPARROW_AUTH, timeout=2)
    assert plain.status_code == 200 and plain.json()["analysisId"] == 1006
    assert time.monotonic() - plain_started < 1.0

    for client in clients:
        client.join(timeout=5)
    undelayed = [at for status, at in answers if status == 200]
    assert len(undelayed) == 12 and all(at - started < 3 for at in undelayed)  # beyond the 8 slots: at once
    assert sum(1 for status, _ in answers if status == "ReadTimeout") == 8  # the 8 that sleep
    skipped = [e for e in journal(server, vendor="sparrow") if any("latency skipped" in f for f in e["faults"])]
    assert len(skipped) == 12 and all(e["status"] == 200 for e in skipped)


def test_latency_is_capped_by_max_latency(server_with):
    server = server_with("--scenario", DEFAULT_SCENARIO, "--max-latency", "300ms")
    rule = {"match": {"vendor": "sparrow", "operation": "getAnalysis"}, "latency": {"fixed": "1h"}}
    assert server.control("POST", "/faults", json=rule).status_code == 201
    for headers in ({}, {"X-Simulator-Fault": "latency=10m"}):
        started = time.monotonic()
        answer = requests.get(server.url + ANALYSIS, headers={**SPARROW_AUTH, **headers}, timeout=5)
        elapsed = time.monotonic() - started
        assert answer.status_code == 200 and 0.3 <= elapsed < 2, elapsed
    entries = journal(server, vendor="sparrow")[-2:]
    assert all("latency capped at 0.3s (--max-latency)" in entry["faults"] for entry in entries)
    assert_healthy(server)


def test_hundreds_of_idle_connections_do_not_exhaust_the_server(server_with):
    server = server_with("--scenario", DEFAULT_SCENARIO)
    with ExitStack() as stack:
        for _ in range(400):  # connected, never sending a byte
            stack.enter_context(socket.create_connection(address(server), timeout=5))
        assert_healthy(server, within=1.0)
        answer = requests.get(server.url + ANALYSIS, headers=SPARROW_AUTH, timeout=2)
        assert answer.status_code == 200
