"""An app leaves nothing behind: its dispatcher thread stops with it, and no cache outlives it."""
from __future__ import annotations

import gc
import json
import subprocess
import sys
import threading

from simulator.app import SimulatorFlask, create_app
from tests.conftest import ROOT

APPS = 30


def _new_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """Dispatcher threads started since `before` and still alive (other tests' threads do not count)."""
    return [thread for thread in threading.enumerate()
            if thread not in before and thread.is_alive() and thread.name == "simulator-dispatcher"]


def _ring(app) -> None:
    """A clock change plans deliveries, which starts the app's dispatcher thread."""
    response = app.test_client().post("/_simulator/clock/advance", json={"seconds": 1})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_dropped_apps_leave_no_thread_behind():
    before = set(threading.enumerate())
    apps = [create_app() for _ in range(APPS)]
    for app in apps:
        _ring(app)
    assert len(_new_threads(before)) == APPS

    del apps, app
    gc.collect()

    assert _new_threads(before) == []


def test_close_stops_the_dispatcher_at_once_and_for_good():
    before = set(threading.enumerate())
    app = create_app()
    _ring(app)
    assert len(_new_threads(before)) == 1

    app.extensions["simulator"].close()
    assert _new_threads(before) == []

    _ring(app)  # the app still answers, but nothing starts a dispatcher again
    assert _new_threads(before) == []
    app.extensions["simulator"].close()  # idempotent


def test_each_app_keeps_its_own_sync_cache():
    first, second = create_app(), create_app()
    first.test_client().get("/_simulator/health")
    assert first._sync and second._sync is not first._sync
    assert "_sync" not in vars(SimulatorFlask)  # no class-level cache shared by every app
    for app in (first, second):
        app.extensions["simulator"].close()


PLUGIN_SERVER = """
import json, threading
import requests
from simulator.pytest_plugin import SimulatorServer

def others():
    return sorted(t.name for t in threading.enumerate() if t is not threading.main_thread())

server = SimulatorServer().start()
answer = requests.post(server.url + "/_simulator/clock/advance", json={"seconds": 1}, timeout=5)
running = others()
server.close()
print(json.dumps({"status": answer.status_code, "running": running, "after_close": others()}))
"""


def test_the_plugin_server_stops_its_dispatcher_on_close():
    # In a process of its own: what it counts is every thread of the process.
    done = subprocess.run([sys.executable, "-c", PLUGIN_SERVER], capture_output=True, text=True, timeout=60,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["status"] == 200
    assert "simulator-dispatcher" in seen["running"]
    assert seen["after_close"] == []
