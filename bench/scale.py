"""`make bench-scale`: how the simulator scales with the number of stored resources (issue 16).

For each size (default 10, 10 000, 100 000 and 200 000 Sparrow analyses) a fresh simulator (pinned to
one core, the load generator on another when there are two) loads a generated scenario through
POST /_simulator/scenarios (JSON), then: resident memory per resource (VmRSS delta / count), GET
req/s on one analysis, the export (GET /_simulator/scenario as JSON, then as YAML, the default) with
the server's peak memory during it and the longest Sparrow GET answered meanwhile, and
`simulator validate` on the same scenario as a YAML file. Every step is bounded in time, and the whole
run by --budget: a step that hits its bound is reported as such, never waited for.
"""
from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402  (bench/ is not a package: run as a script)
    HEADERS,
    Cores,
    Server,
    Target,
    analyses_scenario,
    load_scenario,
    measure,
    med,
    wrk_available,
)
from report import Report, Row, fmt, load_context, thousands  # noqa: E402

FIRST_ID = 1_000_000
MAX_RESOURCES = 300_000  # --max-resources for every size (the default, 100 000, refuses 200 000)
MAX_BODY_BYTES = 256 * 2**20  # 200 000 analyses are about 20 MB of JSON, above the default 16 MiB


class OutOfTime(Exception):
    """A step hit its bound: its figure is reported as 'over N s'."""

    def __init__(self, bound: float):
        super().__init__(f"over {bound:.0f} s")
        self.bound = bound


def sizes(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give resource counts separated by commas") from None
    if not values or any(v < 1 or v > MAX_RESOURCES for v in values):
        raise argparse.ArgumentTypeError(f"every size must be between 1 and {MAX_RESOURCES}")
    return values


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=sizes, default=[10, 10_000, 100_000, 200_000],
                        help="resource counts, comma-separated (default 10,10000,100000,200000)")
    parser.add_argument("--seconds", type=float, default=3, help="length of one GET measurement (default 3)")
    parser.add_argument("--rounds", type=int, default=2, help="GET measurements per size (default 2)")
    parser.add_argument("--budget", type=float, default=600,
                        help="seconds for the whole run; steps beyond it are skipped (default 600)")
    parser.add_argument("--step-bound", type=float, default=180,
                        help="seconds one load, export or validation may take (default 180)")
    parser.add_argument("--yaml-bound", type=float, default=30,
                        help="seconds the YAML export may take (default 30: it is the slowest step)")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and load generator to cores")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.rounds < 1 or args.budget <= 0 or args.step_bound <= 0 or args.yaml_bound <= 0:
        parser.error("--seconds, --budget and the bounds must be positive; --rounds at least 1")
    return args


class Clock:
    """The run's deadline: each step gets min(its bound, what is left)."""

    def __init__(self, budget: float):
        self.deadline = time.monotonic() + budget

    def bound(self, step: float) -> float:
        left = self.deadline - time.monotonic()
        if left < 1:
            raise OutOfTime(0)
        return min(step, left)


def write_yaml(path: Path, size: int) -> None:
    """The same analyses as `analyses_scenario`, one flow mapping a line like the shipped scenarios."""
    with path.open("w") as file:
        file.write(f"name: scale-{size}\ndescription: {size} Sparrow analyses\nresources:\n")
        for n in range(size):
            file.write(f"  - {{vendor: sparrow, kind: analysis, id: {FIRST_ID + n}, state: ANALYSIS, "
                       f"remaining: 1d, fields: {{toolType: SAST}}}}\n")


def validate(path: Path, cores: Cores, bound: float) -> float:
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "simulator", "validate", str(path)], capture_output=True,
                                text=True, timeout=bound, preexec_fn=cores.server_preexec())
    except subprocess.TimeoutExpired:
        raise OutOfTime(bound) from None
    if result.returncode:
        raise RuntimeError(f"simulator validate failed: {result.stdout[-500:]}{result.stderr[-500:]}")
    return time.monotonic() - started


class Sampler(threading.Thread):
    """While an export runs: the server's peak RSS, and the longest Sparrow GET answered meanwhile."""

    def __init__(self, server: Server, path: str):
        super().__init__(daemon=True)
        self.server, self.path = server, path
        self.done = threading.Event()
        self.peak = server.rss()
        self.longest_get = 0.0
        self.gets = 0

    def run(self) -> None:
        prober = threading.Thread(target=self._probe, daemon=True)
        prober.start()
        while not self.done.wait(0.01):
            self.peak = max(self.peak, self.server.rss())
        prober.join()

    def _probe(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=600)
        time.sleep(0.05)  # let the export start first
        while not self.done.is_set():
            started = time.monotonic()
            try:
                connection.request("GET", self.path, headers=HEADERS)
                connection.getresponse().read()
            except OSError:
                return
            self.longest_get = max(self.longest_get, time.monotonic() - started)
            self.gets += 1


def export(server: Server, accept: str, bound: float, probe_path: str) -> dict:
    sampler = Sampler(server, probe_path)
    before = server.rss()
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=bound)
    started = time.monotonic()
    try:
        connection.request("GET", "/_simulator/scenario", headers={"Accept": accept})
        response = connection.getresponse()
        size = len(response.read())
    except TimeoutError:
        raise OutOfTime(bound) from None
    finally:
        took = time.monotonic() - started
        sampler.done.set()
        sampler.join()
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"export answered {response.status}")
    return {"seconds": took, "bytes": size, "peak_growth": max(0, sampler.peak - before),
            "longest_get": sampler.longest_get, "gets": sampler.gets}


def one_size(size: int, args, tool: str, cores: Cores, clock: Clock, workdir: Path) -> dict:
    """Every figure for one size; a figure that could not be taken holds the reason as a string."""
    figures: dict = {"resources": size}
    probe = f"/api/v3/analysis/{FIRST_ID + size // 2}"

    def step(name: str, bound: float, action) -> None:
        try:
            figures[name] = action(clock.bound(bound))
        except OutOfTime as exc:
            figures[name] = str(exc) if exc.bound else "skipped: out of budget"
        except (RuntimeError, OSError) as exc:
            figures[name] = f"error: {exc}"

    server = Server.simulator(cores, "--max-resources", str(MAX_RESOURCES), "--max-body-bytes", str(MAX_BODY_BYTES))
    try:
        measure(tool, server.port, Target("GET", "/_simulator/health"), 1, 4)  # warm the server up
        before = server.rss()
        document = analyses_scenario(f"scale-{size}", FIRST_ID, size)

        def load(bound):
            try:
                return load_scenario(server.port, document, timeout=bound)
            except TimeoutError:
                raise OutOfTime(bound) from None

        step("load_s", args.step_bound, load)
        if isinstance(figures["load_s"], float):
            figures["rss_per_resource"] = (server.rss() - before) / size
            target = Target("GET", probe)
            step("get_rps", args.step_bound, lambda _bound: med(
                measure(tool, server.port, target, args.seconds, 16).rps for _ in range(args.rounds)))
            step("export_json", args.step_bound, lambda bound: export(server, "application/json", bound, probe))
            step("export_yaml", args.yaml_bound, lambda bound: export(server, "application/yaml", bound, probe))
    finally:
        server.stop()
    path = workdir / f"scale-{size}.yaml"
    write_yaml(path, size)
    step("validate_s", args.step_bound, lambda bound: validate(path, cores, bound))
    path.unlink()
    return figures


# --- the two tables ----------------------------------------------------------------------------------

def _cell(value, render) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return render(value)


MATRIX = [
    ("load (POST JSON: validate + load)", lambda f: f.get("load_s"), lambda v: f"{fmt(v)} s"),
    ("simulator validate (YAML file)", lambda f: f.get("validate_s"), lambda v: f"{fmt(v)} s"),
    ("memory per resource (VmRSS)", lambda f: f.get("rss_per_resource"), lambda v: f"{fmt(v)} B"),
    ("GET req/s, one analysis, 16 conn", lambda f: f.get("get_rps"), lambda v: f"{fmt(v)}/s"),
    ("export JSON", lambda f: _sub(f, "export_json", "seconds"), lambda v: f"{fmt(v)} s"),
    ("  peak memory growth", lambda f: _sub(f, "export_json", "peak_growth"), lambda v: f"{fmt(v / 2**20)} MiB"),
    ("  longest GET meanwhile", lambda f: _sub(f, "export_json", "longest_get"), lambda v: f"{fmt(v)} s"),
    ("export YAML (the default)", lambda f: _sub(f, "export_yaml", "seconds"), lambda v: f"{fmt(v)} s"),
    ("  peak memory growth", lambda f: _sub(f, "export_yaml", "peak_growth"), lambda v: f"{fmt(v / 2**20)} MiB"),
    ("  longest GET meanwhile", lambda f: _sub(f, "export_yaml", "longest_get"), lambda v: f"{fmt(v)} s"),
]


def _sub(figures: dict, name: str, key: str):
    value = figures.get(name)
    return value.get(key) if isinstance(value, dict) else value


def matrix(results: list[dict]) -> str:
    headers = ["resources", *(thousands(f["resources"]) for f in results)]
    lines = [[label, *(_cell(get(f), render) for f in results)] for label, get, render in MATRIX]
    widths = [max(len(row[i]) for row in [headers, *lines]) for i in range(len(headers))]
    render = [" | ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths,
              strict=True))) for row in [headers, *lines]]
    render.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(render)


def _number(value):
    return value if isinstance(value, int | float) else None


def _seconds_row(figure: str, value, limit: float) -> Row:
    """A time against its target; a step that hit its bound ('over N s') still fails a smaller target."""
    if isinstance(value, str) and value.startswith("over "):
        return Row(figure, float(value.split()[1]), " s", "<=", limit, beyond=True, note="hit its time bound")
    return Row(figure, _number(value), " s", "<=", limit, note=value if isinstance(value, str) else "")


def target_rows(results: list[dict]) -> list[Row]:
    """Issue 16's scaling targets, judged at 100 000 (and 200 000 against it) when those sizes ran."""
    by_size = {f["resources"]: f for f in results}
    at = by_size.get(100_000, {})
    rows = [
        _seconds_row("load 100 000 (POST: validates + loads)", at.get("load_s"), 3),
        _seconds_row("simulator validate 100 000", at.get("validate_s"), 3),
        Row("memory per resource at 100 000", _number(at.get("rss_per_resource")), " B", "<=", 3000),
        _seconds_row("export 100 000 (JSON)", _sub(at, "export_json", "seconds"), 3),
        _seconds_row("export 100 000 (YAML, the default)", _sub(at, "export_yaml", "seconds"), 3),
    ]
    peak = _number(_sub(at, "export_json", "peak_growth"))
    rows.append(Row("export 100 000 streamed: peak memory growth (JSON)", None if peak is None else peak / 2**20,
                    " MiB", "<=", 32, note="bounded taken as <= 32 MiB"))
    longest, took = _number(_sub(at, "export_json", "longest_get")), _number(_sub(at, "export_json", "seconds"))
    rows.append(Row("export 100 000: longest GET / export time (JSON)",
                    None if longest is None or not took else longest / took, "", "<=", 0.5,
                    note="the namespace not held for the whole export (nor the GIL)"))
    load_200k, load_100k = _number(by_size.get(200_000, {}).get("load_s")), _number(at.get("load_s"))
    rows.append(Row("load 200 000 / load 100 000 (linear)",
                    None if load_200k is None or not load_100k else load_200k / load_100k, "", "<=", 2.2))
    small, large = _number(by_size.get(10, {}).get("get_rps")), _number(at.get("get_rps"))
    rows.append(Row("GET req/s at 10 / at 100 000 (flat per-request cost)",
                    None if small is None or not large else small / large, "", "<=", 1.2,
                    note=f"{fmt(small)}/s at 10, {fmt(large)}/s at 100 000" if small and large else ""))
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cores = Cores.detect(pin=not args.no_pin)
    cores.pin_self_to_load_core()
    tool = "wrk" if args.tool == "wrk" or (args.tool == "auto" and wrk_available()) else "python"
    clock = Clock(args.budget)
    context = [f"load generator: {tool}" + ("" if tool == "wrk" else " (wrk not found: apt-get install wrk)"),
               cores.describe(), f"budget {args.budget:g} s; each step bounded by {args.step_bound:g} s "
               f"(YAML export {args.yaml_bound:g} s)", load_context()]
    print("\n".join(context), flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as workdir:
        for size in args.sizes:
            started = time.monotonic()
            results.append(one_size(size, args, tool, cores, clock, Path(workdir)))
            print(f"  {thousands(size)} resources: {time.monotonic() - started:.0f} s", flush=True)
    context.append(load_context("at the end"))
    report = Report("make bench-scale: issue 16's targets", context, target_rows(results))
    print()
    print(matrix(results))
    print()
    print(report.table())
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({**report.as_json(), "sizes": results}, indent=2) + "\n")
        print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
