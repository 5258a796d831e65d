"""Live-server harness for the hardening suite: real sockets on loopback, every wait bounded.

Each test drives a real `simulator serve` subprocess (tests/conftest.py's start_server) the way a
hostile or careless client would, then checks the outcome from outside: the answer and its envelope,
the state afterwards through the control API, the journal entry, health, and the process' memory.
"""
from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import SCENARIOS, LiveServer, start_server, stop_server

SPARROW_AUTH = {"Authorization": "Bearer hardening-key"}  # the default scenario lists no keys: any is taken
DEFAULT_SCENARIO = str(SCENARIOS / "default.yaml")
TIMEOUT = 10.0  # seconds: the longest any single request of this suite may take


@pytest.fixture
def live() -> Iterator[LiveServer]:
    """A server with the default scenario and a frozen clock."""
    server = start_server("--scenario", DEFAULT_SCENARIO)
    try:
        response = server.control("PUT", "/clock", json={"frozen": True})
        assert response.status_code == 200, response.text
        yield server
    finally:
        stop_server(server)


@pytest.fixture
def server_with(live_server_factory):
    """A factory for servers started with extra CLI arguments (each stopped after the test)."""
    return live_server_factory


@pytest.fixture(scope="module")
def shared() -> Iterator[LiveServer]:
    """One frozen default-scenario server per module, for refusals: each must leave it exactly as it was."""
    server = start_server("--scenario", DEFAULT_SCENARIO)
    try:
        assert server.control("PUT", "/clock", json={"frozen": True}).status_code == 200
        yield server
    finally:
        stop_server(server)


def address(server: LiveServer) -> tuple[str, int]:
    host, _, port = server.url.removeprefix("http://").rpartition(":")
    return host.strip("[]"), int(port)


def raw_exchange(server: LiveServer, payload: bytes, timeout: float = TIMEOUT) -> bytes:
    """Send raw bytes on a fresh connection and read until the server closes it or the time is up."""
    chunks = []
    deadline = time.monotonic() + timeout
    with socket.create_connection(address(server), timeout=timeout) as sock:
        sock.sendall(payload)
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def vm_kib(server: LiveServer, field: str = "VmHWM") -> int:
    """A memory figure of the server process from /proc (VmHWM: peak resident set; VmRSS: now), in KiB."""
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{field} not found for pid {server.process.pid}")


def assert_healthy(server: LiveServer, within: float = 1.0) -> None:
    """/_simulator/health answers 200 within `within` seconds."""
    started = time.monotonic()
    response = requests.get(f"{server.url}/_simulator/health", timeout=within + 1)
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ok"
    assert elapsed < within, f"health took {elapsed:.2f}s"


def journal(server: LiveServer, **filters) -> list[dict]:
    response = server.control("GET", "/requests", params=filters)
    assert response.status_code == 200, response.text
    return response.json()["requests"]


def state_of(server: LiveServer, vendor: str, kind: str, id) -> dict:
    response = server.control("GET", f"/resources/{vendor}/{kind}/{id}")
    assert response.status_code == 200, response.text
    return response.json()


def snapshot(server: LiveServer) -> dict:
    """Everything observable about the default namespace's world, to compare before and after."""
    clock = server.control("GET", "/clock").json()
    resources = server.control("GET", "/resources").json()["resources"]
    faults = server.control("GET", "/faults").json()["faults"]
    return {"clock": clock, "resources": resources, "faults": faults}
