"""When the shared store fails (Redis stopped, or not answering) vendor calls answer the vendor's
documented 500 in its envelope and the control API 503, nothing is half written, and service resumes
by itself when Redis is back; when a replica dies mid-load, every answered create survives it."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import redis
import requests

from .redis_server import RedisServer
from .replica_tools import (
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
    resource,
    stop_analysis,
    wait_until,
)


@pytest.fixture
def private_redis():
    """A Redis of this test's own, which it may stop and start again (same port, same directory)."""
    server = RedisServer().start()
    yield server
    server.close()


@pytest.fixture
def pair(private_redis):
    replicas = [Replica("--store", private_redis.url) for _ in range(2)]
    yield replicas
    for replica in replicas:
        replica.stop()


def _world(a: str, b: str, analysis: int) -> dict:
    """Everything the tests compare before and after an outage, read through both processes."""
    return {"vendor": get_analysis(a, analysis).json(), "detail": resource(b, "sparrow", "analysis", analysis),
            "ids": listed_ids(a, "sparrow"), "clock": call(b, "GET", "/_simulator/clock").json()}


def _assert_vendor_store_error(answer: requests.Response, template: str, method: str) -> None:
    assert answer.status_code == 500, answer.text
    body = answer.json()
    assert set(body) == {"resultCode", "message"} and body["resultCode"] == "INTERNAL_ERROR", body
    assert "shared store (Redis) is unavailable" in body["message"], body
    assert SparrowSpec().problems(method, template, answer) == []


def _assert_control_store_error(answer: requests.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert "shared store (Redis) is unavailable" in answer.json()["error"], answer.json()
    assert answer.headers["Retry-After"] == "1"


def test_redis_stopped_means_vendor_500_control_503_nothing_written_and_service_resumes(private_redis, pair):
    a, b = pair[0].url, pair[1].url
    freeze(a)
    analysis = new_analysis(a)
    advance(b, 2)  # READY
    before = _world(a, b, analysis)
    redis.Redis(port=private_redis.port).save()  # restarted, Redis reads this back
    private_redis.stop()

    _assert_vendor_store_error(stop_analysis(b, analysis), "/api/v2/analysis/{analysisId}/stop", "post")
    _assert_vendor_store_error(create_analysis(a), "/api/v1/analysis/tool/sast", "post")
    _assert_vendor_store_error(get_analysis(a, analysis), "/api/v3/analysis/{analysisId}", "get")
    _assert_control_store_error(call(a, "POST", "/_simulator/clock/advance", json={"seconds": 60}))
    _assert_control_store_error(call(b, "POST", "/_simulator/scenarios", json={"name": "x", "resources": []}))
    _assert_control_store_error(call(b, "POST", "/_simulator/reset"))

    private_redis.start()  # no replica restarts: the very next calls are served
    assert _world(a, b, analysis) == before
    stopped = stop_analysis(b, analysis)
    assert stopped.status_code == 200 and stopped.json()["status"] == "STOP", stopped.text
    assert history(a, "sparrow", "analysis", analysis) == [("INIT", "created"), ("READY", "timer"),
                                                           ("STOP", "action:stop")]
    assert new_analysis(b) == analysis + 1  # the failed create took no id


def test_redis_not_answering_is_the_same_store_error_within_the_timeouts(private_redis, pair):
    a, b = pair[0].url, pair[1].url
    freeze(a)
    analysis = new_analysis(a)
    before = _world(a, b, analysis)
    os.kill(private_redis.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        _assert_vendor_store_error(stop_analysis(a, analysis), "/api/v2/analysis/{analysisId}/stop", "post")
        _assert_control_store_error(call(b, "POST", "/_simulator/clock/advance", json={"seconds": 60}))
        assert time.monotonic() - started < 10  # each call waits one command's timeout (2 s), not forever
    finally:
        os.kill(private_redis.process.pid, signal.SIGCONT)
    assert _world(a, b, analysis) == before
    assert stop_analysis(b, analysis).status_code == 200


def test_every_create_answered_before_a_replica_was_killed_mid_load_is_in_the_world(redis_url):
    doomed, survivor = Replica("--store", redis_url), Replica("--store", redis_url)
    try:
        freeze(survivor.url)
        answered: dict[str, list[int]] = {"doomed": [], "survivor": []}
        latencies: list[float] = []
        errors: list[BaseException] = []
        stop = threading.Event()

        def create_through(name: str, replica: Replica) -> None:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    answer = create_analysis(replica.url)
                except requests.ConnectionError:
                    return  # the doomed replica is gone
                except BaseException as exc:  # noqa: BLE001 - reported by the test
                    errors.append(exc)
                    return
                if answer.status_code != 200:
                    errors.append(AssertionError(f"{name}: {answer.status_code} {answer.text}"))
                    return
                if name == "survivor":
                    latencies.append(time.monotonic() - started)
                answered[name].append(answer.json()["analysisList"][0]["analysisId"])

        threads = [threading.Thread(target=create_through, args=(name, replica))
                   for name, replica in (("doomed", doomed), ("survivor", survivor))]
        for thread in threads:
            thread.start()
        wait_until(lambda: len(answered["doomed"]) >= 30 and len(answered["survivor"]) >= 30, 30, "load on both")
        doomed.kill()
        after_kill = len(answered["survivor"])
        wait_until(lambda: len(answered["survivor"]) >= after_kill + 30 or errors, 30, "the survivor kept creating")
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        every = answered["doomed"] + answered["survivor"]
        assert len(set(every)) == len(every)
        listed = {int(id) for id in listed_ids(survivor.url, "sparrow")}
        assert set(every) <= listed
        assert len(listed - set(every)) <= 1  # at most the doomed replica's one create in flight, unanswered
        for analysis in answered["doomed"]:
            seen = get_analysis(survivor.url, analysis)
            assert seen.status_code == 200 and seen.json()["status"] == "INIT", seen.text
        print(f"survivor's slowest create around the kill: {max(latencies):.2f} s")
    finally:
        doomed.stop()
        survivor.stop()
