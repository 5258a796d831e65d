"""pytest plugin (registered through the `pytest11` entry point): the simulator as fixtures.

- `simulator_server` (session): the simulator in-process on a free loopback port, served by
  waitress in a thread, with `isolation: credential`.
- `simulator` (per test): a namespace of its own (resources, clock, faults, journal) and an API
  key that leads to it, so an unmodified vendor SDK given `simulator.api_key` is isolated from
  every other test, under pytest-xdist too.

    def test_stop_is_deferred(simulator):
        simulator.load("scenarios/sparrow-init-stop.yaml")
        simulator.freeze()
        ...  # drive your client against simulator.url with simulator.api_key
        simulator.advance(20)
        assert simulator.resource("sparrow", "analysis", 2101)["state"] == "STOP"
"""
from __future__ import annotations

import json
import os
import threading
import uuid
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest

from .http.namespaces import NAMESPACE_HEADER, credential_namespace
from .shipped import shipped_names


class SimulatorError(RuntimeError):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"control API answered {status}: {body}")
        self.status = status
        self.body = body


class SimulatorServer:
    """A simulator served by waitress on a background thread."""

    def __init__(self, scenarios: list[str] | None = None, threads: int = 16,
                 control_token: str | None = None, *, settings=None, vendors=None) -> None:
        """settings: a whole simulator.settings.Settings instead of the three above; vendors: the
        declarations to serve (create_app's default: the packages in simulator/vendors)."""
        from .app import create_app
        from .http.server import build_server
        from .settings import Settings

        settings = settings or Settings(scenarios=scenarios or [], isolation="credential", threads=threads,
                                        control_token=control_token)
        self.control_token = settings.control_token
        self.app = create_app(settings, vendors=vendors)
        self._server = build_server(self.app, settings, host="127.0.0.1", port=0)
        self.url = f"http://127.0.0.1:{self._server.effective_port}"
        self.app.extensions["simulator"].listening_on("127.0.0.1", self._server.effective_port)
        self._thread = threading.Thread(target=self._server.run, name="simulator-server", daemon=True)

    def start(self) -> SimulatorServer:
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop at once. The serving thread closes every socket itself (from here, closing them
        races its select: "Bad file descriptor"); with none left its loop ends."""
        server = self._server

        def close_every_channel() -> None:
            for channel in list(server._map.values()):
                channel.close()

        if self._thread.is_alive():
            server.trigger.pull_trigger(close_every_channel)
            self._thread.join(timeout=5)
        else:
            server.close()
        server.task_dispatcher.shutdown(timeout=5)
        self.app.extensions["simulator"].close()


class Simulator:
    """One test's view of the simulator: its own namespace, reached by `api_key` or the header."""

    def __init__(self, url: str, api_key: str | None = None, control_token: str | None = None) -> None:
        self.url = url
        self.api_key = api_key or f"sim-{uuid.uuid4().hex}"
        self.namespace = credential_namespace(self.api_key)
        self.headers = {NAMESPACE_HEADER: self.namespace}
        if control_token:
            self.headers["Authorization"] = f"Bearer {control_token}"

    # --- plumbing --------------------------------------------------------------------------------
    def control(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
                content_type: str = "application/json", **query: Any) -> Any:
        params = {k: v for k, v in query.items() if v is not None}
        url = f"{self.url}/_simulator{path}" + (f"?{urlencode(params)}" if params else "")
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {**self.headers, **({"Content-Type": content_type} if data is not None else {})}
        try:
            with urlopen(Request(url, data=data, method=method, headers=headers), timeout=30) as response:
                text = response.read()
        except HTTPError as error:
            payload = error.read()
            raise SimulatorError(error.code, json.loads(payload) if payload else None) from None
        return json.loads(text) if text else None

    # --- scenarios and state ---------------------------------------------------------------------
    def load(self, scenario: str | Path | dict) -> dict:
        """Load into this namespace a scenario file (YAML), a scenario given as a dict, or, when no
        such file exists, the shipped scenario of that name (`simulator scenarios` lists them)."""
        if isinstance(scenario, dict):
            return self.control("POST", "/scenarios", scenario)
        if isinstance(scenario, str) and not Path(scenario).exists() and scenario in shipped_names():
            return self.control("POST", "/scenarios", name=scenario)
        return self.control("POST", "/scenarios", raw=Path(scenario).read_bytes(), content_type="application/yaml")

    def reset(self) -> dict:
        return self.control("POST", "/reset")

    def resources(self, vendor: str | None = None, kind: str | None = None) -> list[dict]:
        return self.control("GET", "/resources", vendor=vendor, kind=kind)["resources"]

    def resource(self, vendor: str, kind: str, id: Any) -> dict:
        return self.control("GET", f"/resources/{vendor}/{kind}/{id}")

    def state(self, vendor: str, kind: str, id: Any) -> str:
        return self.resource(vendor, kind, id)["state"]

    # --- the clock -------------------------------------------------------------------------------
    def clock(self) -> dict:
        return self.control("GET", "/clock")

    def advance(self, seconds: float | str) -> dict:
        return self.control("POST", "/clock/advance", {"seconds": seconds})

    def freeze(self) -> dict:
        return self.control("PUT", "/clock", {"frozen": True})

    def unfreeze(self) -> dict:
        return self.control("PUT", "/clock", {"frozen": False})

    def speed(self, factor: float) -> dict:
        return self.control("PUT", "/clock", {"speed": factor})

    # --- the journal -----------------------------------------------------------------------------
    def requests(self, **filters: Any) -> list[dict]:
        """Journal entries; filters: vendor, operation, status, method, path, since, limit."""
        return self.control("GET", "/requests", **filters)["requests"]

    def request_count(self, **filters: Any) -> int:
        return self.control("GET", "/requests/count", **filters)["count"]

    def clear_requests(self) -> int:
        return self.control("DELETE", "/requests")["cleared"]

    # --- faults ----------------------------------------------------------------------------------
    def add_fault(self, rule: dict) -> dict:
        return self.control("POST", "/faults", rule)

    def fail(self, vendor: str, operation: str, status: int, *, times: int | None = None, **respond: Any) -> dict:
        """Answer `status` (documented for the operation) on every call, or on the first `times` calls."""
        when = {"first": times} if times else {"every": True}
        return self.add_fault({"match": {"vendor": vendor, "operation": operation}, "when": when,
                               "respond": {"status": status, **respond}})

    def delay(self, seconds: float, vendor: str | None = None, operation: str | None = None) -> dict:
        match = {k: v for k, v in (("vendor", vendor), ("operation", operation)) if v}
        return self.add_fault({"match": match, "latency": {"fixed": seconds}})

    def faults(self) -> list[dict]:
        return self.control("GET", "/faults")["faults"]

    def remove_fault(self, rule_id: str) -> None:
        self.control("DELETE", f"/faults/{rule_id}")

    def clear_faults(self) -> None:
        self.control("DELETE", "/faults")

    def close(self) -> None:
        try:
            self.control("DELETE", f"/namespaces/{self.namespace}")
        except (SimulatorError, OSError):
            pass


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("simulator", "vendor simulator")
    group.addoption("--simulator-scenario", action="append", default=[], metavar="FILE|NAME",
                    help="scenario loaded into every test's namespace: a file, or a shipped scenario's name "
                    "(repeatable)")
    group.addoption("--simulator-control-token", default=None, metavar="TOKEN",
                    help="protect the session server's control API with this token (default: env "
                    "SIMULATOR_CONTROL_TOKEN); the fixtures send it")
    parser.addini("simulator_scenarios", "scenarios (files or shipped names) loaded into every test's namespace",
                  type="linelist", default=[])


def _scenario_reference(root: Path, reference: str) -> str:
    """A file relative to the rootdir, else (no such file) the name of a shipped scenario as given."""
    path = Path(reference) if Path(reference).is_absolute() else root / reference
    return reference if not path.exists() and reference in shipped_names() else str(path)


@pytest.fixture(scope="session")
def simulator_server(pytestconfig: pytest.Config):
    scenarios = [*pytestconfig.getini("simulator_scenarios"), *pytestconfig.getoption("simulator_scenario")]
    root = Path(str(pytestconfig.rootpath))
    token = pytestconfig.getoption("simulator_control_token") or os.environ.get("SIMULATOR_CONTROL_TOKEN") or None
    server = SimulatorServer([_scenario_reference(root, s) for s in scenarios], control_token=token).start()
    yield server
    server.close()


@pytest.fixture
def simulator(simulator_server: SimulatorServer):
    handle = Simulator(simulator_server.url, control_token=simulator_server.control_token)
    yield handle
    handle.close()
