"""Fault rules in Redis: two books on one Redis and namespace stand for two simulator processes."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from simulator.shared.connection import StoreUnavailable, connect
from simulator.shared.faults import SharedFaultBook
from simulator.traffic.faults import FaultBook, Request, load_rule

from .redis_server import RedisServer

ANY = Request(vendor="sparrow", operation="getAnalysis", resource_ids=("7",), state_of=lambda: "RUNNING")


class CountingConnection(redis.Connection):
    """Counts round trips: one send per command or per pipeline."""

    sends = 0

    def send_packed_command(self, command, check_health=True):
        type(self).sends += 1
        super().send_packed_command(command, check_health)


@pytest.fixture
def replica(redis_url) -> Iterator[Callable[..., SharedFaultBook]]:
    """A new process's book: its own client (as `serve` makes one), on the namespace given."""
    clients = []

    def make(namespace: str = "default") -> SharedFaultBook:
        clients.append(connect(redis_url))
        return SharedFaultBook(clients[-1], namespace)

    yield make
    for client in clients:
        client.close()


def sync(book: SharedFaultBook, client: redis.Redis) -> None:
    """What a request's sync does: read the version, hand it over."""
    version = client.get(book.version_key())
    book.observe(None if version is None else int(version))


def add(book, rule: dict, now: float = 0.0):
    return book.add(load_rule(rule), now)


def outcome(decision):
    return None if decision is None else (decision.rules, decision.respond, decision.transport, decision.latency)


def counts(book) -> dict[str, tuple[int, int]]:
    return {rule.id: (rule.calls, rule.fired) for rule in book.rules()}


def test_a_rule_added_through_one_process_is_seen_by_the_other_and_removed_likewise(replica, redis_client):
    one, two = replica(), replica()
    rule = add(one, {"id": "slow", "match": {"vendor": "sparrow"}, "respond": {"status": 503}})
    assert rule.id == "slow" and len(one) == 1
    assert len(two) == 0  # its cache is older until it observes the version
    sync(two, redis_client)
    assert len(two) == 1 and outcome(two.decide(ANY, 0)) == (["slow"], {"status": 503}, None, 0.0)

    added = int(redis_client.get(one.version_key()))
    assert two.remove("slow") is True
    removed = int(redis_client.get(one.version_key()))
    assert two.remove("slow") is False
    assert int(redis_client.get(one.version_key())) == removed > added  # a refused removal changes nothing
    sync(one, redis_client)
    assert len(one) == 0 and one.decide(ANY, 0) is None and one.rules() == []
    assert redis_client.exists(*one.keys()[2:]) == 0  # no rule, order or count is left behind


def test_first_two_fires_on_exactly_the_first_two_calls_of_both_processes(replica, redis_client):
    one, two = replica(), replica()
    add(one, {"when": {"first": 2}, "respond": {"status": 500}})
    sync(two, redis_client)
    fired = [(one, two)[i % 2].decide(ANY, 0) is not None for i in range(6)]
    assert fired == [True, True, False, False, False, False]
    assert counts(one) == counts(two) == {"fault-1": (6, 2)}
    assert two.rules()[0].describe()["calls"] == 6 and two.rules()[0].describe()["fired"] == 2


def test_concurrent_calls_on_both_processes_count_each_call_once(replica, redis_client):
    one, two = replica(), replica()
    add(one, {"when": {"first": 5}, "respond": {"status": 500}})
    add(one, {"id": "all", "latency": {"fixed": "2ms"}})
    sync(two, redis_client)
    with ThreadPoolExecutor(16) as pool:
        decisions = list(pool.map(lambda i: (one, two)[i % 2].decide(ANY, 0), range(64)))
    erroring = [d for d in decisions if d.respond]
    assert len(erroring) == 5 and all(d.rules == ["fault-1", "all"] for d in erroring)
    assert all(d.latency == pytest.approx(0.002) for d in decisions)
    assert counts(two) == {"fault-1": (64, 5), "all": (64, 64)}


def test_nth_fires_on_the_third_call_whichever_process_serves_it(replica, redis_client):
    one, two = replica(), replica()
    add(two, {"when": {"nth": 3}, "transport": "reset"})
    sync(one, redis_client)
    decisions = [outcome((one, two, one, one, two)[i].decide(ANY, 0)) for i in range(5)]
    assert decisions == [None, None, (["fault-1"], None, "reset", 0.0), None, None]
    assert counts(one) == {"fault-1": (5, 1)}


def _draws(seed: str, calls: int, probability: float) -> list[bool]:
    """The documented draw: sha1("<seed>:<n>"), first 13 hex digits as a fraction, below the probability."""
    return [int(hashlib.sha1(f"{seed}:{n}".encode()).hexdigest()[:13], 16) / 16**13 < probability
            for n in range(1, calls + 1)]


@pytest.mark.parametrize("seed, seed_text", [({"seed": -7}, "-7"), ({}, "flaky")])
def test_seeded_probability_gives_the_same_hits_and_latencies_whichever_process_draws(replica, redis_client,
                                                                                     seed, seed_text):
    rule = {"id": "flaky", "when": {"probability": 0.4, **seed}, "respond": {"status": 503},
            "latency": {"uniform": ["1ms", "50ms"]}}
    alone = replica("alone")
    add(alone, rule)
    one, two = replica("pair"), replica("pair")
    add(one, rule)
    sync(two, redis_client)

    by_one = [outcome(alone.decide(ANY, 0)) for _ in range(60)]
    by_both = [outcome((one, two)[i % 3 % 2].decide(ANY, 0)) for i in range(60)]
    assert by_one == by_both
    hits = [decision is not None for decision in by_one]
    assert hits == _draws(seed_text, 60, 0.4)
    assert 10 < sum(hits) < 40
    latencies = {decision[3] for decision in by_one if decision}
    assert len(latencies) == sum(hits) and all(0.001 <= latency <= 0.05 for latency in latencies)


def test_generated_ids_are_unique_across_processes_and_restart_after_a_clear(replica, redis_client):
    one, two = replica(), replica()
    ids = [add((one, two)[i % 2], {"respond": {"status": 500}}).id for i in range(6)]
    assert ids == [f"fault-{n}" for n in range(1, 7)]
    assert add(two, {"id": "mine", "respond": {"status": 500}}).id == "mine"
    assert add(one, {"respond": {"status": 500}}).id == "fault-8"  # explicit ids take a number too, as in memory
    sync(two, redis_client)
    assert [rule.id for rule in two.rules()] == ids + ["mine", "fault-8"]
    one.clear()
    sync(two, redis_client)
    assert len(two) == 0 and two.rules() == []
    assert add(two, {"respond": {"status": 500}}).id == "fault-1"


def test_an_existing_id_is_replaced_in_its_place_with_fresh_counts(replica, redis_client):
    one, two = replica(), replica()
    for rule_id in ("a", "b", "c"):
        add(one, {"id": rule_id, "respond": {"status": 500}})
    one.decide(ANY, 0)
    add(two, {"id": "b", "when": {"nth": 2}, "respond": {"status": 502}})
    sync(one, redis_client)
    assert [rule.id for rule in one.rules()] == ["a", "b", "c"]
    assert counts(one) == {"a": (1, 1), "b": (0, 0), "c": (1, 1)}
    assert one.rules()[1].when == {"nth": 2}


def test_a_process_that_has_not_observed_a_change_evaluates_the_new_rules(replica):
    one, two = replica(), replica()
    add(one, {"id": "r", "when": {"first": 1}, "respond": {"status": 500}})
    add(two, {"id": "r", "respond": {"status": 503}})  # replaces it; `one` has not synced
    assert outcome(one.decide(ANY, 0)) == (["r"], {"status": 503}, None, 0.0)
    assert outcome(one.decide(ANY, 0)) == (["r"], {"status": 503}, None, 0.0)
    assert counts(two) == {"r": (2, 2)}
    two.remove("r")
    assert one.decide(ANY, 0) is None and len(one) == 0


def test_versions_only_grow_even_when_the_keys_are_deleted_and_written_again(replica, redis_client):
    one, two = replica(), replica()
    add(one, {"id": "old", "respond": {"status": 500}})
    sync(two, redis_client)
    redis_client.delete(*one.keys())  # as a deleted namespace's keys go
    add(replica(), {"id": "new", "respond": {"status": 503}})
    sync(two, redis_client)
    assert outcome(two.decide(ANY, 0)) == (["new"], {"status": 503}, None, 0.0)
    assert outcome(one.decide(ANY, 0)) == (["new"], {"status": 503}, None, 0.0)  # unsynced: the version check
    assert counts(one) == {"new": (2, 2)}


RULES = [
    {"id": "by-state", "match": {"vendor": "sparrow", "state": "RUNNING"}, "when": {"nth": 2},
     "respond": {"status": 500, "code": "X", "message": "m", "headers": {"Retry-After": "1"}}},
    {"match": {"operation": "getAnalysis", "resource": "7"}, "when": {"first": 3}, "latency": {"fixed": "5ms"},
     "description": "slow start"},
    {"match": {"vendor": "hiveon"}, "transport": "empty"},
    {"id": "win", "when": {"window": {"from": "+10s", "until": "+20s"}}, "respond": {"status": 429}},
    {"id": "abs", "when": {"window": {"from": "1970-01-01T00:01:40Z", "until": "1970-01-01T00:01:50Z"}},
     "latency": {"lognormal": {"median": "10ms", "sigma": 0}}, "transport": "reset"},
]
REQUESTS = [
    Request("sparrow", "getAnalysis", ("7",), lambda: "RUNNING"),
    Request("sparrow", "getAnalysis", ("8",), lambda: "DONE"),
    Request("hiveon", "getDeployment", ("7",), lambda: None),
    Request(None, None, (), lambda: None),
]


def test_it_decides_describes_and_exports_as_the_memory_book_does(replica, redis_client):
    memory, one, two = FaultBook(), replica(), replica()
    for rule in RULES:
        assert add(one, rule, 90.0).describe() == add(memory, rule, 90.0).describe()
    sync(two, redis_client)
    for step in range(12):
        now = 90.0 + step * 2
        for index, request in enumerate(REQUESTS):
            shared = (one, two)[(step + index) % 2].decide(request, now)
            assert outcome(shared) == outcome(memory.decide(request, now)), (step, index)
    assert [r.describe() for r in two.rules()] == [r.describe() for r in memory.rules()]
    assert [r.export() for r in one.rules()] == [r.export() for r in memory.rules()]
    assert [r.when for r in one.rules()] == [r.when for r in memory.rules()]
    assert any(r.describe()["fired"] for r in memory.rules() if r.id == "win")

    again = replica("again")  # an exported rule loads back to the same rule, counts aside
    for exported in [r.export() for r in one.rules()]:
        add(again, exported, 500.0)
    uncounted = [{**r.describe(), "calls": 0, "fired": 0} for r in memory.rules()]
    assert [r.describe() for r in again.rules()] == uncounted


def test_namespaces_keep_their_rules_and_keys_apart(replica, redis_client):
    a, b = replica("a"), replica("b")
    add(a, {"id": "only-a", "when": {"first": 1}, "respond": {"status": 500}})
    a.decide(ANY, 0)
    sync(b, redis_client)
    assert len(b) == 0 and b.decide(ANY, 0) is None
    assert add(b, {"respond": {"status": 500}}).id == "fault-1"
    b.clear()
    assert counts(a) == {"only-a": (1, 1)}
    assert all(name.startswith("sim:{a}:") for name in a.keys())
    stored = {name.decode() for name in redis_client.keys("*")}
    assert stored <= set(a.keys()) | set(b.keys()) and stored & set(a.keys()) and stored & set(b.keys())


def test_round_trips_none_without_a_matching_rule_or_a_change_one_otherwise(redis_url, redis_client):
    client = redis.Redis.from_url(redis_url, connection_class=CountingConnection)
    try:
        book = SharedFaultBook(client, "default")
        add(book, {"match": {"vendor": "hiveon"}, "respond": {"status": 500}})
        add(book, {"match": {"vendor": "sparrow"}, "latency": {"fixed": "1ms"}})
        add(book, {"match": {"operation": "getAnalysis"}, "when": {"probability": 0.5}, "respond": {"status": 503}})
        book.decide(ANY, 0)  # loads the script once
        version = int(redis_client.get(book.version_key()))

        def trips(action) -> int:
            before = CountingConnection.sends
            action()
            return CountingConnection.sends - before

        assert trips(lambda: book.observe(version)) == 0
        assert trips(lambda: book.decide(Request("feldera", None, (), lambda: None), 0)) == 0
        assert trips(lambda: book.decide(ANY, 0)) == 1  # two matching rules, one script
        add(SharedFaultBook(redis_client, "default"), {"respond": {"status": 500}})
        assert trips(lambda: book.observe(int(redis_client.get(book.version_key())))) == 1
        assert trips(lambda: book.decide(ANY, 0)) == 1
    finally:
        client.close()


def test_an_unreachable_store_fails_each_call_whole_and_the_book_resumes_when_it_is_back():
    server = RedisServer().start()
    client = connect(server.url)
    try:
        book = SharedFaultBook(client, "default")
        add(book, {"id": "r", "when": {"first": 3}, "respond": {"status": 500}})
        assert book.decide(ANY, 0) is not None
        client.save()  # the server comes back with this state
        server.stop()

        for action in (lambda: add(book, {"respond": {"status": 500}}), lambda: book.remove("r"), book.clear,
                       book.rules, lambda: book.decide(ANY, 0), lambda: book.observe(99)):
            with pytest.raises(StoreUnavailable, match="unavailable"):
                action()
            assert len(book) == 1  # the cache kept what it had

        server.start()
        assert book.decide(ANY, 0) is not None
        assert counts(book) == {"r": (2, 2)}  # none of the failed calls left a trace
        assert add(book, {"respond": {"status": 500}}).id == "fault-2"
    finally:
        client.close()
        server.close()
