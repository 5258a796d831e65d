"""The stop rules over HTTP against the server `make run` starts (scenarios/default.yaml), on its clock."""
import requests

from tests.conftest import SCENARIOS

AUTH = {"Authorization": "Bearer any-key"}


def test_stop_rules_against_the_default_scenario(live_server_factory):
    server = live_server_factory("--scenario", str(SCENARIOS / "default.yaml"))
    assert server.control("PUT", "/clock", json={"frozen": True}).status_code == 200

    def stop(analysis_id):
        response = requests.post(f"{server.url}/api/v2/analysis/{analysis_id}/stop", headers=AUTH, timeout=10)
        return response.status_code, response.json()

    def status(analysis_id):
        return requests.get(f"{server.url}/api/v3/analysis/{analysis_id}", headers=AUTH, timeout=10).json()["status"]

    expected = {
        1001: (200, "INIT"), 1002: (200, "STOP"), 1003: (200, "STOP"), 1004: (200, "STOP"),
        1005: (200, "POST_PROCESS"), 1006: (400, "ANALYSIS_ALREADY_COMPLETED"), 1007: (400, "ANALYSIS_ALREADY_STOPPED"),
    }
    for analysis_id, (code, what) in expected.items():
        answer, body = stop(analysis_id)
        assert answer == code, (analysis_id, body)
        assert (body["status"] if code == 200 else body["resultCode"]) == what
    assert stop(999999)[1]["resultCode"] == "ANALYSIS_NOT_FOUND"
    assert stop("x1")[1]["resultCode"] == "INVALID_PARAMETER"
    assert requests.post(f"{server.url}/api/v2/analysis/1002/stop", timeout=10).status_code == 401

    assert server.control("POST", "/clock/advance", json={"seconds": 60}).status_code == 200
    assert status(1001) == "STOP"  # the deferred stop, at its allocation moment
    assert status(1005) == "COMPLETE"  # the ignored stop
    history = server.control("GET", "/resources/sparrow/analysis/1001").json()["history"]
    assert [h["state"] for h in history] == ["INIT", "STOP"]
