"""The `--store` URL: memory, or a checked redis:// URL; a store that cannot be reached is one error."""
from __future__ import annotations

import pytest

from simulator.shared.connection import StoreUnavailable, connect, parse_store, reaching

from .redis_server import free_port


def test_memory_is_the_default_store_and_needs_no_url():
    assert parse_store("memory") is None


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "redis://localhost:6380", "redis://h:1/15"])
def test_redis_urls_are_accepted_as_given(url):
    assert parse_store(url) == url


@pytest.mark.parametrize("text, says", [
    ("postgres://x/0", "not a store"), ("redis://", "not a store"), ("redis://h:99999/0", "bad port"),
    ("redis://h:1/zero", "database must be a number"), ("redis://h:1/0?x=1", "no query"), ("", "not a store"),
])
def test_anything_else_is_refused_with_the_reason(text, says):
    with pytest.raises(ValueError, match=says):
        parse_store(text)


def test_an_unreachable_store_is_one_clear_error_within_the_timeouts(redis_url):
    client = connect(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(StoreUnavailable, match="the shared store \\(Redis\\) is unavailable: ConnectionError"):
        with reaching():
            client.ping()


def test_the_session_redis_answers(redis_client):
    assert redis_client.ping() is True
    assert redis_client.dbsize() == 0
