"""Read-evaluate-write is atomic: 32 concurrent stops of one analysis, exactly one wins."""
from concurrent.futures import ThreadPoolExecutor

import requests

from simulator.app import create_app
from simulator.settings import Settings

CREATE = {"sastOptions": {"analysisSource": {"type": "VCS", "vcsInfo": {"url": "https://example.com/r.git"}}}}
AUTH = {"Authorization": "Bearer k"}


def _ready_analysis(client):
    client.application.extensions["simulator"].simulation.clock.configure(frozen=True)
    created = client.post("/api/v1/analysis/tool/sast", json=CREATE, headers=AUTH).get_json()
    analysis_id = created["analysisList"][0]["analysisId"]
    client.post("/_simulator/clock/advance", json={"seconds": 2})
    assert client.get(f"/api/v3/analysis/{analysis_id}", headers=AUTH).get_json()["status"] == "READY"
    return analysis_id


def test_32_threads_stopping_one_analysis_in_process():
    app = create_app(Settings())
    analysis_id = _ready_analysis(app.test_client())

    def stop(_):
        response = app.test_client().post(f"/api/v2/analysis/{analysis_id}/stop", headers=AUTH)
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(32) as pool:
        results = list(pool.map(stop, range(32)))
    assert sorted(status for status, _ in results).count(200) == 1
    assert {body["resultCode"] for status, body in results if status != 200} == {"ANALYSIS_ALREADY_STOPPED"}
    assert all(status in (200, 400) for status, _ in results)
    history = app.test_client().get(f"/_simulator/resources/sparrow/analysis/{analysis_id}").get_json()["history"]
    assert [h["cause"] for h in history].count("action:stop") == 1


def test_32_connections_stopping_one_analysis_over_waitress(live_server_factory):
    server = live_server_factory("--threads", "32")
    server.control("PUT", "/clock", json={"frozen": True})
    created = requests.post(f"{server.url}/api/v1/analysis/tool/sast", json=CREATE, headers=AUTH, timeout=10).json()
    analysis_id = created["analysisList"][0]["analysisId"]
    server.control("POST", "/clock/advance", json={"seconds": 5})

    def stop(_):
        response = requests.post(f"{server.url}/api/v2/analysis/{analysis_id}/stop", headers=AUTH, timeout=30)
        return response.status_code, response.json()

    with ThreadPoolExecutor(32) as pool:
        results = list(pool.map(stop, range(32)))
    statuses = [status for status, _ in results]
    assert statuses.count(200) == 1 and statuses.count(400) == 31
    winner = next(body for status, body in results if status == 200)
    assert winner["status"] == "STOP" and winner["resultCode"] == "ANALYSIS_STOPPED"
    detail = server.control("GET", f"/resources/sparrow/analysis/{analysis_id}").json()
    assert detail["state"] == "STOP"
    assert [h["cause"] for h in detail["history"]].count("action:stop") == 1
