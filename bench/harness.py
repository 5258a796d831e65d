"""What both benchmarks share: servers pinned to one core, load generators on another, HTTP helpers.

Pinning: with two or more usable cores the servers run on the first and this process (with every load
generator it starts) on the second, so the server under test never borrows the load generator's core.
With one core nothing is pinned, and `Cores.describe()` says so.
"""
from __future__ import annotations

import http.client
import itertools
import json
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
AUTH = "Bearer bench"
API_KEY = "bench"
HEADERS = {"Authorization": AUTH, "x-api-key": API_KEY}


# --- cores ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cores:
    server: int | None
    load: int | None

    @classmethod
    def detect(cls, pin: bool = True) -> Cores:
        usable = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        if pin and len(usable) >= 2:
            return cls(usable[0], usable[1])
        return cls(None, None)

    @property
    def pinned(self) -> bool:
        return self.server is not None

    def describe(self) -> str:
        if self.pinned:
            return f"pinned: servers on core {self.server}, load generator on core {self.load}"
        count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return (f"NOT pinned ({count} usable core(s)): server and load generator share the CPU, so the "
                f"server may borrow the load generator's time and the ratios are less trustworthy")

    def pin_self_to_load_core(self) -> None:
        if self.pinned:
            os.sched_setaffinity(0, {self.load})

    def server_preexec(self):
        if not self.pinned:
            return None
        core = self.server
        return lambda: os.sched_setaffinity(0, {core})


# --- servers -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment() -> dict[str, str]:
    """This environment, minus PYTHONDONTWRITEBYTECODE: an installed simulator runs from cached bytecode,
    so a server must not recompile every module of the project on each start (about 0.3 s here)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def wait_listening(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listens on {port} after {timeout:g}s")


class Server:
    """A server subprocess on the server core; `rss()` reads its resident memory."""

    def __init__(self, command: list[str], port: int, cores: Cores, wait: bool = True):
        self.port = port
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, cwd=ROOT, env=server_environment(),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        preexec_fn=cores.server_preexec())
        if wait:
            wait_listening(port, self.process)

    @classmethod
    def simulator(cls, cores: Cores, *options: str, wait: bool = True) -> Server:
        port = free_port()
        return cls([sys.executable, "-m", "simulator", "serve", "--port", str(port), *options], port, cores, wait)

    @classmethod
    def bare(cls, cores: Cores, threads: int) -> Server:
        port = free_port()
        return cls([sys.executable, "bench/bare_app.py", str(port), str(threads)], port, cores)

    def rss(self) -> int:
        """Resident memory in bytes (VmRSS), 0 where /proc is missing."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        return int(match.group(1)) * 1024 if match else 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


# --- plain requests ------------------------------------------------------------------------------

def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 60) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={**HEADERS, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def analyses_scenario(name: str, first_id: int, count: int) -> dict:
    """`count` Sparrow analyses mid-analysis for a day: each one can be stopped once, successfully."""
    return {"name": name, "description": f"{count} Sparrow analyses for the benchmark",
            "resources": [{"vendor": "sparrow", "kind": "analysis", "id": first_id + n, "state": "ANALYSIS",
                           "remaining": "1d", "fields": {"toolType": "SAST"}} for n in range(count)]}


def load_scenario(port: int, document: dict, namespace: str | None = None, timeout: float = 600) -> float:
    """POST a scenario as JSON; the seconds it took. Raises on anything but 201."""
    headers = {"Content-Type": "application/json", **({"X-Simulator-Namespace": namespace} if namespace else {})}
    body = json.dumps(document).encode()
    started = time.monotonic()
    status, answer = request(port, "POST", "/_simulator/scenarios", body, headers, timeout)
    took = time.monotonic() - started
    if status != 201:
        raise RuntimeError(f"loading {document['name']} answered {status}: {answer[:300]!r}")
    return took


# --- load generators -----------------------------------------------------------------------------

@dataclass
class Load:
    """One measurement: requests/s and the 99th percentile latency in seconds."""
    rps: float
    p99: float
    p50: float
    requests: int
    non_2xx: int


@dataclass(frozen=True)
class Target:
    """What to request: a fixed path, or `path` with `{id}` filled from first_id upwards (one id a request)."""
    method: str
    path: str
    first_id: int | None = None


_WRK_SCRIPT = """
local method, template, next_id = "{method}", "{path}", {first_id}
local headers = {{["Authorization"] = "{auth}", ["x-api-key"] = "{api_key}"}}
function request()
  local path = template
  if next_id then
    path = string.gsub(template, "{{id}}", tostring(next_id))
    next_id = next_id + 1
  end
  return wrk.format(method, path, headers)
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _wrk_seconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def parse_wrk(out: str) -> Load:
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return Load(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                p99=_wrk_seconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
                p50=_wrk_seconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
                requests=requests, non_2xx=failed)


def run_wrk(port: int, target: Target, seconds: float, connections: int) -> Load:
    script = _WRK_SCRIPT.format(method=target.method, path=target.path, auth=AUTH, api_key=API_KEY,
                                first_id="nil" if target.first_id is None else target.first_id)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-") as file:
        file.write(script)
        file.flush()
        command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "--latency",
                   "--timeout", "30s", "-s", file.name, f"http://127.0.0.1:{port}/"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def _python_worker(port: int, target: Target, seconds: float, connections: int, queue) -> None:
    ids = itertools.count(target.first_id) if target.first_id is not None else None
    latencies: list[float] = []
    failed = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop():
        nonlocal failed
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < deadline:
            path = target.path.replace("{id}", str(next(ids))) if ids is not None else target.path
            started = time.perf_counter()
            connection.request(target.method, path, headers={**HEADERS, "Content-Length": "0"})
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            bad += not 200 <= response.status < 300
        with lock:
            latencies.extend(mine)
            failed += bad

    workers = [threading.Thread(target=loop) for _ in range(connections)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    queue.put(Load(rps=len(latencies) / elapsed, p99=percentile(latencies, 0.99), p50=percentile(latencies, 0.5),
                   requests=len(latencies), non_2xx=failed))


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def run_python(port: int, target: Target, seconds: float, connections: int) -> Load:
    """The fallback without wrk: keep-alive connections, one thread each, in a separate process."""
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_python_worker, args=(port, target, seconds, connections, queue))
    process.start()
    load = queue.get()
    process.join()
    return load


def measure(tool: str, port: int, target: Target, seconds: float, connections: int) -> Load:
    runner = run_wrk if tool == "wrk" else run_python
    return runner(port, target, seconds, connections)


def med(values) -> float:
    values = [v for v in values if v is not None]
    return median(values) if values else float("nan")
