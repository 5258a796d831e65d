"""Reaching Redis: the `--store` URL, one client per process, and its failures as one error."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import redis

MEMORY = "memory"
SOCKET_TIMEOUT = 2.0  # seconds a command may take before the store counts as unreachable
CONNECT_TIMEOUT = 1.0


class StoreUnavailable(Exception):
    """Redis could not be reached, or did not answer in time: nothing of the call was written."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("the shared store (Redis) is unavailable" + (f": {detail}" if detail else ""))


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


def connect(url: str, *, max_connections: int = 64) -> redis.Redis:
    """A client with bounded waits: a store that does not answer fails the call, never hangs it."""
    return redis.Redis.from_url(
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
