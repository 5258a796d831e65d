"""An app leaves nothing behind: its dispatcher thread stops with it, and no cache outlives it."""
from __future__ import annotations

import gc
import threading

from simulator.app import SimulatorFlask, create_app
from simulator.pytest_plugin import SimulatorServer

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


def test_the_plugin_server_stops_its_dispatcher_on_close():
    # Not started: its close takes the same path to the app (waitress's own shutdown is tested in tests/plugin).
    before = set(threading.enumerate())
    server = SimulatorServer()
    _ring(server.app)
    assert len(_new_threads(before)) == 1

    server.close()

    assert _new_threads(before) == []
