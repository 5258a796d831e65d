"""The plugin's in-process server stops at once, and scenarios can be named by their shipped name."""
from __future__ import annotations

import socket
import time

import pytest
import requests

from simulator.pytest_plugin import SimulatorServer

pytest_plugins = ["pytester"]


def test_close_stops_at_once_even_with_a_keep_alive_connection_open():
    server = SimulatorServer().start()
    session = requests.Session()  # keeps its connection open, as a user's client would
    assert session.get(f"{server.url}/_simulator/health", timeout=10).status_code == 200
    port = int(server.url.rsplit(":", 1)[1])
    started = time.perf_counter()
    server.close()
    took = time.perf_counter() - started
    assert took < 1.0, f"close took {took:.2f} s"
    assert not server._thread.is_alive()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass  # nothing listens any more
    session.close()


def test_a_shipped_scenario_by_name_from_the_option_and_from_load(pytester):
    pytester.makepyfile('''
        def test_default_everywhere(simulator):
            assert simulator.state("sparrow", "analysis", 1004) == "ANALYSIS"

        def test_load_by_name(simulator):
            loaded = simulator.load("sparrow-init-stop")
            assert loaded["name"] == "sparrow-init-stop"
            assert loaded["source"] == "scenarios/sparrow-init-stop.yaml"
    ''')
    result = pytester.runpytest_subprocess("--simulator-scenario", "default", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    assert "Exception in thread" not in result.stderr.str()
