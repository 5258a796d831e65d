"""Hostile bodies over real sockets: refused in the vendor's envelope, nothing changed, journalled.

Limits (simulator/http/bodies.py): nesting over 64 levels, over 100 000 objects and arrays or
1 000 000 values, integers of over 4300 digits, non-finite numbers; bodies over --max-body-bytes get
413 in the vendor's envelope.
"""
from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import requests

from tests.conftest import LiveServer, start_server, stop_server
from tests.hardening.conftest import (
    DEFAULT_SCENARIO,
    SPARROW_AUTH,
    TIMEOUT,
    assert_healthy,
    journal,
    raw_exchange,
    state_of,
    vm_kib,
)


def _sparrow(body: dict) -> str:
    assert body["resultCode"] == "INVALID_PARAMETER"
    return body["message"]


def _feldera(body: dict) -> str:
    assert body["error_code"] == "BadRequest" and "details" in body
    return body["message"]


def _twelvelabs(body: dict) -> str:
    assert body["error"]["code"] in ("parameter_invalid", "parameter_not_provided")
    return body["error"]["message"]


def _hiveon(body: dict) -> str:
    assert body["code"] == 3 and body["details"]  # INVALID_ARGUMENT with its field violations
    return body["message"]


def _wrappers(body: dict) -> str:
    item = body["detail"][0]
    assert item["loc"][0] == "body"
    return item["msg"]


# vendor -> (create path, headers, status for a refused body, envelope reader)
CREATES: dict[str, tuple[str, dict, int, Callable[[dict], str]]] = {
    "sparrow": ("/api/v1/analysis/tool/sast", SPARROW_AUTH, 400, _sparrow),
    "feldera": ("/v0/pipelines", {}, 400, _feldera),
    "twelvelabs": ("/v1.3/analyze/batches", {"x-api-key": "hardening-key"}, 400, _twelvelabs),
    "hiveon": ("/vendors/v1/machines/deployments/start", {"X-API-Key": "hardening-key"}, 400, _hiveon),
    "wrappers": ("/resources/wrappers/generate", {"Authorization": "Bearer hardening-key"}, 422, _wrappers),
}

# (name, body, words the refusal must contain; None: the vendor's own words for a body of the wrong shape)
HOSTILE = [
    ("nested-490", "[" * 490 + "]" * 490, "deeper than 64 levels"),
    ("nested-100000", "[" * 100_000 + "]" * 100_000, "deeper than 64 levels"),
    ("containers-100001", "[" + "[]," * 100_000 + "[]]", "than 100000 objects and arrays"),
    ("int-5000-digits", '{"a": ' + "9" * 5000 + "}", "has 5000 digits: numbers have at most 4300"),
    ("int-minus-400-digits", '{"a": -' + "9" * 400 + "}", None),
    ("NaN", '{"a": NaN}', "NaN is not a JSON number"),
    ("Infinity", '{"a": [Infinity]}', "Infinity is not a JSON number"),
    ("1e400", '{"a": 1e400}', "too large to be a finite number"),
    ("values-1000001", "[" + "1," * 1_000_000 + "1]", "more than 1000000 values"),
    ("a-list", "[]", None),
    ("a-string", '"just a string"', None),
    ("wrong-fields", '{"unexpected": {"nested": [1, 2, {"x": null}]}}', None),
]


def _count(server: LiveServer, vendor: str) -> int:
    return server.control("GET", "/resources", params={"vendor": vendor}).json()["count"]


@pytest.mark.parametrize("vendor", sorted(CREATES))
@pytest.mark.parametrize(("body", "words"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_hostile_create_bodies_are_refused_in_the_vendors_envelope(shared, vendor, body, words):
    path, headers, status, envelope = CREATES[vendor]
    before = _count(shared, vendor)
    answer = requests.post(shared.url + path, data=body.encode(), timeout=TIMEOUT,
                           headers={**headers, "Content-Type": "application/json"})
    assert answer.status_code == status, answer.text
    message = envelope(answer.json())
    if words is not None:
        assert words in message
    assert _count(shared, vendor) == before  # nothing created
    last = journal(shared, vendor=vendor, limit=1)[-1]
    assert (last["method"], last["path"], last["status"]) == ("POST", path, status)
    assert last["operation"] is not None
    assert_healthy(shared)


@pytest.mark.parametrize("depth", [490, 100_000])
def test_a_deeply_nested_stop_changes_nothing(shared, depth):
    analysis = "1001"  # INIT with a minute to go: a stop would be deferred and show as pending
    before = state_of(shared, "sparrow", "analysis", analysis)
    answer = requests.post(f"{shared.url}/api/v2/analysis/{analysis}/stop", data="[" * depth + "]" * depth,
                           headers={**SPARROW_AUTH, "Content-Type": "application/json"}, timeout=TIMEOUT)
    assert answer.status_code == 400, answer.text
    assert "deeper than 64 levels" in _sparrow(answer.json())
    after = state_of(shared, "sparrow", "analysis", analysis)
    assert (after["state"], after["pending"], after["history"]) == (before["state"], before["pending"],
                                                                     before["history"])
    entry = journal(shared, vendor="sparrow", limit=1)[-1]
    assert entry["status"] == 400 and entry["path"].endswith("/stop") and entry["operation"]
    assert_healthy(shared)


def test_a_chunked_body_is_checked_and_a_zero_length_one_is_no_body(server_with):
    own = server_with("--scenario", DEFAULT_SCENARIO)
    json_type = {**SPARROW_AUTH, "Content-Type": "application/json"}
    nested = b"[" * 1000 + b"]" * 1000
    chunked = requests.post(f"{own.url}/api/v2/analysis/1003/stop", data=iter([nested[:700], nested[700:]]),
                            headers=json_type, timeout=TIMEOUT)
    assert chunked.status_code == 400 and "deeper than 64 levels" in _sparrow(chunked.json())
    assert state_of(own, "sparrow", "analysis", "1003")["state"] == "PRE_PROCESS"
    empty = requests.post(f"{own.url}/api/v2/analysis/1004/stop", data=b"", timeout=TIMEOUT,
                          headers={**json_type, "Content-Length": "0"})
    assert empty.status_code == 200, empty.text
    assert empty.json()["analysisId"] == 1004
    assert state_of(own, "sparrow", "analysis", "1004")["state"] == "STOP"
    entries = journal(own, vendor="sparrow")[-2:]
    assert [(e["status"], e["request"]["body"] is None) for e in entries] == [(400, False), (200, True)]
    assert entries[1]["request"]["headers"]["Content-Length"] == "0"
    assert_healthy(own)


@pytest.mark.parametrize("digits", [400, 5000])
def test_absurd_numeric_ids_get_a_400_naming_the_range(shared, digits):
    for method, suffix in (("GET", ""), ("POST", "/stop")):
        version = "v3" if method == "GET" else "v2"
        answer = requests.request(method, f"{shared.url}/api/{version}/analysis/{'9' * digits}{suffix}",
                                  headers=SPARROW_AUTH, timeout=TIMEOUT)
        assert answer.status_code == 400, answer.text
        assert "at most 18 digits" in _sparrow(answer.json())
    assert journal(shared, vendor="sparrow", limit=1)[-1]["status"] == 400
    assert_healthy(shared)


@pytest.mark.parametrize("path", ["/v0/pipelines/{id}", "/v1.3/analyze/batches/{id}",
                                  "/vendors/v1/machines/deployments/{id}", "/resources/wrappers/{id}"])
def test_absurd_string_ids_are_not_found_not_errors(shared, path):
    headers = {"x-api-key": "k", "X-API-Key": "k", "Authorization": "Bearer k"}
    answer = requests.get(shared.url + path.format(id="x" * 5000), headers=headers, timeout=TIMEOUT)
    assert answer.status_code in (400, 404), answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    assert_healthy(shared)


def test_oversized_bodies_get_413_in_the_envelope_and_are_journalled(server_with):
    limited = server_with("--scenario", DEFAULT_SCENARIO, "--max-body-bytes", "65536")
    url = limited.url + "/api/v1/analysis/tool/sast"
    body = json.dumps({"memo": "m" * 70_000}).encode()
    declared = requests.post(url, data=body, headers={**SPARROW_AUTH, "Content-Type": "application/json"},
                             timeout=TIMEOUT)
    chunked = requests.post(url, data=iter([body[:40_000], body[40_000:]]), timeout=TIMEOUT,
                            headers={**SPARROW_AUTH, "Content-Type": "application/json"})
    for answer in (declared, chunked):
        assert answer.status_code == 413, answer.text
        assert answer.json()["resultCode"] == "PAYLOAD_TOO_LARGE"
    entries = journal(limited, vendor="sparrow")
    assert [(e["status"], e["operation"], e["request"]["body"]) for e in entries[-2:]] == \
        [(413, "createSastAnalysis", None)] * 2
    control = requests.post(limited.url + "/_simulator/scenarios", data=b"x" * 70_000, timeout=TIMEOUT,
                            headers={"Content-Type": "application/yaml"})
    assert control.status_code == 413 and "65536 bytes" in control.json()["error"]
    feldera = requests.put(limited.url + "/v0/pipelines/big", data=b"{" + b" " * 70_000 + b"}", timeout=TIMEOUT,
                           headers={"Content-Type": "application/json"})
    assert feldera.status_code == 413 and feldera.json()["error_code"] == "PayloadTooLarge"
    assert limited.control("GET", "/resources", params={"vendor": "sparrow"}).json()["count"] == 8
    assert_healthy(limited)


@pytest.mark.parametrize(("field", "value"), [("resultVersion", 2**63), ("maxSourceSize", -1),
                                              ("maxSourceSize", int("9" * 400))])
def test_integers_beyond_a_fields_range_are_refused_naming_the_field(shared, field, value):
    body = {"sastOptions": {"analysisSource": {"type": "VCS", "vcsInfo": {"url": "https://example.com/r.git"}}},
            field: value} if field == "resultVersion" else \
        {"sastOptions": {"analysisSource": {"type": "VCS", "vcsInfo": {"url": "https://example.com/r.git"}},
                         field: value}}
    before = _count(shared, "sparrow")
    answer = requests.post(shared.url + "/api/v1/analysis/tool/sast", data=json.dumps(body), timeout=TIMEOUT,
                           headers={**SPARROW_AUTH, "Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    message = _sparrow(answer.json())
    assert field in message and "9223372036854775807" in message
    assert _count(shared, "sparrow") == before
    assert_healthy(shared)


def test_a_body_with_a_lying_length_does_not_hang_or_break_the_server(shared):
    host, port = shared.url.removeprefix("http://").split(":")
    request = (f"POST /api/v1/analysis/tool/sast HTTP/1.1\r\nHost: {host}:{port}\r\n"
               "Authorization: Bearer k\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{}")
    raw_exchange(shared, request.encode(), timeout=2)  # the shared waits for the rest; we give up
    assert_healthy(shared)


MIB = 1024 * 1024


@pytest.mark.parametrize(("shape", "make", "status", "bound"), [
    ("a 15 MiB SQL program", lambda n: json.dumps({"name": "big", "program_code": "x" * n}), 201, 8),
    ("15 MiB of numbers", lambda n: "[" + "1," * (n // 2) + "1]", 400, 3),
    ("15 MiB of short strings", lambda n: "[" + '"ab",' * (n // 5) + '"ab"]', 400, 3),
])
def test_a_body_near_the_limit_costs_a_few_times_its_size(shape, make, status, bound):
    body = make(15 * MIB).encode()
    server = start_server()
    try:
        before = vm_kib(server)
        answer = requests.post(server.url + "/v0/pipelines", data=body, timeout=60,
                               headers={"Content-Type": "application/json"})
        assert answer.status_code == status, answer.text[:200]
        growth = (vm_kib(server) - before) * 1024
        print(f"{shape}: {len(body) / MIB:.1f} MiB body, peak memory +{growth / MIB:.0f} MiB "
              f"({growth / len(body):.1f}x)")
        assert growth <= bound * len(body), f"{shape}: +{growth / MIB:.0f} MiB"
        kept = journal(server, vendor="feldera", limit=1)[-1]["request"]["body"]
        assert isinstance(kept, str) and len(kept) < 4200  # the journal keeps its limit, unparsed
        assert_healthy(server)
    finally:
        stop_server(server)
