"""The control API under /_simulator, as DESIGN.md specifies it."""
from simulator.app import create_app
from simulator.settings import Settings
from tests.conftest import SCENARIOS

AUTH = {"Authorization": "Bearer k"}


def test_health(client):
    response = client.get("/_simulator/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and "sparrow" in body["vendors"]


def test_clock_get_advance_and_put(client):
    before = client.get("/_simulator/clock").get_json()
    assert before["frozen"] is True and before["speed"] == 1.0
    advanced = client.post("/_simulator/clock/advance", json={"seconds": "1h"}).get_json()
    assert advanced["now"] > before["now"]
    updated = client.put("/_simulator/clock", json={"speed": 60, "frozen": False, "now": "2030-01-01T00:00:00Z"})
    assert updated.status_code == 200
    body = updated.get_json()
    assert body["speed"] == 60 and body["frozen"] is False and body["now"].startswith("2030-01-01T00:00")


def test_clock_rejects_bad_bodies(client):
    assert client.post("/_simulator/clock/advance", json={"seconds": -1}).status_code == 400
    assert client.post("/_simulator/clock/advance", json={}).status_code == 400
    response = client.put("/_simulator/clock", json={"speed": "fast"})
    assert response.status_code == 400 and "speed" in response.get_json()["details"]
    assert client.put("/_simulator/clock", data="nope", content_type="application/json").status_code == 400


def test_advance_makes_due_transitions_happen(client):
    created = client.post("/api/v1/analysis/tool/dast", headers=AUTH,
                          json={"dastOptions": {"crawlerTargetSeedUrls": ["https://x/"]}}).get_json()
    analysis_id = created["analysisList"][0]["analysisId"]
    detail = client.get(f"/_simulator/resources/sparrow/analysis/{analysis_id}").get_json()
    assert detail["state"] == "INIT" and detail["next"]["state"] == "READY"
    client.post("/_simulator/clock/advance", json={"seconds": 5})
    detail = client.get(f"/_simulator/resources/sparrow/analysis/{analysis_id}").get_json()
    assert detail["state"] == "PRE_PROCESS"
    assert [h["state"] for h in detail["history"]] == ["INIT", "READY", "PRE_PROCESS"]
    assert [h["cause"] for h in detail["history"]] == ["created", "timer", "timer"]


def test_load_scenario_as_yaml_and_as_json(client):
    yaml_body = "name: y\nresources: [{vendor: sparrow, kind: analysis, id: 7, state: ANALYSIS, remaining: 3s}]\n"
    response = client.post("/_simulator/scenarios", data=yaml_body, content_type="application/yaml")
    assert response.status_code == 201
    assert response.get_json()["resources"] == [{"vendor": "sparrow", "kind": "analysis", "id": "7",
                                                  "state": "ANALYSIS"}]
    json_body = {"name": "j", "resources": [{"vendor": "sparrow", "kind": "analysis", "id": 8, "state": "STOP"}]}
    assert client.post("/_simulator/scenarios", json=json_body).status_code == 201
    detail = client.get("/_simulator/resources/sparrow/analysis/7").get_json()
    assert detail["next"]["state"] == "POST_PROCESS"
    client.post("/_simulator/clock/advance", json={"seconds": 3})
    assert client.get("/_simulator/resources/sparrow/analysis/7").get_json()["state"] == "POST_PROCESS"


def test_bad_scenario_is_400_with_every_error(client):
    body = "name: bad\nresources:\n  - {vendor: sparrow, kind: analysis, id: 1, state: DONE}\n  - {vendor: x}\n"
    response = client.post("/_simulator/scenarios", data=body, content_type="application/yaml")
    assert response.status_code == 400
    details = response.get_json()["details"]
    paths = {d["path"] for d in details}
    assert {"resources[0].state", "resources[1].kind", "resources[1].id"} <= paths
    assert client.get("/_simulator/resources").get_json()["count"] == 0


def test_resources_list_filters_and_unknown_resource_is_404(client):
    client.post("/_simulator/scenarios", json={"name": "two", "resources": [
        {"vendor": "sparrow", "kind": "analysis", "id": 1}, {"vendor": "sparrow", "kind": "analysis", "id": 2}]})
    listed = client.get("/_simulator/resources?vendor=sparrow&kind=analysis").get_json()
    assert listed["count"] == 2 and {r["id"] for r in listed["resources"]} == {"1", "2"}
    assert client.get("/_simulator/resources?vendor=nobody").get_json()["count"] == 0
    assert client.get("/_simulator/resources/sparrow/analysis/3").status_code == 404
    assert client.get("/_simulator/resources/nobody/thing/3").status_code == 404


def test_reset_clears_state_and_reloads_the_startup_scenarios():
    app = create_app(Settings(scenarios=[str(SCENARIOS / "default.yaml")]))
    client = app.test_client()
    before = client.get("/_simulator/resources").get_json()["count"]
    assert client.post("/api/v2/analysis/1002/stop", headers=AUTH).status_code == 200
    client.post("/api/v1/analysis/tool/dast", headers=AUTH, json={"dastOptions": {"crawlerTargetSeedUrls": ["u"]}})
    assert client.get("/_simulator/resources").get_json()["count"] == before + 1
    response = client.post("/_simulator/reset")
    assert response.status_code == 200 and response.get_json()["scenarios"][0]["name"] == "default"
    assert client.get("/_simulator/resources").get_json()["count"] == before
    assert client.get("/_simulator/resources/sparrow/analysis/1002").get_json()["state"] == "READY"


def test_speed_setting_overrides_the_scenario_clock():
    app = create_app(Settings(scenarios=[str(SCENARIOS / "default.yaml")], speed=50))
    assert app.test_client().get("/_simulator/clock").get_json()["speed"] == 50
