"""A real Redis for the shared-store tests: one server per test session (per xdist worker), flushed
before each test."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from .redis_server import RedisServer


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.close()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    client = redis.Redis(port=redis_server.port)
    client.flushall()
    client.close()
    return redis_server.url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


class Replicas:
    """Two (or more) `simulator serve --store redis://...` processes sharing one Redis, and a
    round-robin balancer in front of them."""

    def __init__(self, servers: list, balancer) -> None:
        self.servers = servers
        self.balancer = balancer

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]

    @property
    def url(self) -> str:
        return self.balancer.url


@pytest.fixture
def replicas(redis_url: str) -> Iterator[Replicas]:
    """Two simulator processes on one Redis (flushed), no start-up scenario, behind a balancer."""
    from tests.conftest import start_server, stop_server

    from .balancer import Balancer

    servers = [start_server("--store", redis_url) for _ in range(2)]
    balancer = Balancer([server.url for server in servers]).start()
    yield Replicas(servers, balancer)
    balancer.stop()
    for server in servers:
        if server.process.poll() is None:
            stop_server(server)


@pytest.fixture(scope="session")
def replica_pair() -> Iterator[list[str]]:
    """Two replicas on a Redis of their own, started once per session (per xdist worker)."""
    from .replica_tools import pair_on_own_redis

    yield from pair_on_own_redis()


@pytest.fixture
def world(replica_pair):
    """The session's two replicas, and a namespace of this test's own (new, so empty)."""
    from .replica_tools import World

    return World(*replica_pair, namespace=f"test-{uuid.uuid4().hex}")
