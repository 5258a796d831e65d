"""`make bench`: the simulator against a bare Flask + waitress baseline, pinned, one table with targets.

Both servers run as subprocesses with the same thread count on one core; the load generator (wrk if
installed, else a Python keep-alive generator) runs on another. Simulator and baseline runs alternate
(the order flips every round) and the medians are compared, since absolute figures on a shared
machine are noise. Every figure is printed next to its target from issue 16 with pass or FAIL.

Routes: Sparrow GET; a Sparrow stop that succeeds (each request stops a fresh analysis, loaded just
before the run); a Feldera pipeline GET; a TwelveLabs batch GET. The baseline answers each with a
body of the same size (bench/bodies/, captured from the simulator with --capture-bodies).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shared_store  # noqa: E402
from harness import (  # noqa: E402  (bench/ is not a package: run as a script)
    ROOT,
    Cores,
    Load,
    Server,
    Target,
    analyses_scenario,
    load_scenario,
    measure,
    med,
    request,
    wrk_available,
)
from report import Report, Row, fmt, load_context, thousands  # noqa: E402

SCENARIO = "bench/scenario.yaml"
STOP_IDS = 1_000_000  # fresh analyses for the stop benchmark start here
LOAD_RESOURCES = 10_000  # the scenario-load and export figures, scaled to issue 16's 100 000 in 3 s
SCALE_TARGET = 100_000


@dataclass(frozen=True)
class Route:
    label: str
    target: Target
    body: str  # bench/bodies/<body>.json: what the baseline answers
    fresh: bool = False  # each request needs a fresh analysis (a stop that succeeds)


ROUTES = [
    Route("Sparrow GET", Target("GET", "/api/v3/analysis/1"), "sparrow_get"),
    Route("Sparrow stop (succeeds)", Target("POST", "/api/v2/analysis/{id}/stop", STOP_IDS), "sparrow_stop",
          fresh=True),
    Route("Feldera pipeline GET", Target("GET", "/v0/pipelines/orders-running"), "feldera_pipeline"),
    Route("TwelveLabs batch GET", Target("GET", "/v1.3/analyze/batches/66d000000000000000000002"),
          "twelvelabs_batch"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4, help="length of one measurement (default 4)")
    # Five: on a shared two-core machine one round in several is an outlier (p99 two or three times
    # the others'), which a median of three lets through more often than a median of five.
    parser.add_argument("--rounds", type=int, default=5, help="measurements per figure and server (default 5)")
    parser.add_argument("--connections", type=int, default=16,
                        help="connections for the requests/s figures (default 16)")
    parser.add_argument("--p99-connections", type=int, default=64,
                        help="connections for the p99 figures and the latency benchmark (default 64)")
    parser.add_argument("--threads", type=int, default=16, help="server threads, both servers (default 16)")
    parser.add_argument("--latency-threads", type=int, default=128,
                        help="simulator threads for the 100 ms latency benchmark (default 128: 64 delay slots)")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto",
                        help="load generator (default: wrk when installed, else Python)")
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and load generator to cores")
    parser.add_argument("--soak", type=int, default=0, metavar="REQUESTS",
                        help="also send this many GETs and report the simulator's memory growth (issue 16: "
                        "1000000; default 0, skipped)")
    parser.add_argument("--no-store", action="store_true",
                        help="skip the shared-store rows (Redis vs memory, two processes vs one)")
    parser.add_argument("--store-only", action="store_true", help="only the shared-store rows")
    parser.add_argument("--json", metavar="PATH", help="also write the table as JSON to PATH")
    parser.add_argument("--capture-bodies", action="store_true",
                        help="capture the simulator's bodies into bench/bodies/ for the baseline, then exit")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.rounds < 1 or args.connections < 1 or args.p99_connections < 1:
        parser.error("--seconds must be positive; --rounds and the connection counts at least 1")
    return args


def choose_tool(asked: str) -> tuple[str, str]:
    """The load generator and a sentence about it."""
    if asked == "wrk" and not wrk_available():
        sys.exit("wrk is not installed (apt-get install wrk), or use --tool python")
    if asked == "python" or not wrk_available():
        why = "asked for" if asked == "python" else "wrk not found: apt-get install wrk for a faster load generator"
        return "python", f"load generator: Python keep-alive threads ({why})"
    return "wrk", "load generator: wrk, 1 thread"


# --- the stop benchmark's fresh analyses -----------------------------------------------------------

class FreshAnalyses:
    """Before each simulator run: reset, then load enough fresh analyses for every request to stop one."""

    def __init__(self, server: Server, pool: int):
        self.server = server
        self.pool = pool

    def prepare(self) -> None:
        status, body = request(self.server.port, "POST", "/_simulator/reset")
        if status != 200:
            raise RuntimeError(f"reset answered {status}: {body[:200]!r}")
        load_scenario(self.server.port, analyses_scenario("bench-stop", STOP_IDS, self.pool))


def run_once(tool: str, server: Server, route: Route, seconds: float, connections: int,
             fresh: FreshAnalyses | None) -> Load:
    """One measurement. A stop run that ran out of fresh analyses is retried once with three times as many."""
    for attempt in range(2):
        if fresh is not None:
            fresh.prepare()
        load = measure(tool, server.port, route.target, seconds, connections)
        if not load.non_2xx:
            return load
        if fresh is None or attempt:
            raise RuntimeError(f"{route.label}: {load.non_2xx} of {load.requests} requests failed on port "
                               f"{server.port}")
        fresh.pool *= 3
    raise AssertionError("unreachable")


def compare(args, tool: str, sim: Server, bare: Server, route: Route, connections: int,
            fresh: FreshAnalyses | None) -> tuple[list[Load], list[Load]]:
    """Alternating rounds (the order flips each round) after a short warm-up of each."""
    run_once(tool, sim, route, 1, connections, fresh)
    run_once(tool, bare, route, 1, connections, None)
    sims, bares = [], []
    for round_ in range(args.rounds):
        pair = [(sim, sims, fresh), (bare, bares, None)]
        for server, into, pool in pair if round_ % 2 == 0 else reversed(pair):
            into.append(run_once(tool, server, route, args.seconds, connections, pool))
    return sims, bares


def body_sizes(sim: Server, bare: Server, route: Route, fresh: FreshAnalyses | None) -> tuple[int, int]:
    if fresh is not None:
        fresh.prepare()
    sizes = []
    for server in (sim, bare):
        path = route.target.path.replace("{id}", str(STOP_IDS))
        status, body = request(server.port, route.target.method, path)
        if status != 200:
            raise RuntimeError(f"{route.label} on port {server.port} answered {status}: {body[:200]!r}")
        sizes.append(len(body))
    return sizes[0], sizes[1]


def route_rows(args, tool: str, report: Report, sim: Server, bare: Server) -> None:
    pool = None
    for route in ROUTES:
        fresh = FreshAnalyses(sim, pool or 10_000) if route.fresh else None
        size_sim, size_bare = body_sizes(sim, bare, route, fresh)
        sizes = f"bodies {size_sim} B / {size_bare} B"
        sims, bares = compare(args, tool, sim, bare, route, args.connections, fresh)
        rps_sim, rps_bare = med(x.rps for x in sims), med(x.rps for x in bares)
        report.add(Row(f"{route.label}: req/s, {args.connections} conn", rps_sim / rps_bare, "", ">=", 0.8,
                       f"{fmt(rps_sim)}/s", f"{fmt(rps_bare)}/s", sizes))
        print(f"  {route.label}: {fmt(rps_sim)} vs {fmt(rps_bare)} req/s", flush=True)
        if pool is None:  # size the stop runs' fresh analyses by the fastest GET rate, with room to spare
            pool = int(max(2000, max(x.rps for x in sims) * args.seconds * 2))
        sims, bares = compare(args, tool, sim, bare, route, args.p99_connections, fresh)
        p99_sim, p99_bare = med(x.p99 for x in sims), med(x.p99 for x in bares)
        report.add(Row(f"{route.label}: p99, {args.p99_connections} conn", p99_sim / p99_bare, "", "<=", 1.3,
                       f"{fmt(p99_sim * 1000)} ms", f"{fmt(p99_bare * 1000)} ms"))
        print(f"  {route.label}: p99 {fmt(p99_sim * 1000)} vs {fmt(p99_bare * 1000)} ms", flush=True)


# --- start, load, export ---------------------------------------------------------------------------

def start_to_first_200(cores: Cores, rounds: int) -> float:
    """From spawning `simulator serve --scenario default` to the first 200 on a Sparrow GET.

    One start more than `rounds`, the first not counted: it writes the bytecode caches an installed
    simulator already has."""
    took = []
    for _ in range(rounds + 1):
        server = Server.simulator(cores, "--scenario", "default", wait=False)
        try:
            deadline = server.started + 60
            while time.monotonic() < deadline:
                try:
                    status, _ = request(server.port, "GET", "/api/v3/analysis/1001", timeout=5)
                except OSError:
                    status = None
                if status == 200:
                    took.append(time.monotonic() - server.started)
                    break
                if server.process.poll() is not None:
                    raise RuntimeError("the simulator exited while starting")
                time.sleep(0.005)
        finally:
            server.stop()
    return med(took[1:])


def load_and_export_rows(report: Report, sim: Server, rounds: int) -> None:
    """Load LOAD_RESOURCES analyses into fresh namespaces, and export one, against issue 16's pro rata targets."""
    document = analyses_scenario("bench-load", 10_000_000, LOAD_RESOURCES)
    took = [load_scenario(sim.port, document, namespace=f"bench-load-{n}") for n in range(rounds)]
    scale = LOAD_RESOURCES / SCALE_TARGET
    rate = LOAD_RESOURCES / med(took)
    report.add(Row(f"scenario load rate ({thousands(LOAD_RESOURCES)} analyses, POST JSON)", rate, "/s",
                   ">=", SCALE_TARGET / 3, note=f"median {fmt(med(took))} s; target: 100 000 in 3 s"))
    for accept, label in (("application/json", "JSON"), ("application/yaml", "YAML, the default")):
        times = []
        for _ in range(rounds):
            started = time.monotonic()
            status, body = request(sim.port, "GET", "/_simulator/scenario",
                                   headers={"Accept": accept, "X-Simulator-Namespace": "bench-load-0"}, timeout=600)
            times.append(time.monotonic() - started)
            if status != 200:
                raise RuntimeError(f"export answered {status}")
        report.add(Row(f"export {thousands(LOAD_RESOURCES)} resources ({label})", med(times), " s", "<=",
                       3 * scale, note=f"{len(body) // 1024} KiB; target: 100 000 in 3 s, pro rata"))
    for n in range(rounds):
        request(sim.port, "DELETE", f"/_simulator/namespaces/bench-load-{n}")


def latency_row(args, tool: str, cores: Cores, report: Report) -> None:
    """Every Sparrow request delayed 100 ms: does the server keep serving in parallel?"""
    with Server.simulator(cores, "--threads", str(args.latency_threads), "--scenario", SCENARIO,
                          "--scenario", "bench/latency.yaml") as server:
        target = ROUTES[0].target
        measure(tool, server.port, target, 1, args.p99_connections)
        loads = [measure(tool, server.port, target, args.seconds, args.p99_connections) for _ in range(args.rounds)]
    # Above the ceiling, some requests went undelayed: every delay slot was taken (--delay-slots).
    report.add(Row(f"100 ms injected latency: req/s, {args.p99_connections} conn", med(x.rps for x in loads), "/s",
                   ">=", 400, note=f"{args.latency_threads} threads; ceiling {args.p99_connections / 0.1:.0f}/s; "
                   f"p50 {fmt(med(x.p50 for x in loads) * 1000)} ms"))


def soak_row(args, tool: str, cores: Cores, report: Report) -> None:
    """A fresh simulator, so that its memory reflects only the requests (not the runs before)."""
    if not args.soak:
        report.add(Row("memory over 1M requests", None, note="not run: --soak 1000000 (about 5 min here)"))
        return
    target, sent, samples = ROUTES[0].target, 0, []
    with Server.simulator(cores, "--threads", str(args.threads), "--scenario", SCENARIO) as sim:
        while sent < args.soak:
            sent += measure(tool, sim.port, target, 5, args.connections).requests
            samples.append(sim.rss())
    growth = (samples[-1] - samples[0]) / 2**20
    report.add(Row(f"memory growth over {thousands(sent)} requests", growth, " MiB", "<=", 5,
                   f"{samples[0] / 2**20:.0f} -> {samples[-1] / 2**20:.0f} MiB",
                   note="after the first 5 s; flat taken as <= 5 MiB"))


# --- bodies for the baseline -------------------------------------------------------------------------

def capture_bodies(cores: Cores) -> None:
    """The simulator's own bodies, for bench/bare_app.py to answer with bodies of the same size."""
    directory = ROOT / "bench" / "bodies"
    directory.mkdir(exist_ok=True)
    with Server.simulator(cores, "--scenario", SCENARIO) as sim:
        load_scenario(sim.port, analyses_scenario("bench-stop", STOP_IDS, 1))
        for route in ROUTES:
            status, body = request(sim.port, route.target.method, route.target.path.replace("{id}", str(STOP_IDS)))
            if status != 200:
                raise RuntimeError(f"{route.label} answered {status}")
            (directory / f"{route.body}.json").write_text(json.dumps(json.loads(body), indent=1) + "\n")
            print(f"bench/bodies/{route.body}.json: {len(body)} bytes")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cores = Cores.detect(pin=not args.no_pin)
    cores.pin_self_to_load_core()
    if args.capture_bodies:
        capture_bodies(cores)
        return 0
    tool, tool_text = choose_tool(args.tool)
    report = Report("make bench: simulator vs bare Flask + waitress (medians; ratio = simulator / baseline)",
                    [tool_text, cores.describe(),
                     f"{args.rounds} x {args.seconds:g} s per figure and server, alternating; "
                     f"{args.threads} server threads each", load_context()])
    print("\n".join(report.context), flush=True)
    if not args.no_store:
        print("  shared store (Redis) ...", flush=True)
        shared_store.rows(args, tool, cores, report, ROUTES[0].target)
    if args.store_only:
        print(report.table())
        return 0
    with Server.simulator(cores, "--threads", str(args.threads), "--scenario", SCENARIO) as sim, \
            Server.bare(cores, args.threads) as bare:
        route_rows(args, tool, report, sim, bare)
        bare.stop()
        print("  start, load and export ...", flush=True)
        report.add(Row("start to first 200 (default scenario)", start_to_first_200(cores, args.rounds), " s",
                       "<=", 0.4, note="spawn to first Sparrow GET answered 200"))
        load_and_export_rows(report, sim, args.rounds)
    if args.soak:
        print(f"  {thousands(args.soak)} requests on a fresh simulator ...", flush=True)
    soak_row(args, tool, cores, report)
    print("  100 ms latency ...", flush=True)
    latency_row(args, tool, cores, report)
    report.context.append(load_context("at the end"))
    print()
    print(report.table())
    if args.json:
        report.write_json(args.json)
        print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
