"""Reaching Redis: the `--store` URL, one client per process, and its failures as one error."""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import hiredis
import redis

MEMORY = "memory"
SOCKET_TIMEOUT = 2.0  # seconds a command may take before the store counts as unreachable
CONNECT_TIMEOUT = 1.0


class StoreUnavailable(Exception):
    """Redis could not be reached, or did not answer in time: nothing of the call was written."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("the shared store (Redis) is unavailable" + (f": {detail}" if detail else ""))

    @property
    def answer(self) -> str:
        """What a client is told."""
        return f"{self}; nothing was changed, retry when it is back"


def parse_store(text: str) -> str | None:
    """None for `memory`; a checked `redis://host:port/db` URL otherwise (ValueError says why not)."""
    if text == MEMORY:
        return None
    parts = urlsplit(text)
    if parts.scheme != "redis" or not parts.hostname:
        raise ValueError(f"{text!r} is not a store: use 'memory' or redis://HOST:PORT/DB")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError(f"{text!r} has a bad port") from None
    db = parts.path.lstrip("/")
    if db and not (db.isdigit() and int(db) < 10_000):
        raise ValueError(f"{text!r}: the database must be a number, as in redis://localhost:6379/0")
    if parts.query or parts.fragment:
        raise ValueError(f"{text!r}: no query or fragment expected")
    return text


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
