"""`make bench`: requests/s of the simulator against a bare Flask + waitress baseline, same run.

Both servers run as subprocesses with the same thread count; the load comes from another
process (wrk if installed, else a Python keep-alive load generator). Each pair of measurements is
taken back to back and repeated, and the ratio simulator / bare is reported per endpoint, since
absolute figures on a shared machine are noise.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
AUTH = "Bearer bench"
ENDPOINTS = [
    ("GET /api/v3/analysis/{id}", "GET", "/api/v3/analysis/1"),
    ("POST /api/v2/analysis/{id}/stop", "POST", "/api/v2/analysis/1/stop"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def start(command: list[str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(port)
    return process


# --- load generators -----------------------------------------------------------------------------

def run_wrk(url: str, method: str, seconds: float, connections: int) -> float:
    script = ROOT / "bench" / f".wrk-{os.getpid()}.lua"
    script.write_text(f'wrk.method = "{method}"\nwrk.headers["Authorization"] = "{AUTH}"\n')
    try:
        command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "-s", str(script), url]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        script.unlink(missing_ok=True)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} non-2xx responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _python_worker(port: int, method: str, path: str, seconds: float, threads: int, queue) -> None:
    count = 0
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop():
        nonlocal count, errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        done = bad = 0
        while time.monotonic() < deadline:
            connection.request(method, path, headers={"Authorization": AUTH, "Content-Length": "0"})
            response = connection.getresponse()
            response.read()
            done += 1
            bad += response.status >= 300
        with lock:
            count += done
            errors += bad

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((count, errors))


def run_python(port: int, method: str, path: str, seconds: float, connections: int) -> float:
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_python_worker, args=(port, method, path, seconds, connections, queue))
    started = time.monotonic()
    process.start()
    count, errors = queue.get()
    process.join()
    if errors:
        raise RuntimeError(f"{path}: {errors} non-2xx responses")
    return count / (time.monotonic() - started)


def measure(port: int, method: str, path: str, seconds: float, connections: int, tool: str) -> float:
    if tool == "wrk":
        return run_wrk(f"http://127.0.0.1:{port}{path}", method, seconds, connections)
    return run_python(port, method, path, seconds, connections)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5, help="length of one measurement (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per endpoint and server (default 3)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--threads", type=int, default=16, help="server threads, both servers (default 16)")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--latency-connections", type=int, default=64,
                        help="connections for the latency benchmark (default 64)")
    parser.add_argument("--latency-threads", type=int, default=128,
                        help="server threads for the latency benchmark (default 128)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    tool = ("wrk" if shutil.which("wrk") else "python") if args.tool == "auto" else args.tool

    sim_port, bare_port = free_port(), free_port()
    servers = [
        start([sys.executable, "-m", "simulator", "serve", "--port", str(sim_port), "--threads", str(args.threads),
               "--scenario", "bench/scenario.yaml"], sim_port),
        start([sys.executable, "bench/bare_app.py", str(bare_port), str(args.threads)], bare_port),
    ]
    results = {}
    try:
        print(f"load: {tool}, {args.connections} connections, {args.rounds} x {args.seconds:g}s per figure, "
              f"{args.threads} server threads, {os.cpu_count()} cores", flush=True)
        for label, method, path in ENDPOINTS:
            measure(sim_port, method, path, 1, args.connections, tool)  # warm-up
            measure(bare_port, method, path, 1, args.connections, tool)
            sim, bare = [], []
            for _ in range(args.rounds):
                sim.append(measure(sim_port, method, path, args.seconds, args.connections, tool))
                bare.append(measure(bare_port, method, path, args.seconds, args.connections, tool))
            ratio = median(sim) / median(bare)
            results[label] = {"simulator_rps": round(median(sim)), "bare_rps": round(median(bare)),
                              "ratio": round(ratio, 3), "target": 0.7, "meets_target": ratio >= 0.7}
            print(f"{label:36s} simulator {median(sim):8.0f} req/s   bare {median(bare):8.0f} req/s   "
                  f"ratio {ratio:.2f} (target >= 0.70) {'ok' if ratio >= 0.7 else 'BELOW TARGET'}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    results["latency"] = latency_benchmark(args, tool)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def latency_benchmark(args, tool: str) -> dict:
    """Every request delayed 100 ms (a global fault rule): does the server keep serving in parallel?"""
    port = free_port()
    server = start([sys.executable, "-m", "simulator", "serve", "--port", str(port),
                    "--threads", str(args.latency_threads), "--scenario", "bench/scenario.yaml",
                    "--scenario", "bench/latency.yaml"], port)
    try:
        label, method, path = ENDPOINTS[0]
        measure(port, method, path, 1, args.latency_connections, tool)
        rps = median(measure(port, method, path, args.seconds, args.latency_connections, tool)
                     for _ in range(args.rounds))
    finally:
        server.terminate()
        server.wait(timeout=10)
    ceiling = args.latency_connections / 0.1
    print(f"{label} with 100 ms latency, {args.latency_connections} connections, {args.latency_threads} threads: "
          f"{rps:.0f} req/s (ceiling {ceiling:.0f}; target >= 400) {'ok' if rps >= 400 else 'BELOW TARGET'}")
    return {"rps": round(rps), "ceiling": ceiling, "target": 400, "meets_target": rps >= 400}


if __name__ == "__main__":
    sys.exit(main())
