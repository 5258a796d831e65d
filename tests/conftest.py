"""Shared fixtures: an app per test, the control API as a user drives it, and live servers."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from simulator.app import create_app
from simulator.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


class Control:
    """The /_simulator control API through a Flask test client."""

    def __init__(self, client) -> None:
        self.client = client

    def advance(self, seconds: float) -> dict:
        response = self.client.post("/_simulator/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def freeze(self) -> dict:
        return self.client.put("/_simulator/clock", json={"frozen": True}).get_json()

    def load(self, scenario: dict) -> dict:
        response = self.client.post("/_simulator/scenarios", json=scenario)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    def resource(self, vendor: str, kind: str, id) -> dict:
        response = self.client.get(f"/_simulator/resources/{vendor}/{kind}/{id}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def state(self, vendor: str, kind: str, id) -> str:
        return self.resource(vendor, kind, id)["state"]


@pytest.fixture
def app():
    """A fresh app with no scenario and a frozen clock: time moves only when a test advances it."""
    store = os.environ.get("SIM_TEST_STORE")  # e.g. redis://127.0.0.1:6379: the suite on the shared store
    if store:
        import redis
        store = f"{store.rstrip('/')}/{int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:])}"  # a database per worker
        redis.Redis.from_url(store).flushdb()
    application = create_app(Settings(store=store))
    application.extensions["simulator"].simulation.change_clock(lambda clock: clock.configure(frozen=True))
    return application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def control(client) -> Control:
    return Control(client)


class LiveServer:
    def __init__(self, process: subprocess.Popen, url: str, output: str = "") -> None:
        self.process = process
        self.url = url
        self.output = output  # what it printed up to its "listening on" line

    def control(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.url}/_simulator{path}", timeout=10, **kwargs)


def start_server(*args: str, timeout: float = 20.0) -> LiveServer:
    """`python -m simulator serve --port 0 ARGS...` in a subprocess; returns once it listens."""
    command = [sys.executable, "-m", "simulator", "serve", "--port", "0", *args]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + timeout
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"listening on (http://\S+?) ", line)
        if match:
            return LiveServer(process, match.group(1), "".join(lines))
    process.kill()
    raise RuntimeError("the simulator did not start:\n" + "".join(lines))


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
    if server.process.stdout:
        server.process.stdout.close()


@pytest.fixture
def live_server_factory() -> Iterator:
    started: list[LiveServer] = []

    def factory(*args: str) -> LiveServer:
        server = start_server(*args)
        started.append(server)
        return server

    yield factory
    for server in started:
        stop_server(server)
