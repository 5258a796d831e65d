"""Issue 11 item 1: callbacks and webhooks cannot be turned against the simulator or its users.

Against a live server: a callback aimed at the simulator's own socket (any spelling of its host) is
refused at create time with Sparrow's 400 and at scenario load with the control API's 400; one that
slipped in with a start-up scenario is never delivered (a refused attempt in the journal, the target
untouched). Deliveries never follow redirects nor carry X-Simulator-* headers; header names and
values that could split a request are refused; one bad delivery never stops another.
"""
from __future__ import annotations

import socket

import requests
import yaml

from tests.features.receiver import Receiver
from tests.hardening.conftest import (
    DEFAULT_SCENARIO,
    SPARROW_AUTH,
    TIMEOUT,
    address,
    assert_healthy,
    journal,
    snapshot,
)

DAST = "/api/v1/analysis/tool/dast"


def _create_body(url: str, headers=(("X-Hook-Token", "hook-value"),), events=("ANALYSIS_COMPLETE",)) -> dict:
    return {"dastOptions": {"crawlerTargetSeedUrls": ["https://example.com/"]},
            "callbacks": [{"type": list(events), "url": url,
                           "headers": [{"key": k, "value": v} for k, v in headers]}]}


def _create(server, body) -> requests.Response:
    return requests.post(f"{server.url}{DAST}", json=body, headers=SPARROW_AUTH, timeout=TIMEOUT)


def _advance(server, seconds: float) -> None:
    response = server.control("POST", "/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text


def _self_spellings(port: int) -> list[str]:
    return [f"http://{host}:{port}/_simulator/reset" for host in (
        "127.0.0.1", "localhost", "LOCALHOST.", "127.1", "2130706433", "0x7f000001", "0177.0.0.1",
        "0.0.0.0", "[::ffff:127.0.0.1]", "127.0.0.1.")] + [f"http://user:pw@127.0.0.1:{port}/api/v3/analysis/1"]


def test_a_callback_to_the_simulator_itself_is_refused_at_create_time(live):
    _, port = address(live)
    before = snapshot(live)
    for url in _self_spellings(port):
        response = _create(live, _create_body(url))
        assert response.status_code == 400, (url, response.text)
        body = response.json()
        assert body["resultCode"] == "INVALID_PARAMETER", url
        assert "simulator itself" in body["message"], (url, body)
    assert snapshot(live) == before  # no analysis, no request id used up
    refused = journal(live, operation="createDastAnalysis", status=400)
    assert len(refused) == len(_self_spellings(port))
    # Another port on loopback is a receiver like any other: accepted.
    assert _create(live, _create_body(f"http://127.0.0.1:{port + 1 if port < 65535 else 1}/hook")).status_code == 200
    assert_healthy(live)


def test_bound_to_every_interface_any_local_address_is_the_simulator(server_with):
    server = server_with("--scenario", DEFAULT_SCENARIO, "--host", "0.0.0.0")
    assert server.control("PUT", "/clock", json={"frozen": True}).status_code == 200
    _, port = address(server)
    before = snapshot(server)
    local = socket.gethostbyname(socket.gethostname())
    for host in ("127.0.0.2", "0.0.0.0", local, "localhost"):
        response = _create(server, _create_body(f"http://{host}:{port}/_simulator/reset"))
        assert response.status_code == 400, (host, response.text)
        assert response.json()["resultCode"] == "INVALID_PARAMETER"
    assert snapshot(server) == before
    assert_healthy(server)


def test_a_scenario_aiming_callbacks_or_webhooks_at_the_simulator_is_refused(live):
    _, port = address(live)
    before = snapshot(live)
    sparrow = {"name": "self-callback", "resources": [{
        "vendor": "sparrow", "kind": "analysis", "id": 77, "state": "ANALYSIS", "remaining": "10s",
        "fields": {"callbacks": [{"type": ["ANALYSIS_COMPLETE"], "url": f"http://127.1:{port}/_simulator/reset"}]}}]}
    twelvelabs = {"name": "self-webhook", "settings": {"twelvelabs": {"webhooks": [f"http://localhost:{port}/x"]}}}
    for document in (sparrow, twelvelabs):
        response = live.control("POST", "/scenarios", json=document)
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["error"] == "invalid scenario"
        assert "simulator itself" in str(body["details"])
    assert snapshot(live) == before
    assert_healthy(live)


def test_a_callback_that_slipped_in_is_never_delivered_and_recorded_as_refused(server_with, tmp_path):
    """A start-up scenario is read before the server listens; the dispatcher checks each address it
    would connect to. The target, /_simulator/reset, would wipe the namespace if it were reached."""
    with socket.socket() as probe:  # a free port, so the scenario can name it before the server binds
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scenario = tmp_path / "slipped.yaml"
    scenario.write_text(yaml.safe_dump({"name": "slipped", "resources": [{
        "vendor": "sparrow", "kind": "analysis", "id": 4242, "state": "POST_PROCESS", "remaining": "5s",
        "fields": {"callbacks": [{"type": ["ANALYSIS_COMPLETE"], "url": f"http://0x7f000001:{port}/_simulator/reset",
                                  "headers": [{"key": "X-Hook", "value": "v"}]}]}}]}))
    server = server_with("--scenario", DEFAULT_SCENARIO, "--scenario", str(scenario), "--port", str(port))
    assert server.control("PUT", "/clock", json={"frozen": True}).status_code == 200
    created = _create(server, {"dastOptions": {"crawlerTargetSeedUrls": ["https://example.com/"]}})
    assert created.status_code == 200
    new_id = created.json()["analysisList"][0]["analysisId"]

    _advance(server, 10)

    [attempt] = journal(server, operation="callback:ANALYSIS_COMPLETE")
    assert attempt["status"] == 0 and attempt["error"] == "target is the simulator itself"
    assert attempt["direction"] == "outgoing" and attempt["attempt"] == 1
    assert server.control("GET", "/callbacks").json()["count"] == 0  # refused for good, not retried
    # Not reset: the analysis created before the advance is still there.
    assert server.control("GET", f"/resources/sparrow/analysis/{new_id}").status_code == 200
    assert_healthy(server)


def test_a_redirect_is_a_failed_attempt_retried_on_schedule_and_never_followed(live):
    with Receiver() as final:
        with Receiver(redirect_to=f"{final.url}/stolen") as redirecting:
            assert _create(live, _create_body(f"{redirecting.url}/hook")).status_code == 200
            _advance(live, 20)  # the fresh DAST analysis completes: 1st attempt
            _advance(live, 1)  # 2nd attempt, per the retry schedule (1 s after the first)
            attempts = journal(live, operation="callback:ANALYSIS_COMPLETE")
            assert [(a["attempt"], a["status"], a["error"]) for a in attempts] == [
                (1, 307, "HTTP 307"), (2, 307, "HTTP 307")]
            assert redirecting.calls == 2
            [pending] = live.control("GET", "/callbacks").json()["callbacks"]
            assert pending["attempts"] == 2 and pending["last_error"] == "HTTP 307"
        assert final.calls == 0  # the Location was never visited
    assert_healthy(live)


def test_deliveries_never_carry_simulator_headers(live):
    configured = (("X-Hook-Token", "hook-value"), ("X-Simulator-Namespace", "other"),
                  ("x-simulator-fault", "status=500"), ("Content-Length", "0"), ("Host", "evil.example"))
    with Receiver() as receiver:
        assert _create(live, _create_body(f"{receiver.url}/hook", headers=configured)).status_code == 200
        _advance(live, 20)
        [delivery] = receiver.received
    names = {name.lower() for name in delivery["headers"]}
    assert not any(name.startswith("x-simulator-") for name in names)
    assert delivery["headers"]["X-Hook-Token"] == "hook-value"
    assert delivery["headers"]["Host"] == receiver.url.removeprefix("http://")
    assert delivery["body"]["status"] == "COMPLETE"
    [attempt] = journal(live, operation="callback:ANALYSIS_COMPLETE")
    assert attempt["status"] == 204
    assert not any(name.lower().startswith("x-simulator-") for name in attempt["request"]["headers"])


def test_header_names_and_values_that_could_split_a_request_are_refused(live):
    before = snapshot(live)
    bad = [("X-Bad\r\nInjected", "v"), ("X Bad", "v"), ("", "v"), ("X-Bad:", "v"), ("X-Ok", "a\r\nInjected: yes"),
           ("X-Ok", "a\nb"), ("X-Ok", "a\rb"), ("X-Ok", "a\x00b"), ("X-Ok", "trailing\n")]
    with Receiver() as receiver:
        for name, value in bad:
            response = _create(live, _create_body(f"{receiver.url}/hook", headers=[(name, value)]))
            assert response.status_code == 400, (name, value, response.text)
            assert response.json()["resultCode"] == "INVALID_PARAMETER"
            assert "header" in response.json()["message"]
        assert snapshot(live) == before
        assert len(journal(live, operation="createDastAnalysis", status=400)) == len(bad)
        # A tab is allowed in a value (RFC 9110 field-value), and the delivery carries it.
        assert _create(live, _create_body(f"{receiver.url}/hook", headers=[("X-Ok", "a\tb")])).status_code == 200
        _advance(live, 20)
        assert [r["headers"]["X-Ok"] for r in receiver.received] == ["a\tb"]
    assert_healthy(live)


def test_one_bad_delivery_never_stops_another(live):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
    with Receiver() as good, Receiver(redirect_to="http://127.0.0.1:1/") as redirecting:
        targets = [f"http://127.0.0.1:{closed_port}/refused", f"{redirecting.url}/r", "http://192.0.2.1/off-loopback",
                   "http://127.0.0.1:99999/bad-port", "not a url at all", f"{good.url}/good"]
        for url in targets:
            response = _create(live, _create_body(url, headers=[("X-Unicode", "ünïcødé ☃")]))
            assert response.status_code == 200, (url, response.text)
        advanced = live.control("POST", "/clock/advance", json={"seconds": 20})
        assert advanced.status_code == 200, advanced.text
        [delivery] = good.received
    assert delivery["path"] == "/good" and delivery["body"]["status"] == "COMPLETE"
    assert delivery["headers"]["X-Unicode"].encode("latin-1").decode() == "ünïcødé ☃"  # sent as UTF-8
    attempts = journal(live, operation="callback:ANALYSIS_COMPLETE")
    by_path = {a["path"]: (a["status"], a["error"]) for a in attempts}
    assert by_path[f"{good.url}/good"] == (204, None)
    assert by_path[f"{redirecting.url}/r"] == (307, "HTTP 307")
    assert by_path["http://192.0.2.1/off-loopback"] == (0, "target not allowed")
    assert by_path[f"http://127.0.0.1:{closed_port}/refused"][0] == 0
    assert by_path["http://127.0.0.1:99999/bad-port"][0] == 0
    assert len(attempts) == len(targets)
    assert_healthy(live)
