"""What the one-world tests share: calls to one replica, Sparrow's documented answers, simulator
processes the tests may kill, and a callback receiver that knows which process sent each delivery."""
from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import ROOT, LiveServer, start_server, stop_server
from tests.vendorspec.specs import openapi30_to_json_schema

AUTH = {"Authorization": "Bearer demo-key"}
VCS = {"analysisSource": {"type": "VCS", "vcsInfo": {"url": "https://git.example/r.git", "branch": "main"}}}
SAST = {"resultVersion": 2, "memo": "one world", "sastOptions": VCS}
TIMEOUT = 20.0  # seconds any one call may take (a lock wait is at most 15 s)


def call(base: str, method: str, path: str, headers: dict | None = None, **kwargs) -> requests.Response:
    return requests.request(method, base + path, headers=headers, timeout=TIMEOUT, **kwargs)


def advance(base: str, seconds: float, headers: dict | None = None) -> dict:
    answer = call(base, "POST", "/_simulator/clock/advance", headers, json={"seconds": seconds})
    assert answer.status_code == 200, answer.text
    return answer.json()


def freeze(base: str, headers: dict | None = None) -> dict:
    answer = call(base, "PUT", "/_simulator/clock", headers, json={"frozen": True})
    assert answer.status_code == 200 and answer.json()["frozen"] is True, answer.text
    return answer.json()


def resource(base: str, vendor: str, kind: str, id: Any, headers: dict | None = None) -> dict:
    answer = call(base, "GET", f"/_simulator/resources/{vendor}/{kind}/{id}", headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def history(base: str, vendor: str, kind: str, id: Any, headers: dict | None = None) -> list[tuple[str, str]]:
    return [(h["state"], h["cause"]) for h in resource(base, vendor, kind, id, headers)["history"]]


def listed_ids(base: str, vendor: str, headers: dict | None = None) -> list[str]:
    answer = call(base, "GET", f"/_simulator/resources?vendor={vendor}", headers)
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["resources"]]


# --- Sparrow -------------------------------------------------------------------------------------

def create_analysis(base: str, body: dict | None = None, headers: dict | None = None) -> requests.Response:
    return call(base, "POST", "/api/v1/analysis/tool/sast", {**AUTH, **(headers or {})}, json=body or SAST)


def new_analysis(base: str, body: dict | None = None, headers: dict | None = None) -> int:
    answer = create_analysis(base, body, headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["analysisList"][0]["analysisId"]


def get_analysis(base: str, analysis_id: Any, headers: dict | None = None) -> requests.Response:
    return call(base, "GET", f"/api/v3/analysis/{analysis_id}", {**AUTH, **(headers or {})})


def stop_analysis(base: str, analysis_id: Any, headers: dict | None = None) -> requests.Response:
    return call(base, "POST", f"/api/v2/analysis/{analysis_id}/stop", {**AUTH, **(headers or {})})


class SparrowSpec:
    """The project's openapi/sparrow.yaml as the judge of a live answer: its status must be one the
    operation documents, and its body must match the schema documented for that status."""

    URI = "urn:simulator:sparrow"

    def __init__(self) -> None:
        document = yaml.safe_load((ROOT / "openapi" / "sparrow.yaml").read_text(encoding="utf-8"))
        self.document = openapi30_to_json_schema(document)
        self.registry = Registry().with_resource(
            self.URI, Resource.from_contents(self.document, default_specification=DRAFT202012))

    def operation(self, method: str, template: str) -> dict[str, Any]:
        return self.document["paths"][template][method.lower()]

    def problems(self, method: str, template: str, answer: requests.Response) -> list[str]:
        responses = self.operation(method, template)["responses"]
        documented = responses.get(str(answer.status_code))
        if documented is None:
            return [f"{answer.status_code} is not documented for {method} {template} (only {sorted(responses)})"]
        escaped = template.replace("~", "~0").replace("/", "~1")
        pointer = f"/paths/{escaped}/{method.lower()}/responses/{answer.status_code}"
        if "$ref" in documented:
            pointer = documented["$ref"].lstrip("#")
            documented = self.registry.resolver(self.URI).lookup(self.URI + documented["$ref"]).contents
        if answer.headers.get("Content-Type", "").split(";")[0] not in documented.get("content", {}):
            return [f"{answer.status_code} came as {answer.headers.get('Content-Type')!r}, documented as "
                    f"{sorted(documented.get('content', {}))}"]
        schema = {"$ref": f"{self.URI}#{pointer}/content/application~1json/schema"}
        validator = Draft202012Validator(schema, registry=self.registry)
        errors = validator.iter_errors(answer.json())
        return [f"{answer.status_code} {error.json_path}: {error.message}" for error in errors]


# --- processes -------------------------------------------------------------------------------------

class Replica:
    """A `simulator serve` process whose output is read as it comes (so a chatty process never blocks
    on a full pipe), and that a test may kill."""

    def __init__(self, *args: str) -> None:
        self.server: LiveServer = start_server(*args)
        self.url = self.server.url
        self.pid = self.server.process.pid
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            for line in self.server.process.stdout:
                self.output.append(line)
        except (OSError, ValueError):
            pass  # closed by stop()

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a crashed machine."""
        os.kill(self.pid, signal.SIGKILL)
        self.server.process.wait(timeout=10)

    @property
    def alive(self) -> bool:
        return self.server.process.poll() is None

    def stop(self) -> None:
        if self.alive:
            stop_server(self.server)


class World:
    """Two replicas already running, and a namespace of this test's own (fresh, so no test sees
    another's state): `ns` is its header, to send with every call."""

    def __init__(self, a: str, b: str, namespace: str) -> None:
        self.a, self.b = a, b
        self.urls = [a, b]
        self.ns = {"X-Simulator-Namespace": namespace}


def pair_on_own_redis():
    """A Redis of their own (never flushed by other tests) and two replicas on it, until the end."""
    from .redis_server import RedisServer

    server = RedisServer().start()
    replicas = [Replica("--store", server.url) for _ in range(2)]
    try:
        yield [replica.url for replica in replicas]
    finally:
        for replica in replicas:
            replica.stop()
        server.close()


def wait_until(condition: Callable[[], Any], timeout: float, what: str, pause: float = 0.05) -> Any:
    """Poll `condition` until it is truthy; fail naming `what` after `timeout` real seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(pause)


# --- callbacks ---------------------------------------------------------------------------------------

def pid_of_connection(port: int, pids: list[int]) -> int | None:
    """The process (among `pids`) that owns the loopback TCP socket bound to local `port` (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        lines = Path(table).read_text().splitlines()[1:] if Path(table).exists() else []
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                        return pid
                except OSError:
                    continue
        except OSError:
            continue
    return None


class CallbackReceiver:
    """Records each delivery with the simulator process that sent it. `hold_next()` makes the next
    delivery wait unanswered until `release()`: the sender is mid-attempt while it waits."""

    def __init__(self, pids: list[int], answer_after: Callable[[str], float] = lambda path: 0.0) -> None:
        self.pids = pids
        self.answer_after = answer_after  # path -> real seconds its answer takes (a slow receiver)
        self.answered: list[dict] = []  # deliveries answered 204
        self.held: list[dict] = []  # deliveries kept waiting, never answered
        self.changed = threading.Condition()
        self._hold = False
        self._release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
                record = {"body": body, "pid": pid_of_connection(self.client_address[1], receiver.pids),
                          "at": time.monotonic(), "path": self.path}
                with receiver.changed:
                    holding, receiver._hold = receiver._hold, False
                    (receiver.held if holding else receiver.answered).append(record)
                    receiver.changed.notify_all()
                if holding:
                    receiver._release.wait(timeout=30)
                    return  # no answer: the connection is closed unanswered
                time.sleep(receiver.answer_after(self.path))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> CallbackReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def hold_next(self) -> None:
        with self.changed:
            self._hold = True

    def release(self) -> None:
        self._release.set()

    def wait(self, condition: Callable[[CallbackReceiver], bool], timeout: float, what: str) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: condition(self), timeout=timeout):
                raise AssertionError(f"{what}: not within {timeout:g} s (answered {self.statuses()}, "
                                     f"held {[h['body']['status'] for h in self.held]})")

    def statuses(self) -> list[str]:
        return [record["body"]["status"] for record in self.answered]
