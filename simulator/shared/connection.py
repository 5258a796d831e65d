"""Reaching Redis: one client per process, and its failures as one error (StoreUnavailable)."""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import hiredis
import redis

from .store import StoreUnavailable, parse_store  # noqa: F401 - the names callers know from here

SOCKET_TIMEOUT = 2.0  # seconds a command may take before the store counts as unreachable
CONNECT_TIMEOUT = 1.0


class Client(redis.Redis):
    """redis-py's client whose scripts each thread runs on a connection of its own.

    Scripts are what every request sends (three or four of them); taking a connection from the
    pool for each costs about as much as the round trip itself (a lock, and a poll of the socket),
    so each thread keeps one. Other commands use the pool as usual."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._own = threading.local()

    def register_script(self, script: str) -> ThreadScript:  # type: ignore[override]
        return ThreadScript(self, script)

    def thread_connection(self) -> redis.Connection:
        connection = getattr(self._own, "connection", None)
        if connection is None:
            pool = self.connection_pool
            connection = self._own.connection = pool.connection_class(**pool.connection_kwargs)
        return connection


class ThreadScript:
    """A Lua script called as redis-py's Script is (`script(keys=[...], args=[...])`), by its SHA on the
    calling thread's connection, loaded again when Redis does not know it (after a restart)."""

    def __init__(self, client: Client, text: str) -> None:
        self.client = client
        self.text = text
        self.sha = hashlib.sha1(text.encode()).hexdigest()

    def __call__(self, keys: Sequence[Any] = (), args: Sequence[Any] = (), client: Any = None) -> Any:
        command = hiredis.pack_command(("EVALSHA", self.sha, len(keys), *keys, *args))
        try:
            return round_trip(self.client, [command])
        except redis.exceptions.NoScriptError:
            round_trip(self.client, [hiredis.pack_command(("SCRIPT", "LOAD", self.text))])
            return round_trip(self.client, [command])


def round_trip(client: Client, packed: list[bytes]) -> Any:
    """Send a packed command on the thread's connection; its answer."""
    connection = client.thread_connection()
    for attempt in (1, 2):
        try:
            connection.send_packed_command(packed, check_health=False)
            return connection.read_response()
        except redis.exceptions.ConnectionError:
            connection.disconnect()  # a connection Redis closed (a restart): once more on a new one
            if attempt == 2:
                raise
        except (redis.exceptions.TimeoutError, OSError):
            connection.disconnect()
            raise
    raise AssertionError("unreachable")


def connect(url: str, *, max_connections: int = 64) -> Client:
    """A client with bounded waits: a store that does not answer fails the call, never hangs it."""
    return Client.from_url(
        url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=CONNECT_TIMEOUT, max_connections=max_connections,
        health_check_interval=0, retry_on_timeout=False,
    )


STORE_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, redis.exceptions.BusyLoadingError,
                redis.exceptions.ReadOnlyError, redis.exceptions.ClusterDownError)


@contextmanager
def reaching() -> Iterator[None]:
    """Turn the client's connection failures into StoreUnavailable."""
    try:
        yield
    except STORE_ERRORS as exc:
        raise StoreUnavailable(type(exc).__name__ + (f" ({exc})" if str(exc) else "")) from None


def key(namespace: str, *parts: str) -> str:
    """`sim:{namespace}:part:part`: the braces keep one namespace's keys in one Redis Cluster slot."""
    return ":".join((f"sim:{{{namespace}}}", *parts))
