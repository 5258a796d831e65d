"""schemathesis against two processes sharing one Redis: the same command as the conformance run
(its CLI, all checks, every phase including the stateful one, the spec's .toml and .scenario.yaml),
with --url the round-robin balancer, so each call it makes lands on the other process than the last:
a Sparrow analysis it creates through one is read, stopped and fetched through the other."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance.test_schemathesis import HERE, run_schemathesis
from tests.conftest import ROOT

from .over_http import World, start_world

SPEC = ROOT / "openapi" / "sparrow.yaml"
CONFIG = "sparrow"


@pytest.fixture
def sparrow_replicas(redis_url: str) -> Iterator[World]:
    """Two processes on one (flushed) Redis, both started with the Sparrow conformance scenario."""
    pair = start_world(redis_url, "--scenario", str(HERE / f"{CONFIG}.scenario.yaml"))
    yield pair
    pair.close()


def test_schemathesis_finds_no_failure_against_two_processes_sharing_redis(sparrow_replicas):
    result, summary = run_schemathesis(SPEC, CONFIG, sparrow_replicas.url)
    print(summary)
    print("requests per process:", sparrow_replicas.balancer.sent)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert "Stateful" in summary, "the stateful phase did not run"
    first, second = sparrow_replicas.balancer.sent
    assert first > 100 and second > 100, f"both processes must serve the run: {sparrow_replicas.balancer.sent}"
    assert abs(first - second) <= 1, "the balancer alternates request by request"
