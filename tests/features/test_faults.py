"""Fault rules: each trigger, each effect, matching, and the contract guard."""
import time

import pytest
import requests

from tests.features.conftest import AUTH, SAST, new_analysis

GET_ANALYSIS = {"vendor": "sparrow", "operation": "getAnalysis"}


def _statuses(client, analysis_id, calls):
    return [client.get(f"/api/v3/analysis/{analysis_id}", headers=AUTH).status_code for _ in range(calls)]


def test_first_n_calls_fail_then_succeed(client, add_fault):
    analysis_id = new_analysis(client)
    add_fault({"match": GET_ANALYSIS, "when": {"first": 2}, "respond": {"status": 500}})
    assert _statuses(client, analysis_id, 4) == [500, 500, 200, 200]
    body = client.get(f"/api/v3/analysis/{analysis_id}", headers=AUTH).get_json()
    assert body["status"] == "INIT"


def test_the_error_is_in_the_vendor_envelope_with_code_message_and_headers(client, add_fault):
    analysis_id = new_analysis(client)
    add_fault({"match": GET_ANALYSIS, "respond": {"status": 500, "code": "INTERNAL_ERROR", "message": "down",
                                                  "headers": {"Retry-After": "5"}}})
    response = client.get(f"/api/v3/analysis/{analysis_id}", headers=AUTH)
    assert response.status_code == 500
    assert response.get_json() == {"resultCode": "INTERNAL_ERROR", "message": "down"}
    assert response.headers["Retry-After"] == "5"


def test_nth_call_only(client, add_fault):
    analysis_id = new_analysis(client)
    add_fault({"match": GET_ANALYSIS, "when": {"nth": 3}, "respond": {"status": 500}})
    assert _statuses(client, analysis_id, 5) == [200, 200, 500, 200, 200]


def test_every_call(client, add_fault):
    analysis_id = new_analysis(client)
    rule = add_fault({"match": GET_ANALYSIS, "respond": {"status": 500}})
    assert _statuses(client, analysis_id, 3) == [500, 500, 500]
    listed = client.get("/_simulator/faults").get_json()["faults"]
    assert listed[0]["id"] == rule["id"] and listed[0]["calls"] == 3 and listed[0]["fired"] == 3


def test_seeded_probability_gives_the_same_sequence_every_time(app, client, add_fault):
    analysis_id = new_analysis(client)

    def sequence(seed):
        client.delete("/_simulator/faults")
        add_fault({"match": GET_ANALYSIS, "when": {"probability": 0.5, "seed": seed}, "respond": {"status": 500}})
        return _statuses(client, analysis_id, 40)

    first, again, other = sequence(7), sequence(7), sequence(8)
    assert first == again
    assert first != other
    assert 5 < first.count(500) < 35


def test_window_of_virtual_time(client, control, add_fault):
    analysis_id = new_analysis(client)
    add_fault({"match": GET_ANALYSIS, "when": {"window": {"from": "+10s", "until": "+20s"}},
               "respond": {"status": 500}})
    assert _statuses(client, analysis_id, 1) == [200]
    control.advance(10)
    assert _statuses(client, analysis_id, 2) == [500, 500]
    control.advance(10)
    assert _statuses(client, analysis_id, 1) == [200]


def test_match_on_resource_id_and_current_state(client, control, add_fault):
    target, other = new_analysis(client), new_analysis(client)
    add_fault({"match": {"vendor": "sparrow", "resource": str(target), "state": "ANALYSIS"},
               "respond": {"status": 500}})
    assert _statuses(client, target, 1) == [200]  # INIT: no match
    control.advance(6)  # both in ANALYSIS now
    assert _statuses(client, target, 1) == [500]
    assert _statuses(client, other, 1) == [200]
    stop = client.post(f"/api/v2/analysis/{target}/stop", headers=AUTH)
    assert stop.status_code == 500  # the rule names no operation: every call on that analysis
    assert control.state("sparrow", "analysis", target) == "ANALYSIS"  # the fault answered, nothing stopped
    control.advance(5)
    assert _statuses(client, target, 1) == [200]  # POST_PROCESS: no match


def test_a_status_the_operation_does_not_document_is_refused(client):
    response = client.post("/_simulator/faults", json={"match": GET_ANALYSIS, "respond": {"status": 503}})
    assert response.status_code == 400
    detail = response.get_json()["details"][0]
    assert detail["path"] == "respond.status" and "503 is not documented for sparrow getAnalysis" in detail["message"]
    assert client.get("/_simulator/faults").get_json()["count"] == 0


@pytest.mark.parametrize(("rule", "place"), [
    ({"match": {"vendor": "sparrow", "operation": "nope"}, "respond": {"status": 500}}, "match.operation"),
    ({"match": {"vendor": "acme"}, "respond": {"status": 500}}, "match.vendor"),
])
def test_unknown_vendor_or_operation_is_refused(client, rule, place):
    response = client.post("/_simulator/faults", json=rule)
    assert response.status_code == 400 and response.get_json()["details"][0]["path"] == place


@pytest.mark.parametrize("rule", [
    {"match": GET_ANALYSIS},
    {"match": GET_ANALYSIS, "when": {"nth": 0}, "respond": {"status": 500}},
    {"match": GET_ANALYSIS, "when": {"nth": 1, "first": 2}, "respond": {"status": 500}},
    {"match": GET_ANALYSIS, "latency": {"fixed": "1s", "uniform": ["1s", "2s"]}},
    {"match": GET_ANALYSIS, "transport": "explode"},
    {"match": GET_ANALYSIS, "respond": {"status": 500}, "colour": "red"},
])
def test_malformed_rules_are_refused(client, rule):
    response = client.post("/_simulator/faults", json=rule)
    assert response.status_code == 400 and response.get_json()["details"]


def test_delete_one_rule_and_clear_all(client, add_fault):
    analysis_id = new_analysis(client)
    rule = add_fault({"id": "flaky", "match": GET_ANALYSIS, "respond": {"status": 500}})
    assert rule["id"] == "flaky"
    assert client.delete("/_simulator/faults/flaky").status_code == 204
    assert client.delete("/_simulator/faults/flaky").status_code == 404
    assert _statuses(client, analysis_id, 1) == [200]
    add_fault({"match": GET_ANALYSIS, "respond": {"status": 500}})
    assert client.delete("/_simulator/faults").status_code == 204
    assert _statuses(client, analysis_id, 1) == [200]


def test_faults_from_a_scenario_and_their_errors(client, control):
    analysis_id = new_analysis(client)
    control.load({"name": "flaky", "faults": [
        {"id": "twice", "match": GET_ANALYSIS, "when": {"first": 2}, "respond": {"status": 500}}]})
    assert _statuses(client, analysis_id, 3) == [500, 500, 200]
    bad = client.post("/_simulator/scenarios", json={"name": "bad", "faults": [
        {"match": GET_ANALYSIS, "respond": {"status": 404}}, {"match": GET_ANALYSIS}]})
    assert bad.status_code == 400
    paths = [d["path"] for d in bad.get_json()["details"]]
    assert paths == ["faults[0].respond.status", "faults[1]"]


def test_steering_header_forces_one_documented_response(client):
    analysis_id = new_analysis(client)
    steer = {**AUTH, "X-Simulator-Fault": "status=400; code=BUSY"}
    forced = client.get(f"/api/v3/analysis/{analysis_id}", headers=steer)
    assert forced.status_code == 400 and forced.get_json()["resultCode"] == "BUSY"
    assert _statuses(client, analysis_id, 1) == [200]
    refused = client.get(f"/api/v3/analysis/{analysis_id}", headers={**AUTH, "X-Simulator-Fault": "status=503"})
    assert refused.status_code == 400
    assert "503 is not documented" in refused.get_json()["message"]
    garbage = client.get(f"/api/v3/analysis/{analysis_id}", headers={**AUTH, "X-Simulator-Fault": "please"})
    assert garbage.status_code == 400


def test_transport_faults_in_process_raise_connection_errors(client, add_fault):
    analysis_id = new_analysis(client)
    with pytest.raises(ConnectionResetError):
        client.get(f"/api/v3/analysis/{analysis_id}", headers={**AUTH, "X-Simulator-Fault": "transport=reset"})
    rule = add_fault({"match": GET_ANALYSIS, "when": {"first": 1}, "transport": "empty"})
    assert rule["out_of_contract"] is True
    with pytest.raises(ConnectionAbortedError):
        client.get(f"/api/v3/analysis/{analysis_id}", headers=AUTH)
    assert _statuses(client, analysis_id, 1) == [200]


def test_transport_faults_and_latency_over_a_real_socket(live_server_factory):
    server = live_server_factory()
    created = requests.post(f"{server.url}/api/v1/analysis/tool/sast", json=SAST, headers=AUTH, timeout=10).json()
    url = f"{server.url}/api/v3/analysis/{created['analysisList'][0]['analysisId']}"
    for kind in ("reset", "empty"):
        with pytest.raises(requests.ConnectionError):
            requests.get(url, headers={**AUTH, "X-Simulator-Fault": f"transport={kind}"}, timeout=10)
    assert requests.get(url, headers=AUTH, timeout=10).status_code == 200

    rule = {"match": GET_ANALYSIS, "when": {"first": 1}, "latency": {"fixed": "400ms"}}
    assert server.control("POST", "/faults", json=rule).status_code == 201
    with pytest.raises(requests.Timeout):  # the client's own timeout fires: the latency is real
        requests.get(url, headers=AUTH, timeout=0.15)
    started = time.monotonic()
    assert requests.get(url, headers={**AUTH, "X-Simulator-Fault": "latency=300ms"}, timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.3
    answer = server.control("GET", "/requests")
    assert answer.status_code == 200, answer.text
    journal = answer.json()["requests"]
    assert [e["status"] for e in journal[-5:]] == [0, 0, 200, 200, 200]
    assert journal[-4]["transport"] == "empty"
