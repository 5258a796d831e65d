"""Feldera settings: edition, API generation, auth; and the scenario files (reference 1, 2, 8)."""
from __future__ import annotations

import yaml

from tests.conftest import SCENARIOS

from .conftest import BOOT, COMPILE


def _load_file(control, name):
    return control.load(yaml.safe_load((SCENARIOS / name).read_text()))


def test_community_edition_refuses_enterprise_features_even_for_unknown_pipelines(client, control, feldera):
    _load_file(control, "feldera-community.yaml")
    assert client.get("/v0/config").get_json()["edition"] == "Open source"
    cases = [("stop", "", "stop?force=false"), ("stop", "force=false", "stop?force=false"),
             ("checkpoint", "", "checkpoint"), ("activate", "", "start from object store (S3)")]
    for name in ("community-running", "nope"):
        for action, query, feature in cases:
            response = feldera.post(name, action, query)
            assert response.status_code == 501, (name, action)
            body = response.get_json()
            assert (body["error_code"], body["details"]) == ("EnterpriseFeature", {"feature": feature})
            assert feature in body["message"]
    assert feldera.status("community-running") == ("Running", "Running")
    assert feldera.post("community-running", "stop", "force=true").status_code == 202
    control.advance(1.0)
    assert feldera.status("community-running") == ("Stopped", "Stopped")


def test_suspending_scenario_current_generation(client, control, feldera):
    _load_file(control, "feldera-suspending.yaml")
    body = feldera.get("suspending", "status")
    assert (body["deployment_status"], body["deployment_desired_status"]) == ("Running", "Suspended")
    assert (body["deployment_runtime_status"], body["deployment_runtime_desired_status"]) == ("Running", "Suspended")
    assert feldera.status("suspend-fails") == ("Paused", "Suspended")
    control.advance(20.0)
    assert feldera.status("suspending") == ("Suspended", "Suspended")
    control.advance(1.0)
    assert feldera.status("suspending") == ("Stopping", "Stopped")
    control.advance(2.0)
    assert feldera.status("suspending") == ("Stopped", "Stopped")
    failed = feldera.get("suspend-fails", "status")
    assert (failed["deployment_status"], failed["deployment_error"]["error_code"]) == ("Stopped", "SuspendError")


def test_suspending_scenario_force_stop_is_immediate(control, feldera):
    _load_file(control, "feldera-suspending.yaml")
    control.advance(5.0)
    assert feldera.post("suspending", "stop", "force=true").get_json() == "Pipeline is forcefully stopping"
    control.advance(2.0)
    assert feldera.status("suspending") == ("Stopped", "Stopped")


def test_suspending_scenario_legacy_generation(client, control, feldera):
    _load_file(control, "feldera-suspending.yaml")
    control.load({"name": "legacy", "settings": {"feldera": {"api_generation": "legacy"}}})
    assert client.get("/v0/config").get_json()["version"] == "0.127.0"
    body = feldera.get("suspending", "status")
    assert (body["deployment_status"], body["deployment_desired_status"]) == ("Suspending", "Suspended")
    assert "deployment_resources_status" not in body and "program_code" not in body
    assert "program_code" in feldera.get("suspending", "all")
    response = feldera.post("suspending", "start")
    assert response.status_code == 400
    assert response.get_json()["details"] == {
        "pipeline_status": "Suspending", "current_desired_status": "Suspended", "new_desired_status": "Running",
        "hint": response.get_json()["details"]["hint"]}
    assert response.get_json()["message"].startswith("Deployment status (current: 'Suspending'")
    control.advance(21.0)
    assert feldera.status("suspending") == ("Stopping", "Stopped")
    control.advance(2.0)
    assert feldera.status("suspending") == ("Stopped", "Stopped")


def test_stopping_scenario(control, feldera):
    _load_file(control, "feldera-stopping.yaml")
    assert feldera.status("stopping") == ("Stopping", "Stopped")
    response = feldera.post("stopping", "start")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "IllegalPipelineAction")
    assert response.get_json()["details"]["status"] == "Stopping"
    control.advance(30.0)
    assert feldera.status("stopping") == ("Stopped", "Stopped")
    assert feldera.post("stopping", "start").status_code == 202


def test_config_has_the_shape_of_its_generation(client, control):
    current = client.get("/v0/config").get_json()
    assert {"posthog", "conceptualhq", "product_fruits", "build_source"} <= set(current) and "telemetry" not in current
    control.load({"name": "legacy", "settings": {"feldera": {"api_generation": "legacy"}}})
    legacy = client.get("/v0/config").get_json()
    assert legacy["version"] == "0.127.0" and legacy["telemetry"] == ""
    assert not {"posthog", "conceptualhq", "product_fruits", "build_source"} & set(legacy)
    assert legacy["build_info"] == current["build_info"] and legacy["edition"] == current["edition"]


def test_legacy_pause_starts_a_stopped_pipeline(control, feldera):
    control.load({"name": "legacy", "settings": {"feldera": {"api_generation": "legacy"}}})
    feldera.create("p1")
    control.advance(COMPILE)
    assert feldera.post("p1", "pause").status_code == 202
    control.advance(BOOT)
    assert feldera.status("p1") == ("Paused", "Paused")


def test_auth_off_by_default(client):
    assert client.get("/v0/pipelines", headers={"Authorization": "Bearer apikey:whatever"}).status_code == 200
    assert client.get("/v0/pipelines").status_code == 200


def test_auth_with_listed_keys(client, control):
    control.load({"name": "auth", "auth": {"feldera": {"keys": ["apikey:good"]}}})
    response = client.get("/v0/pipelines")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.get_json()["error_code"] == "AuthenticationFailed"
    response = client.get("/v0/pipelines", headers={"Authorization": "Bearer apikey:bad"})
    assert response.status_code == 401
    assert response.get_json() == {"message": "Unauthorized API key", "error_code": "AuthenticationFailed"}
    response = client.post("/v0/pipelines", json={"name": "p1", "program_code": "x"},
                           headers={"Authorization": "Bearer apikey:bad"})
    assert response.status_code == 401
    good = {"Authorization": "Bearer apikey:good"}
    assert client.get("/v0/pipelines", headers=good).get_json() == []
    assert "apikey:good" not in client.get("/_simulator/resources").get_data(as_text=True)


def test_scenario_rejects_bad_feldera_sections(client):
    response = client.post("/_simulator/scenarios", json={
        "name": "bad", "settings": {"feldera": {"edition": "gold"}}, "auth": {"feldera": {"keys": ["plain"]}},
        "resources": [{"vendor": "feldera", "kind": "pipeline", "id": "a b", "state": "Flying"}]})
    assert response.status_code == 400
    paths = {d["path"] for d in response.get_json()["details"]}
    assert {"settings.feldera.edition", "auth.feldera.keys[0]", "resources[0].id", "resources[0].state"} <= paths
