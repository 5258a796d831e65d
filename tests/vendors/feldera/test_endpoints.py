"""Feldera CRUD endpoints, selectors, name rules and the error envelope (reference 3, 4, 5, 6.6)."""
from __future__ import annotations

import pytest

from .conftest import COMPILE, SQL

STATUS_FIELDS = {
    "id", "name", "description", "tags", "created_at", "version", "platform_version", "program_config",
    "program_version", "program_status", "program_status_since", "deployment_error", "refresh_version",
    "storage_status", "storage_status_details", "deployment_id", "deployment_initial", "deployment_status",
    "deployment_status_since", "deployment_desired_status", "deployment_desired_status_since",
    "deployment_resources_status", "deployment_resources_status_since", "deployment_resources_desired_status",
    "deployment_resources_desired_status_since", "deployment_runtime_status", "deployment_runtime_status_details",
    "deployment_runtime_status_since", "deployment_runtime_desired_status", "deployment_runtime_desired_status_since",
    "bootstrap_policy", "silent_bootstrap", "concurrent_bootstrap",
}
ALL_ONLY = {"runtime_config", "program_code", "udf_rust", "udf_toml", "program_error", "program_info",
            "deployment_resources_status_details"}


def test_config_reports_edition_and_version(client):
    response = client.get("/v0/config")
    assert response.status_code == 200
    body = response.get_json()
    assert body["edition"] == "Enterprise"
    assert body["version"] == "0.337.0"


def test_cluster_health(client):
    body = client.get("/v0/cluster_healthz").get_json()
    assert body["all_healthy"] is True
    assert body["runner"]["healthy"] is True


def test_create_returns_201_with_the_full_object(feldera, client):
    body = feldera.create("p1", description="demo", tags=["team:a"])
    assert set(body) == STATUS_FIELDS | ALL_ONLY
    assert body["name"] == "p1" and body["description"] == "demo" and body["tags"] == ["team:a"]
    assert body["program_status"] == "Pending"
    assert (body["deployment_status"], body["deployment_desired_status"]) == ("Stopped", "Stopped")
    assert body["storage_status"] == "Cleared"
    assert body["deployment_runtime_status"] is None and body["deployment_initial"] is None
    assert body["version"] == 1 and body["program_version"] == 1
    # The server stores ProgramConfig's own defaults: no profile unless the client names one.
    assert body["program_config"] == {"profile": None, "cache": True, "runtime_version": None,
                                      "use_platform_compiler": False}
    assert body["program_error"] == {"sql_compilation": None, "rust_compilation": None, "system_error": None}
    assert body["program_info"] is None


@pytest.mark.parametrize("selector,extra", [("status", set()), ("status_with_connectors", {"connectors"})])
def test_selectors_limit_the_fields(feldera, client, selector, extra):
    feldera.create("p1")
    body = feldera.get("p1", selector)
    assert set(body) == STATUS_FIELDS | extra
    listed = client.get(f"/v0/pipelines?selector={selector}").get_json()
    assert [set(p) for p in listed] == [STATUS_FIELDS | extra]


def test_list_is_in_name_order(feldera, client):
    for name in ("b", "a", "c"):
        feldera.create(name)
    assert [p["name"] for p in client.get("/v0/pipelines").get_json()] == ["a", "b", "c"]


def test_compilation_fills_program_info_and_errors(feldera, control):
    feldera.create("p1")
    control.advance(COMPILE)
    body = feldera.get("p1")
    assert body["program_status"] == "Success"
    assert body["program_error"]["sql_compilation"] == {"exit_code": 0, "messages": []}
    assert body["program_error"]["rust_compilation"]["exit_code"] == 0
    schema = body["program_info"]["schema"]
    assert [t["name"] for t in schema["inputs"]] == ["t1"]
    assert schema["outputs"][0] == {"name": "v1", "case_sensitive": False, "fields": [], "materialized": True,
                                    "properties": {}}


def test_unknown_pipeline_404(client):
    response = client.get("/v0/pipelines/nope")
    assert response.status_code == 404
    assert response.get_json() == {"message": "Unknown pipeline name 'nope'", "error_code": "UnknownPipelineName",
                                   "details": {"pipeline_name": "nope"}}
    for action in ("start", "stop", "pause", "resume", "clear", "dismiss_error", "checkpoint", "approve", "activate"):
        response = client.post(f"/v0/pipelines/nope/{action}")
        assert (response.status_code, response.get_json()["error_code"]) == (404, "UnknownPipelineName"), action


def test_duplicate_name_409(feldera, client):
    feldera.create("p1")
    response = client.post("/v0/pipelines", json={"name": "p1", "program_code": SQL})
    assert response.status_code == 409
    assert response.get_json() == {"message": "An entity with this name already exists",
                                   "error_code": "DuplicateName", "details": None}


@pytest.mark.parametrize("name,code,details", [
    ("", "EmptyName", None),
    ("x" * 64, "TooLongName", {"name": "x" * 64, "length": 64, "maximum": 63}),
    ("bad name", "NameDoesNotMatchPattern", {"name": "bad name"}),
    ("-leading", "NameDoesNotMatchPattern", {"name": "-leading"}),
])
def test_name_rules(client, name, code, details):
    response = client.post("/v0/pipelines", json={"name": name, "program_code": SQL})
    assert response.status_code == 400
    body = response.get_json()
    assert (body["error_code"], body["details"]) == (code, details)
    assert client.get("/v0/pipelines").get_json() == []


@pytest.mark.parametrize("name,message", [
    ("x" * 64, f"Name '{'x' * 64}' is longer (64) than maximum allowed (63)"),
    ("bad name", "Name 'bad name' contains characters which are not lowercase (a-z), uppercase (A-Z), numbers "
                 "(0-9), underscores (_) or hyphens (-)"),
])
def test_name_refusals_quote_the_name_as_the_server_does(client, name, message):
    response = client.post("/v0/pipelines", json={"name": name, "program_code": SQL})
    assert (response.status_code, response.get_json()["message"]) == (400, message)
    assert client.get("/v0/pipelines").get_json() == []


def test_put_creates_201_then_replaces_200(client, control):
    response = client.put("/v0/pipelines/p1", json={"name": "p1", "program_code": SQL})
    assert response.status_code == 201
    assert response.get_json()["version"] == 1
    control.advance(COMPILE)
    response = client.put("/v0/pipelines/p1", json={"name": "p1", "program_code": SQL + "\n-- v2"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["version"], body["program_version"], body["program_status"]) == (2, 2, "Pending")


def test_put_of_the_same_body_changes_nothing(client, control):
    client.put("/v0/pipelines/p1", json={"name": "p1", "program_code": SQL})
    control.advance(COMPILE)
    body = client.put("/v0/pipelines/p1", json={"name": "p1", "program_code": SQL}).get_json()
    assert (body["version"], body["program_status"]) == (1, "Success")


def test_put_rename_of_missing_pipeline_400(client):
    response = client.put("/v0/pipelines/p1", json={"name": "p2", "program_code": SQL})
    assert response.status_code == 400
    assert response.get_json()["error_code"] == "CannotRenameNonExistingPipeline"


def test_patch_renames_and_keeps_the_rest(feldera, client):
    feldera.create("p1", description="one")
    response = client.patch("/v0/pipelines/p1", json={"name": "p2", "program_code": None})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["name"], body["description"], body["version"]) == ("p2", "one", 2)
    assert client.get("/v0/pipelines/p1").status_code == 404
    assert feldera.get("p2")["program_code"] == SQL


@pytest.mark.vendor_invalid_request
def test_patch_without_a_body_is_refused_and_changes_nothing(feldera, client):
    before = feldera.create("p1", description="one")
    response = client.patch("/v0/pipelines/p1", data=b"")
    assert response.status_code == 400
    assert response.get_json() == {"message": "A JSON request body is required.", "error_code": "BadRequest",
                                   "details": None}
    assert feldera.get("p1") == before


def test_runtime_config_only_change_does_not_recompile(feldera, client, control):
    feldera.create("p1")
    control.advance(COMPILE)
    body = client.patch("/v0/pipelines/p1", json={"runtime_config": {"workers": 4}}).get_json()
    assert (body["version"], body["program_version"], body["program_status"]) == (2, 1, "Success")
    assert body["runtime_config"]["workers"] == 4


def test_edits_while_running(feldera, client):
    feldera.running("p1")
    response = client.patch("/v0/pipelines/p1", json={"program_code": "CREATE TABLE t2 (x INT);"})
    assert response.status_code == 400
    assert response.get_json()["error_code"] == "UpdateRestrictedToStopped"
    response = client.patch("/v0/pipelines/p1", json={"description": "still editable"})
    assert response.status_code == 200
    assert response.get_json()["description"] == "still editable"
    assert feldera.get("p1")["program_code"] == SQL


def test_storage_bound_edits_need_cleared_storage(feldera, client, control):
    feldera.running("p1")
    feldera.post("p1", "stop", "force=true")
    control.advance(1.0)
    response = client.patch("/v0/pipelines/p1", json={"runtime_config": {"workers": 2}})
    assert response.status_code == 400
    assert response.get_json()["details"] == {"not_allowed": ["`runtime_config.workers`"]}
    assert client.patch("/v0/pipelines/p1", json={"program_code": "CREATE TABLE t2 (x INT);"}).status_code == 200


def test_delete_rules(feldera, client, control):
    feldera.running("p1")
    response = client.delete("/v0/pipelines/p1")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "DeleteRestrictedToFullyStopped")
    feldera.post("p1", "stop", "force=true")
    control.advance(1.0)
    response = client.delete("/v0/pipelines/p1")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "DeleteRestrictedToClearedStorage")
    feldera.post("p1", "clear")
    control.advance(1.0)
    response = client.delete("/v0/pipelines/p1")
    assert response.status_code == 200
    assert response.data == b"" and "Content-Type" not in response.headers
    assert client.get("/v0/pipelines/p1").status_code == 404


@pytest.mark.vendor_invalid_request
def test_generic_errors_use_the_envelope(client):
    response = client.get("/v0/no-such-endpoint")
    assert response.status_code == 404
    assert response.get_json()["error_code"] == "NotFound"
    response = client.delete("/v0/config")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["error_code"] == "MethodNotAllowed"
    response = client.get("/v0/pipelines?selector=everything")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "BadRequest")
    response = client.post("/v0/pipelines", data="{oops", content_type="application/json")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "BadRequest")
    response = client.post("/v0/pipelines", json={"name": "p1"})
    assert response.status_code == 400 and "program_code" in response.get_json()["message"]
    response = client.post("/v0/pipelines", json={"name": "p1", "program_code": 5})
    assert (response.status_code, response.get_json()["error_code"]) == (400, "BadRequest")
    response = client.post("/v0/pipelines",
                           json={"name": "p1", "program_code": "", "runtime_config": {"workers": [{}]}})
    assert (response.status_code, response.get_json()["error_code"]) == (400, "InvalidRuntimeConfig")
    assert "runtime_config.workers" in response.get_json()["message"]
    assert client.get("/v0/pipelines").get_json() == []
    response = client.post("/v0/pipelines/p1/stop?force=maybe")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "BadRequest")


def test_unknown_body_fields_are_ignored_as_the_server_does(client):
    response = client.post("/v0/pipelines", json={"name": "extra", "program_code": "CREATE TABLE t (x INT);",
                                                  "not_a_field": 1, "program_config": {"profile": "dev", "x": 2}})
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "extra" and "not_a_field" not in body
    assert client.get("/v0/pipelines/extra").status_code == 200
