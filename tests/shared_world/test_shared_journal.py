"""The request journal in Redis: replicas of a namespace (one SharedJournal each, each with its own
client) share one bounded journal, in one order, against a real redis-server."""
from __future__ import annotations

import json
import threading
import time

import pytest
import redis

from simulator.shared.connection import CONNECT_TIMEOUT, SOCKET_TIMEOUT, StoreUnavailable, connect
from simulator.shared.journal import SharedJournal
from simulator.traffic.journal import Entry, Journal, RawBody, readable

from .redis_server import RedisServer


def values(path: str = "/v1/jobs", **changes) -> dict:
    base = dict(namespace="default", method="GET", path=path, query="", vendor="sparrow", operation="getJob",
                status=200, real_time=1_764_000_000.125, virtual_time=1_700_000_000.5, duration_ms=0.731,
                request_headers={"Accept": "application/json"}, request_body=None, response_body=None)
    return {**base, **changes}


@pytest.fixture
def replica(redis_url):
    """A replica's journal: each call gets its own client (connection pool), as another process has."""
    clients = []

    def journal(namespace: str = "default", size: int = 1000) -> SharedJournal:
        clients.append(connect(redis_url))
        return SharedJournal(clients[-1], namespace, size=size)

    yield journal
    for client in clients:
        client.close()


@pytest.fixture
def replicas(replica):
    return [replica(), replica()]


def test_two_replicas_see_one_journal_in_one_order_with_unique_increasing_seq(replicas):
    one, two = replicas
    recorded: list[Entry] = []
    lock = threading.Lock()

    def write(journal: SharedJournal, writer: int) -> None:
        for n in range(50):
            entry = journal.record(**values(f"/w{writer}/{n}"))
            with lock:
                recorded.append(entry)

    threads = [threading.Thread(target=write, args=(journal, writer))
               for writer, journal in enumerate([one, two, one, two])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    seen = one.entries()
    assert seen == two.entries()
    assert [e.seq for e in seen] == list(range(1, 201))  # unique, increasing, none lost
    assert sorted(seen, key=lambda e: e.seq) == sorted(recorded, key=lambda e: e.seq)  # record() told the truth
    for writer in range(4):  # each writer's own entries kept in the order it wrote them
        assert [e.path for e in seen if e.path.startswith(f"/w{writer}/")] == [f"/w{writer}/{n}" for n in range(50)]
    assert len(one) == len(two) == 200 and one.dropped == two.dropped == 0


def test_the_size_bound_and_the_dropped_count_hold_across_replicas(replica):
    one, two = replica(size=5), replica(size=5)
    for n in range(3):
        one.record(**values(f"/one/{n}"))
    for n in range(4):
        two.record(**values(f"/two/{n}"))

    for journal in (one, two):
        assert [(e.seq, e.path) for e in journal.entries()] == [
            (3, "/one/2"), (4, "/two/0"), (5, "/two/1"), (6, "/two/2"), (7, "/two/3")]
        assert len(journal) == 5 and journal.dropped == 2


def test_a_replica_with_another_size_counts_exactly_what_its_trim_drops(replica):
    small, large = replica(size=2), replica(size=4)
    for n in range(4):
        large.record(**values(f"/{n}"))
    assert large.dropped == 0
    small.record(**values("/4"))  # 5 entries trimmed to 2: three pushed out
    assert [e.path for e in large.entries()] == ["/3", "/4"] and large.dropped == small.dropped == 3


def test_a_clear_through_one_replica_is_seen_by_the_other_and_seq_goes_on(replica):
    one, two = replica(size=2), replica(size=2)
    for n in range(3):
        one.record(**values(f"/{n}"))
    assert two.dropped == 1

    assert two.clear() == 2
    assert one.entries() == [] and len(one) == 0 and one.dropped == 0
    assert two.clear() == 0  # nothing left, and no error on an absent stream

    again = one.record(**values("/after"))
    assert again.seq == 4  # as the memory journal: numbering goes on through a clear
    assert two.entries() == [again]


def test_namespaces_are_isolated_and_keys_names_everything_a_journal_writes(redis_client, replica):
    alpha, beta = replica("alpha"), replica("beta")
    kept = alpha.record(**values("/alpha", namespace="alpha"))
    beta.record(**values("/beta", namespace="beta"))
    beta.record(**values("/beta", namespace="beta"))

    assert alpha.entries() == [kept] and kept.seq == 1  # beta's records took no number from alpha
    assert beta.clear() == 2
    assert alpha.entries() == [kept] and len(beta) == 0

    assert not set(alpha.keys()) & set(beta.keys())
    assert all("alpha" in name for name in alpha.keys())
    assert {name.decode() for name in redis_client.keys("*")} <= set(alpha.keys()) | set(beta.keys())
    redis_client.delete(*alpha.keys())  # what dropping the namespace does: nothing of it is left
    assert alpha.entries() == [] and alpha.dropped == 0 and len(alpha) == 0
    assert alpha.record(**values("/reborn", namespace="alpha")).seq == 1


def test_a_recorded_request_is_masked_before_it_reaches_redis_and_reads_as_the_memory_journal_does(
        redis_client, replicas):
    from simulator.traffic.journal import KEPT_HEADER_ORDER, Recorded

    sent = {"Authorization": "Bearer sk-live-9", "X-Api-Key": "key-9", "Accept": "*/*"}
    recorded = Recorded(
        namespace="default", method="GET", path="/v1/jobs/1", query="token=t-9&n=1", vendor="sparrow",
        operation="getJob", status=200, real_time=1.5, virtual_time=2.5, seconds=0.001,
        header_values=tuple(map(sent.get, KEPT_HEADER_ORDER)), request_body=None,
        response_body=RawBody(b'{"ok":true}', 11, "application/json"), faults=(), transport=None)
    one, two = replicas
    memory = Journal()
    one.record_request(recorded)
    memory.record_request(recorded)

    stored = repr(redis_client.xrange(one.keys()[0]))
    assert "sk-live-9" not in stored and "key-9" not in stored and "t-9" not in stored
    [entry] = two.entries()
    assert entry == memory.entries()[0]
    assert entry.request_headers == {"Authorization": "Bearer ***", "X-Api-Key": "***", "Accept": "*/*"}
    assert entry.query == "token=***&n=1" and readable(entry.response_body, 4096) == {"ok": True}


def test_every_field_round_trips_exactly(replicas):
    one, two = replicas
    binary = bytes(range(256)) * 2
    unicode_json = json.dumps({"name": "café ☕ \u2028 𝄞", "api_key": "sk-live-1"}, ensure_ascii=False).encode()
    recorded = [
        one.record(**values(
            "/v1/pipelines/ünïcode", query="api_key=sk-live-9&page=2", vendor=None, operation=None, status=0,
            real_time=0.1 + 0.2, virtual_time=1e-300, duration_ms=1234567.891,
            request_headers={"Content-Type": "application/json", "User-Agent": "ağent/1 😀",
                             "Authorization": "Bearer ***"},
            request_body=RawBody(unicode_json, len(unicode_json), "application/json"),
            response_body=RawBody(binary[:4097], len(binary), "application/octet-stream"),
            faults=("latency:first", "status:503"), extra={"transport": "reset", "nested": {"a": [1, 2.5, None, True]}},
        )),
        one.record(**values(  # what a callback delivery journals: an already decoded body, no response body
            "/hook", method="POST", status=502, request_body={"event": "done", "n": [1, 2]},
            extra={"direction": "outgoing", "attempt": 2, "error": None},
        )),
        one.record(**values("/text", request_body="plain text … \x00 end", response_body=RawBody(b"", 0, ""))),
        one.record(**values("/lone-surrogate-\udcff", request_headers={})),
    ]
    memory = Journal()
    for entry in recorded:
        memory.record(**{name: getattr(entry, name) for name in Entry.__slots__ if name != "seq"})

    seen = two.entries()
    assert seen == recorded == memory.entries()  # every field, every type: floats, tuples, None, mappings, bytes
    assert seen[0].query == "api_key=***&page=2"  # masked before it reached Redis
    assert seen[0].response_body.data == binary[:4097] and isinstance(seen[0].faults, tuple)
    assert [readable(e.request_body, 4096) for e in seen] == [readable(e.request_body, 4096) for e in memory.entries()]
    assert readable(seen[0].request_body, 4096) == {"name": "café ☕ \u2028 𝄞", "api_key": "***"}  # masked on reading
    assert readable(seen[0].response_body, 4096) == "<512 bytes application/octet-stream>"


@pytest.mark.parametrize("fields", [
    {"foreign": "value"},
    {"seq": "1"},
    {"seq": "one", "entry": "{}"},
    {"seq": "1", "entry": "not json"},
    {"seq": "1", "entry": b"\xff\xfe"},
    {"seq": "1", "entry": "[1, 2]"},
    {"seq": "1", "entry": "{}"},
], ids=["foreign", "no-header", "bad-seq", "not-json", "not-utf8", "not-an-object", "empty-object"])
def test_an_entry_that_is_not_ours_is_skipped_by_the_reader(redis_client, replicas, fields):
    one, _ = replicas
    before = one.record(**values("/before"))
    redis_client.xadd(one.keys()[0], fields)
    after = one.record(**values("/after"))
    assert one.entries() == [before, after]


@pytest.mark.parametrize("change", [
    {"status": "200"}, {"status": True}, {"path": None}, {"vendor": 3}, {"real_time": "now"},
    {"virtual_time": float("nan")}, {"request_headers": ["Accept"]}, {"request_headers": {"Accept": 1}},
    {"faults": "latency"}, {"faults": [1]}, {"extra": []}, {"request_body": "raw"},
    {"request_body": {"raw": [10, "text/plain"]}},  # no bytes field with it
    {"response_body": {"raw": ["10", "text/plain"]}},
], ids=lambda change: "-".join(f"{k}={v!r}" for k, v in change.items()))
def test_an_entry_with_a_field_of_the_wrong_type_is_skipped(redis_client, replicas, change):
    """What the control API and the filters rely on is checked: a bad entry is skipped, not served."""
    one, _ = replicas
    good = one.record(**values("/good"))
    header = json.loads(redis_client.xrange(one.keys()[0])[0][1][b"entry"])
    redis_client.xadd(one.keys()[0], {"seq": "99", "entry": json.dumps({**header, **change})})
    assert one.entries() == [good]


def test_a_journal_of_size_zero_keeps_nothing_and_counts_it_as_the_memory_one_does(replica):
    shared, memory = replica(size=0), Journal(size=0)
    for journal in (shared, memory):
        assert journal.record(**values("/gone")).seq == 1
    assert shared.entries() == memory.entries() == []
    assert shared.dropped == memory.dropped == 1


def test_a_client_that_decodes_responses_is_refused(redis_url):
    with redis.Redis.from_url(redis_url, decode_responses=True) as client, pytest.raises(ValueError, match="bytes"):
        SharedJournal(client, "default")


def test_one_round_trip_per_record_and_per_read(replicas, monkeypatch):
    one, _ = replicas
    one.record(**values("/warm"))  # loads the script once (on this thread's own connection)
    one.entries()  # connects the pool's connection (a connection's hand-shake is its own commands)
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
    for n in range(10):
        one.record(**values(f"/{n}"))
    assert len(sent) == 10
    for call in (one.entries, one.clear, len, lambda: one.dropped):
        sent.clear()
        call(one) if call is len else call()
        assert len(sent) == 1


def test_an_outage_is_store_unavailable_within_the_timeouts_and_the_journal_works_again_after():
    first = RedisServer().start()
    second = RedisServer(port=first.port)  # the same address, started once the first is gone
    client = connect(first.url)
    try:
        journal = SharedJournal(client, "default")
        journal.record(**values("/before"))
        first.stop()

        for call in (lambda: journal.record(**values("/during")), journal.entries, journal.clear,
                     lambda: len(journal), lambda: journal.dropped):
            started = time.monotonic()
            with pytest.raises(StoreUnavailable, match="unavailable"):
                call()
            assert time.monotonic() - started < SOCKET_TIMEOUT + CONNECT_TIMEOUT

        second.start()  # a fresh server: nothing kept, the script not loaded
        entry = journal.record(**values("/after"))
        assert journal.entries() == [entry] and entry.path == "/after"
    finally:
        client.close()
        first.close()
        second.close()
