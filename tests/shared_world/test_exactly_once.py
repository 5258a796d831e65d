"""Exactly once across two processes: concurrent calls on one resource change it once, concurrent
creates never share an id, and each callback is delivered once, by whichever process holds the
delivery lease (the survivor takes over when the holder dies)."""
from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .replica_tools import (
    SAST,
    CallbackReceiver,
    Replica,
    SparrowSpec,
    advance,
    call,
    create_analysis,
    freeze,
    get_analysis,
    history,
    listed_ids,
    new_analysis,
    stop_analysis,
)

STOPS = 64


def test_64_concurrent_stops_over_both_processes_change_the_analysis_once(world):
    a, b, ns = world.a, world.b, world.ns
    freeze(a, ns)
    analysis = new_analysis(a, headers=ns)
    advance(b, 2, ns)  # READY: a stop takes it to STOP at once
    start = threading.Barrier(STOPS)

    def stop(i: int):
        start.wait(timeout=30)
        return stop_analysis(a if i % 2 else b, analysis, ns)

    with ThreadPoolExecutor(STOPS) as pool:
        answers = list(pool.map(stop, range(STOPS)))

    spec = SparrowSpec()
    problems = [p for answer in answers for p in spec.problems("post", "/api/v2/analysis/{analysisId}/stop", answer)]
    assert problems == []
    outcomes = Counter((answer.status_code, answer.json().get("resultCode")) for answer in answers)
    assert outcomes == {(200, "ANALYSIS_STOPPED"): 1, (400, "ANALYSIS_ALREADY_STOPPED"): STOPS - 1}, outcomes
    [accepted] = [answer.json() for answer in answers if answer.status_code == 200]
    assert accepted["status"] == "STOP" and accepted["analysisId"] == analysis
    advance(a, 60, ns)
    steps = history(b, "sparrow", "analysis", analysis, ns)
    assert steps == [("INIT", "created"), ("READY", "timer"), ("STOP", "action:stop")]
    assert get_analysis(a, analysis, ns).json()["endTime"] == accepted["endTime"]


def test_concurrent_creates_on_both_processes_get_unique_ids_that_all_exist(world):
    a, b, ns = world.a, world.b, world.ns
    freeze(a, ns)

    def create(i: int):
        return create_analysis(a if i % 2 else b, {**SAST, "memo": f"create-{i}"}, ns)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(create, range(100)))

    assert [answer.status_code for answer in answers] == [200] * 100, [a.text for a in answers if a.status_code != 200]
    analyses = [answer.json()["analysisList"][0]["analysisId"] for answer in answers]
    requests_ = [answer.json()["requestId"] for answer in answers]
    assert len(set(analyses)) == 100 and len(set(requests_)) == 100
    for base in (a, b):
        assert sorted(listed_ids(base, "sparrow", ns), key=int) == sorted(map(str, analyses), key=int)
    memos = {i: get_analysis(a if i % 3 else b, analyses[i], ns).json()["memo"] for i in range(0, 100, 7)}
    assert memos == {i: f"create-{i}" for i in range(0, 100, 7)}
    for i in range(0, 100, 11):
        request = call(a, "GET", f"/api/v1/request/{requests_[i]}", {"Authorization": "Bearer k", **ns})
        assert [x["analysisId"] for x in request.json()["analysisList"]] == [analyses[i]]


@pytest.fixture
def delivering_pair(redis_url):
    pair = [Replica("--store", redis_url) for _ in range(2)]
    yield pair
    for replica in pair:
        replica.stop()


LEASE = 8.0  # DELIVERY_LEASE_MS: a dead holder's lease runs out after this


def test_each_callback_is_delivered_once_and_the_survivor_takes_over_from_a_killed_deliverer(delivering_pair):
    replica_a, replica_b = delivering_pair
    a, b = replica_a.url, replica_b.url
    by_pid = {replica.pid: replica for replica in delivering_pair}
    with CallbackReceiver(list(by_pid)) as receiver:
        freeze(a)
        body = {**SAST, "callbacks": [{"type": ["ANALYSIS_PROGRESS", "ANALYSIS_COMPLETE"], "url": receiver.url}]}
        analysis = new_analysis(a, body)
        advance(a, 2)  # READY
        receiver.wait(lambda r: len(r.answered) >= 1, 10, "READY delivered")
        advance(b, 2)  # PRE_PROCESS
        receiver.wait(lambda r: len(r.answered) >= 2, 10, "PRE_PROCESS delivered")
        assert receiver.statuses() == ["READY", "PRE_PROCESS"]
        assert all(record["pid"] in by_pid for record in receiver.answered)

        receiver.hold_next()  # ANALYSIS's delivery will still be in flight when its sender dies
        moved: list = []

        def move() -> None:
            try:
                moved.append(call(a, "POST", "/_simulator/clock/advance", json={"seconds": 2}).status_code)
            except requests.ConnectionError as exc:  # A was the deliverer, killed while its advance delivered
                moved.append(exc)

        mover = threading.Thread(target=move)
        mover.start()
        receiver.wait(lambda r: len(r.held) == 1, 10, "ANALYSIS delivery started")
        [held] = receiver.held
        assert held["body"]["status"] == "ANALYSIS" and held["pid"] in by_pid
        deliverer = by_pid[held["pid"]]
        deliverer.kill()
        killed_at = time.monotonic()
        receiver.release()
        mover.join(timeout=30)
        survivor = replica_b if deliverer is replica_a else replica_a
        if survivor is replica_a:  # B's dispatcher had the lease: A's advance returned all the same
            assert moved == [200]
        else:
            assert len(moved) == 1 and isinstance(moved[0], requests.ConnectionError), moved

        advance(survivor.url, 5)  # POST_PROCESS
        advance(survivor.url, 2)  # COMPLETE: a progress and a complete callback
        receiver.wait(lambda r: len(r.answered) >= 6, LEASE + 15, "the survivor delivered the rest")
        pending = call(survivor.url, "GET", "/_simulator/callbacks").json()
    assert receiver.statuses() == ["READY", "PRE_PROCESS", "ANALYSIS", "POST_PROCESS", "COMPLETE", "COMPLETE"]
    assert [record["pid"] for record in receiver.answered[2:]] == [survivor.pid] * 4
    assert receiver.answered[2]["at"] - killed_at < LEASE + 5  # it waited for the lease, no longer
    assert pending == {"callbacks": [], "count": 0}
    assert get_analysis(survivor.url, analysis).json()["status"] == "COMPLETE"


def test_a_delivery_run_that_outlasts_the_lease_delivers_nothing_twice(delivering_pair):
    """A slow receiver (2.5 s an answer, within the 3 s attempt timeout) and 4 callbacks due at once:
    the run of the process that delivers them takes about 10 s, longer than its 8 s lease (renewed at
    each attempt), while the other process's dispatcher is polling for the lease."""
    replica_a, replica_b = delivering_pair
    a, b = replica_a.url, replica_b.url
    with CallbackReceiver([replica_a.pid, replica_b.pid], answer_after=lambda path: 2.5) as receiver:
        freeze(b)  # B's dispatcher is started, and looks for due callbacks every second
        hooks = [{"type": ["ANALYSIS_PROGRESS"], "url": f"{receiver.url}/{n}"} for n in range(4)]
        new_analysis(a, {**SAST, "callbacks": hooks})
        moved = requests.post(f"{a}/_simulator/clock/advance", json={"seconds": 2}, timeout=60)  # READY
        assert moved.status_code == 200
        receiver.wait(lambda r: len(r.answered) >= 4, 30, "four deliveries")
    paths = Counter(record["path"] for record in receiver.answered)
    assert paths == {f"/hook/{n}": 1 for n in range(4)}, paths


def test_a_frozen_clocks_advance_returns_after_delivery_while_the_other_process_delivers(delivering_pair):
    """README: under a frozen clock, `advance` returns after what fell due was delivered. Here B is
    busy delivering an earlier callback to a slow receiver when A's advance makes another one due."""
    replica_a, replica_b = delivering_pair
    a, b = replica_a.url, replica_b.url
    with CallbackReceiver([replica_a.pid, replica_b.pid],
                          answer_after=lambda path: 2.5 if path.endswith("/slow") else 0.0) as receiver:
        freeze(a)
        new_analysis(a, {**SAST, "callbacks": [{"type": ["ANALYSIS_PROGRESS"], "url": f"{receiver.url}/slow"}]})
        slow_run = threading.Thread(target=advance, args=(b, 2))  # READY: B delivers it, slowly
        slow_run.start()
        receiver.wait(lambda r: any(x["path"] == "/hook/slow" for x in r.answered), 10, "the slow delivery began")
        fast = new_analysis(a, {**SAST, "callbacks": [{"type": ["ANALYSIS_PROGRESS"], "url": f"{receiver.url}/fast"}]})
        advance(a, 2)  # the second analysis' READY falls due
        delivered = [x["body"]["analysisId"] for x in receiver.answered if x["path"] == "/hook/fast"]
        slow_run.join(timeout=30)
        receiver.wait(lambda r: any(x["path"] == "/hook/fast" for x in r.answered), 10, "the fast delivery")
    assert delivered == [fast]
