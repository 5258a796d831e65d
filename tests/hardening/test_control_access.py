"""The control API is not open to the web: foreign Host names (DNS rebinding), other origins,
bodies any page can send (text/plain, forms), and, with --control-token, anyone without it."""
from __future__ import annotations

import requests

from tests.conftest import start_server, stop_server
from tests.hardening.conftest import DEFAULT_SCENARIO, SPARROW_AUTH, TIMEOUT, assert_healthy, snapshot

SAST = {"sastOptions": {"analysisSource": {"type": "VCS", "vcsInfo": {"url": "https://example.com/r.git"}}}}


def _create_analysis(server) -> int:
    created = requests.post(f"{server.url}/api/v1/analysis/tool/sast", json=SAST, headers=SPARROW_AUTH,
                            timeout=TIMEOUT)
    assert created.status_code == 200, created.text
    return created.json()["analysisList"][0]["analysisId"]


def _port(server) -> str:
    return server.url.rsplit(":", 1)[1]


def test_a_foreign_host_name_is_refused_so_dns_rebinding_reads_and_changes_nothing(live):
    analysis = _create_analysis(live)
    before = snapshot(live)
    rebinding = {"Host": f"attacker.example:{_port(live)}"}
    for method, path in (("POST", "/reset"), ("GET", "/resources"), ("GET", "/scenario?auth=include"),
                         ("GET", "/requests"), ("DELETE", "/faults")):
        answer = requests.request(method, f"{live.url}/_simulator{path}", headers=rebinding, timeout=TIMEOUT)
        assert answer.status_code == 403, (path, answer.text)
        assert "attacker.example" in answer.json()["error"] and "--allowed-host" in answer.json()["error"]
    assert snapshot(live) == before
    vendor = requests.get(f"{live.url}/api/v3/analysis/{analysis}", headers={**SPARROW_AUTH, **rebinding},
                          timeout=TIMEOUT)
    assert vendor.status_code == 200  # vendor paths answer whatever the Host: clients use their own names
    for host in ("localhost", "127.0.0.1", "127.1.2.3", "[::1]"):
        assert requests.get(f"{live.url}/_simulator/clock", headers={"Host": f"{host}:{_port(live)}"},
                            timeout=TIMEOUT).status_code == 200


def test_allowed_host_names_are_accepted(server_with):
    server = server_with("--allowed-host", "sim.test")
    answer = requests.get(f"{server.url}/_simulator/clock", headers={"Host": f"sim.test:{_port(server)}"},
                          timeout=TIMEOUT)
    assert answer.status_code == 200 and "now" in answer.json()
    other = requests.get(f"{server.url}/_simulator/clock", headers={"Host": "other.test"}, timeout=TIMEOUT)
    assert other.status_code == 403


def test_cross_origin_writes_are_refused(live):
    analysis = _create_analysis(live)
    before = snapshot(live)
    for headers in ({"Origin": "http://attacker.example"}, {"Origin": "null"},
                    {"Origin": f"http://localhost.attacker.example:{_port(live)}"},
                    {"Sec-Fetch-Site": "cross-site"}):
        answer = requests.post(f"{live.url}/_simulator/reset", headers=headers, timeout=TIMEOUT)
        assert answer.status_code == 403, (headers, answer.text)
        assert "cross-" in answer.json()["error"]
    assert snapshot(live) == before
    assert live.control("GET", f"/resources/sparrow/analysis/{analysis}").status_code == 200  # not reset
    own = requests.put(f"{live.url}/_simulator/clock", json={"frozen": True}, timeout=TIMEOUT,
                       headers={"Origin": live.url})
    assert own.status_code == 200 and own.json()["frozen"] is True
    read = requests.get(f"{live.url}/_simulator/clock", headers={"Origin": "http://attacker.example"},
                        timeout=TIMEOUT)
    assert read.status_code == 200 and "Access-Control-Allow-Origin" not in read.headers  # the browser hides it


def test_bodies_any_page_can_send_are_never_parsed(live):
    before = snapshot(live)
    scenario = "name: injected\nresources: [{vendor: sparrow, kind: analysis, id: 999, state: COMPLETE}]\n"
    rule = '{"match": {"vendor": "sparrow"}, "respond": {"status": 500}}'
    for path, body, content_type in (
        ("/scenarios", scenario, "text/plain"),
        ("/scenarios", scenario, "application/x-www-form-urlencoded"),
        ("/scenarios", scenario, "multipart/form-data; boundary=x"),
        ("/scenarios", scenario, None),
        ("/faults", rule, "text/plain"),
        ("/clock/advance", '{"seconds": 3600}', "text/plain"),
    ):
        headers = {"Content-Type": content_type} if content_type else {}
        answer = requests.post(f"{live.url}/_simulator{path}", data=body.encode(), headers=headers, timeout=TIMEOUT)
        assert answer.status_code == 415, (path, content_type, answer.text)
        assert "application/json" in answer.json()["error"]
    assert snapshot(live) == before
    loaded = requests.post(f"{live.url}/_simulator/scenarios", data=scenario.encode(), timeout=TIMEOUT,
                           headers={"Content-Type": "application/yaml"})
    assert loaded.status_code == 201
    assert live.control("GET", "/resources/sparrow/analysis/999").json()["state"] == "COMPLETE"


def test_a_control_token_shuts_the_control_api_but_not_the_vendors(server_with):
    server = server_with("--scenario", DEFAULT_SCENARIO, "--control-token", "s3cret")
    url = f"{server.url}/_simulator"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic czNjcmV0"},
                    {"Authorization": "Bearer s3cret-and-more"}):
        answer = requests.post(f"{url}/reset", headers={**headers, "X-Simulator-Namespace": "probe"},
                               timeout=TIMEOUT)
        assert answer.status_code == 401, answer.text
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert "--control-token" in answer.json()["error"]
    token = {"Authorization": "Bearer s3cret"}
    namespaces = requests.get(f"{url}/namespaces", headers=token, timeout=TIMEOUT).json()
    assert [n["name"] for n in namespaces["namespaces"]] == ["default"]  # refused calls created nothing
    assert requests.get(f"{url}/health", headers=token, timeout=TIMEOUT).status_code == 200
    vendor = requests.get(f"{server.url}/api/v3/analysis/1006", headers=SPARROW_AUTH, timeout=TIMEOUT)
    assert vendor.status_code == 200 and vendor.json()["status"] == "COMPLETE"
    page = requests.get(f"{url}/ui", timeout=TIMEOUT)
    assert page.status_code != 401  # the dashboard page loads, then asks for the token itself


def test_the_token_can_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SIMULATOR_CONTROL_TOKEN", "from-env")
    server = start_server()
    try:
        assert requests.get(f"{server.url}/_simulator/clock", timeout=TIMEOUT).status_code == 401
        answer = requests.get(f"{server.url}/_simulator/clock", headers={"Authorization": "Bearer from-env"},
                              timeout=TIMEOUT)
        assert answer.status_code == 200
    finally:
        stop_server(server)


def test_binding_beyond_loopback_without_a_token_warns(server_with):
    server = server_with("--host", "0.0.0.0")
    assert "warning: listening on 0.0.0.0 without --control-token" in server.output
    assert_healthy(server)
    quiet = server_with("--host", "0.0.0.0", "--control-token", "t")
    assert "warning" not in quiet.output
