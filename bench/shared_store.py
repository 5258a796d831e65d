"""`make bench`'s shared-store rows (issue 17): one simulator on Redis against one on memory, and two
processes on one Redis against one, with Redis' own count of the commands each request costs.

Placement on this machine: the simulator(s) on the server core, wrk and redis-server on the load
core (with two cores, two simulator processes share the server core with nothing, or each takes
one core with wrk and Redis on both: both layouts are reported as measured, never as scaled).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
import time

import redis
from harness import Cores, Load, Server, free_port, measure, med, request
from report import Report, Row, fmt

SCENARIO = "bench/scenario.yaml"
GET = None  # set by rows(): the Sparrow GET target of run.py


class RedisProcess:
    """A private redis-server (Debian's), no persistence, pinned with the load generator."""

    def __init__(self, cores: Cores) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="bench-redis-")
        preexec = None if not cores.pinned else (lambda: __import__("os").sched_setaffinity(0, {cores.load}))
        self.process = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", self.directory, "--loglevel", "warning"],
                                        stdout=subprocess.DEVNULL, preexec_fn=preexec)
        self.client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.02)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def commands(self) -> tuple[int, int, float]:
        """(commands run, counting those inside scripts; scripts run; microseconds Redis spent in them)"""
        stats = self.client.info("commandstats")
        scripts = [stats.get(name, {}) for name in ("cmdstat_evalsha", "cmdstat_eval")]
        return (sum(s["calls"] for s in stats.values()), sum(s.get("calls", 0) for s in scripts),
                sum(s.get("usec", 0) for s in scripts))

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)


def _split(tool: str, servers: list[Server], target, seconds: float, connections: int) -> Load:
    """The load split over several processes at once (one load generator each, its share of connections)."""
    results: list[Load] = [None] * len(servers)  # type: ignore[list-item]

    def run(index: int) -> None:
        results[index] = measure(tool, servers[index].port, target, seconds, max(1, connections // len(servers)))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(servers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(rps=sum(r.rps for r in results), p99=max(r.p99 for r in results), p50=max(r.p50 for r in results),
                requests=sum(r.requests for r in results), non_2xx=sum(r.non_2xx for r in results))


def rows(args, tool: str, cores: Cores, report: Report, get_target) -> None:
    store = RedisProcess(cores)
    try:
        threads = ("--threads", str(args.threads), "--scenario", SCENARIO)
        with Server.simulator(cores, *threads) as memory, \
                Server.simulator(cores, *threads, "--store", store.url) as shared:
            for server in (memory, shared):  # warm-up
                measure(tool, server.port, get_target, 1, args.connections)
            memories, shareds = [], []
            for round_ in range(args.rounds):
                pair = [(memory, memories), (shared, shareds)]
                for server, into in pair if round_ % 2 == 0 else reversed(pair):
                    into.append(measure(tool, server.port, get_target, args.seconds, args.connections))
            rps_memory, rps_shared = med(x.rps for x in memories), med(x.rps for x in shareds)
            report.add(Row(f"Sparrow GET on Redis vs memory: req/s, {args.connections} conn", rps_shared / rps_memory,
                           "", ">=", 0.5, f"{fmt(rps_shared)}/s", f"{fmt(rps_memory)}/s",
                           "never below 0.4; one process each"))
            before, answered = store.commands(), 0
            for _ in range(500):
                status, _body = request(shared.port, "GET", get_target.path)
                answered += status == 200
            after = store.commands()
            commands, scripts, usec = ((a - b) / max(1, answered) for a, b in zip(after, before, strict=True))
            report.add(Row("Redis round trips per Sparrow GET", scripts, "", None, None,
                           note=f"scripts: the request's refresh, the journal; {commands:.1f} commands inside them"))
            report.add(Row("Redis CPU per Sparrow GET", usec, " us", None, None,
                           note=f"Redis' own time in the scripts: one Redis core serves ~{1e6 / max(usec, 1):,.0f}/s"))
            one = [measure(tool, shared.port, get_target, args.seconds, args.connections)
                   for _ in range(args.rounds)]
            with Server.simulator(cores, *threads, "--store", store.url) as second:
                measure(tool, second.port, get_target, 1, args.connections)
                two = [_split(tool, [shared, second], get_target, args.seconds, args.connections)
                       for _ in range(args.rounds)]
            rps_one, rps_two = med(x.rps for x in one), med(x.rps for x in two)
            report.add(Row(f"2 processes vs 1 on Redis (one namespace, load split): req/s, {args.connections} conn",
                           rps_two / rps_one, "", None, None, f"{fmt(rps_two)}/s", f"{fmt(rps_one)}/s",
                           "both simulators on the server core here (2 cores): see the closing note"))
    finally:
        store.stop()
