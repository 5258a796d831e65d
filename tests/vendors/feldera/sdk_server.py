"""The official SDK's side of the Feldera tests: a live server at speed 20 and a client for it."""
from __future__ import annotations

from pathlib import Path

import pytest
from feldera import FelderaClient

from tests.conftest import start_server, stop_server

SCENARIO = Path(__file__).with_name("sdk.scenario.yaml")
SQL = "CREATE TABLE t1 (id INT);\nCREATE MATERIALIZED VIEW v1 AS SELECT * FROM t1;"
TIMEOUT = 20  # real seconds: a safety net so a regression fails instead of hanging


@pytest.fixture(scope="module")
def server():
    live = start_server("--scenario", str(SCENARIO), "--speed", "20")
    yield live
    stop_server(live)


@pytest.fixture
def client(server) -> FelderaClient:
    return FelderaClient(server.url, timeout=10)
