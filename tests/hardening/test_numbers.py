"""Issue 11 item 2: numbers are bounded where the clock, scenarios and fault rules take them.

Each hostile number gets a 400 naming the field and the allowed range, the namespace is left as it
was, and it keeps answering: before the fix one NaN sent to the clock left it answering 500.
"""
from __future__ import annotations

import json

import pytest
import requests

from tests.hardening.conftest import SPARROW_AUTH, TIMEOUT, assert_healthy, journal, snapshot

BIG_INT = "9" * 400  # written into the JSON text as a bare number: Python reads it as an int


def post_raw(server, path: str, text: str, method: str = "POST") -> requests.Response:
    """Send JSON text as it is (NaN, Infinity and 400-digit numbers are not producible by json.dumps)."""
    return requests.request(method, f"{server.url}/_simulator{path}", data=text,
                            headers={"Content-Type": "application/json"}, timeout=TIMEOUT)


def assert_refused(response: requests.Response, field: str, allowed: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid body"
    messages = " ".join(body["details"][field])
    assert allowed in messages, messages


def assert_namespace_answers(server) -> None:
    """The clock reads, a vendor call answers 200 and is journalled: nothing was left broken."""
    assert server.control("GET", "/clock").status_code == 200
    response = requests.get(f"{server.url}/api/v3/analysis/1001", headers=SPARROW_AUTH, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    assert journal(server, path="/api/v3/analysis/1001")[-1]["status"] == 200
    assert_healthy(server)


@pytest.mark.parametrize("seconds", [
    "NaN", "Infinity", "-Infinity", "1e20", "-1", BIG_INT, f'"{BIG_INT}s"', '"3651d"', '"-5m"', "true", '"soon"',
])
def test_clock_advance_refuses_numbers_out_of_range(shared, seconds):
    before = snapshot(shared)
    response = post_raw(shared, "/clock/advance", f'{{"seconds": {seconds}}}')
    assert_refused(response, "seconds", "3650d (10 years)")
    assert snapshot(shared) == before
    assert_namespace_answers(shared)


def test_clock_advance_of_ten_years_is_allowed_and_one_past_year_9000_is_not(live):
    ten_years = live.control("POST", "/clock/advance", json={"seconds": "3650d"})
    assert ten_years.status_code == 200, ten_years.text
    assert live.control("PUT", "/clock", json={"now": "8999-12-01T00:00:00Z"}).status_code == 200
    before = snapshot(live)
    response = live.control("POST", "/clock/advance", json={"seconds": "365d"})
    assert_refused(response, "seconds", "9000-01-01")
    assert snapshot(live) == before
    assert before["clock"]["now"].startswith("8999-12-01")
    assert_namespace_answers(live)


@pytest.mark.parametrize(("body", "field", "allowed"), [
    ('{"speed": 0}', "speed", "(0, 1e+06]"),
    ('{"speed": -1}', "speed", "(0, 1e+06]"),
    ('{"speed": 1e7}', "speed", "(0, 1e+06]"),
    ('{"speed": NaN}', "speed", "(0, 1e+06]"),
    ('{"speed": Infinity}', "speed", "(0, 1e+06]"),
    (f'{{"speed": {BIG_INT}}}', "speed", "(0, 1e+06]"),
    ('{"speed": "fast"}', "speed", "(0, 1e+06]"),
    ('{"now": "1969-12-31T23:59:59Z"}', "now", "from 1970-01-01T00:00:00Z"),
    ('{"now": "9000-01-01T00:00:00Z"}', "now", "9000-01-01T00:00:00Z"),
    ('{"now": "0001-01-01T00:00:00+01:00"}', "now", "from 1970-01-01T00:00:00Z"),
    ('{"now": "' + "2" * 400 + '"}', "now", "from 1970-01-01T00:00:00Z"),
])
def test_clock_update_refuses_speed_and_now_out_of_range(shared, body, field, allowed):
    before = snapshot(shared)
    response = post_raw(shared, "/clock", body, method="PUT")
    assert_refused(response, field, allowed)
    assert snapshot(shared) == before
    assert_namespace_answers(shared)


def test_speed_at_the_limits_is_taken(live):
    for speed in (1e6, 0.001):
        response = live.control("PUT", "/clock", json={"speed": speed})
        assert response.status_code == 200, response.text
        assert response.json()["speed"] == speed


@pytest.mark.parametrize(("rule", "place", "allowed"), [
    ('{"latency": {"fixed": NaN}}', ["latency", "fixed"], "3650d"),
    ('{"latency": {"fixed": Infinity}}', ["latency", "fixed"], "3650d"),
    ('{"latency": {"fixed": -1}}', ["latency", "fixed"], "3650d"),
    (f'{{"latency": {{"fixed": {BIG_INT}}}}}', ["latency", "fixed"], "3650d"),
    ('{"latency": {"uniform": [0, 1e300]}}', ["latency", "uniform", "1"], "3650d"),
    ('{"latency": {"lognormal": {"median": "1s", "sigma": NaN}}}', ["latency", "lognormal", "sigma"], "[0, 5]"),
    (f'{{"latency": {{"lognormal": {{"median": "1s", "sigma": {BIG_INT}}}}}}}',
     ["latency", "lognormal", "sigma"], "[0, 5]"),
    ('{"respond": {"status": 503}, "when": {"probability": NaN}}', ["when", "probability"], "[0, 1]"),
    ('{"respond": {"status": 503}, "when": {"probability": 1.5}}', ["when", "probability"], "[0, 1]"),
    ('{"respond": {"status": 503}, "when": {"nth": 100000000000000000000}}', ["when", "nth"], "1000000000"),
    ('{"respond": {"status": 503}, "when": {"first": 0}}', ["when", "first"], "1000000000"),
    ('{"respond": {"status": 503}, "when": {"probability": 0.5, "seed": ' + BIG_INT + '}}', ["when", "seed"],
     "9223372036854775807"),
    ('{"respond": {"status": 503}, "when": {"window": {"from": "+' + BIG_INT + 's", "until": "+1s"}}}',
     ["when", "window", "from"], "3650d"),
    ('{"respond": {"status": 503}, "when": {"window": {"from": "1969-01-01T00:00:00Z", "until": "+1s"}}}',
     ["when", "window", "from"], "RFC 3339"),
])
def test_fault_rules_refuse_numbers_out_of_range(shared, rule, place, allowed):
    before = snapshot(shared)
    response = post_raw(shared, "/faults", rule)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid fault rule"
    details = body["details"]
    for key in place:  # marshmallow nests messages by field (a list item by its index)
        details = details[key]
    assert allowed in json.dumps(details), details
    assert snapshot(shared) == before
    assert_namespace_answers(shared)


@pytest.mark.parametrize(("entry", "path", "allowed"), [
    ("remaining: .nan", "resources[0].remaining", "3650d"),
    ("remaining: .inf", "resources[0].remaining", "3650d"),
    ("remaining: -.inf", "resources[0].remaining", "3650d"),
    (f"remaining: {BIG_INT}", "resources[0].remaining", "3650d"),
    ("timing: {INIT: .nan}", "resources[0].timing.INIT", "3650d"),
    ("created: 1969-07-20T20:17:40Z", "resources[0].created", "from 1970-01-01"),
])
def test_scenario_numbers_out_of_range_are_refused_and_nothing_loads(shared, entry, path, allowed):
    document = (
        "name: hostile-numbers\n"
        "clock: {now: 2040-01-01T00:00:00Z}\n"
        "resources:\n"
        "  - {vendor: sparrow, kind: analysis, id: 4242}\n"
        f"  - {{vendor: sparrow, kind: analysis, id: 4243, state: INIT, {entry}}}\n"
    ).replace("resources[0]", "resources[1]")
    before = snapshot(shared)
    response = requests.post(f"{shared.url}/_simulator/scenarios", data=document,
                             headers={"Content-Type": "application/yaml"}, timeout=TIMEOUT)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid scenario"
    problems = {problem["path"]: problem["message"] for problem in body["details"]}
    expected = path.replace("resources[0]", "resources[1]")
    assert expected in problems, problems
    assert allowed in problems[expected]
    assert snapshot(shared) == before
    assert_namespace_answers(shared)


@pytest.mark.parametrize(("clock", "allowed"), [
    ("{speed: .nan}", "(0, 1e+06]"), ("{speed: 0}", "(0, 1e+06]"), ("{speed: 1e7}", "(0, 1e+06]"),
    ("{now: 9999-01-01T00:00:00Z}", "9000-01-01"),
])
def test_scenario_clock_out_of_range_is_refused(shared, clock, allowed):
    before = snapshot(shared)
    response = requests.post(f"{shared.url}/_simulator/scenarios", data=f"name: c\nclock: {clock}\n",
                             headers={"Content-Type": "application/yaml"}, timeout=TIMEOUT)
    assert response.status_code == 400, response.text
    problems = {problem["path"]: problem["message"] for problem in response.json()["details"]}
    assert any(path.startswith("clock.") and allowed in message for path, message in problems.items()), problems
    assert snapshot(shared) == before
    assert_namespace_answers(shared)
