"""Feldera server semantics that clients and Feldera's own tooling rely on (server source:
pipeline-manager db/operations/pipeline.rs, api/endpoints/pipeline_interaction.rs): refresh_version,
storage-bound edits, storage_status_details, /checkpoint_status, /stats, failure rules."""
from __future__ import annotations

import pytest

from .conftest import BOOT, COMPILE, SQL


def _refresh(feldera, name: str = "p1") -> int:
    return feldera.get(name, "status")["refresh_version"]


def test_refresh_version_follows_program_and_deployment_status(feldera, control):
    assert feldera.create("p1")["refresh_version"] == 1
    control.advance(0.5)  # CompilingSql: no bump
    assert (feldera.get("p1")["program_status"], _refresh(feldera)) == ("CompilingSql", 1)
    control.advance(1.0)  # SqlCompiled
    assert (feldera.get("p1")["program_status"], _refresh(feldera)) == ("SqlCompiled", 2)
    control.advance(COMPILE)  # CompilingRust (no bump), then Success
    assert (feldera.get("p1")["program_status"], _refresh(feldera)) == ("Success", 3)
    control.advance(COMPILE)
    assert _refresh(feldera) == 3  # time alone changes nothing
    assert feldera.post("p1", "start").status_code == 202  # compiled: provisioning starts at once
    assert (feldera.status("p1")[0], _refresh(feldera)) == ("Provisioning", 4)
    control.advance(1.0)
    assert (feldera.status("p1")[0], _refresh(feldera)) == ("Initializing", 5)
    control.advance(1.0)
    body = feldera.get("p1", "status")
    assert body["deployment_status"] == "Running"
    assert body["refresh_version"] == 6
    assert feldera.post("p1", "pause").status_code == 202
    control.advance(1.0)
    assert _refresh(feldera) == 7  # runtime Running -> Paused
    feldera.post("p1", "stop", "force=true")
    control.advance(2.0)
    assert feldera.status("p1") == ("Stopped", "Stopped")
    assert _refresh(feldera) == 9  # Stopping, Stopped


def test_a_compile_error_bumps_refresh_version(feldera, control):
    control.load({"name": "broken", "settings": {"feldera": {"compile_errors": [{"contains": "BROKEN"}]}}})
    feldera.create("p1", code="SELECT * FROM BROKEN;")
    control.advance(COMPILE)
    body = feldera.get("p1", "status")
    assert (body["program_status"], body["refresh_version"]) == ("SqlError", 2)


def test_metadata_only_edits_bump_no_version(feldera, client, control):
    feldera.running("p1")
    before = feldera.get("p1")
    response = client.patch("/v0/pipelines/p1", json={"description": "new", "tags": ["a"]})
    assert response.status_code == 200
    after = response.get_json()
    assert (after["description"], after["tags"]) == ("new", ["a"])
    assert (after["version"], after["refresh_version"], after["program_version"]) == (
        before["version"], before["refresh_version"], before["program_version"])
    put = {"name": "p1", "program_code": SQL, "description": "newer", "tags": ["b"],
           "runtime_config": before["runtime_config"], "program_config": before["program_config"]}
    response = client.put("/v0/pipelines/p1", json=put)
    assert response.status_code == 200
    assert (response.get_json()["version"], response.get_json()["refresh_version"]) == (
        before["version"], before["refresh_version"])
    assert feldera.get("p1")["description"] == "newer"


def test_code_edit_bumps_version_and_program_version_and_recompiles(feldera, client, control):
    feldera.create("p1")
    control.advance(COMPILE)
    before = feldera.get("p1")
    body = client.patch("/v0/pipelines/p1", json={"program_code": SQL + "\n-- v2"}).get_json()
    assert (body["version"], body["program_version"], body["program_status"]) == (2, 2, "Pending")
    assert body["refresh_version"] == before["refresh_version"] + 1
    assert body["program_info"] is None
    control.advance(COMPILE)
    assert feldera.get("p1")["refresh_version"] == before["refresh_version"] + 3  # + SqlCompiled, Success


STORAGE_BOUND_EDITS = [
    ({"workers": 2}, "`runtime_config.workers`"),
    ({"hosts": 2}, "`runtime_config.hosts`"),
    ({"fault_tolerance": {"model": "exactly_once"}}, "`runtime_config.fault_tolerance`"),
    ({"resources": {"storage_mb_max": 10}}, "`runtime_config.resources.storage_mb_max`"),
    ({"resources": {"namespace": "other"}}, "`runtime_config.resources.namespace`"),
    ({"resources": {"storage_class": "fast"}}, "`runtime_config.resources.storage_class`"),
    ({"clock_timezone_offset": "+05:30"}, "`runtime_config.clock_timezone_offset`"),
]


def _stopped_with_storage(feldera, control) -> dict:
    feldera.running("p1")
    feldera.post("p1", "stop", "force=true")
    control.advance(BOOT)
    body = feldera.get("p1")
    assert (body["deployment_status"], body["storage_status"]) == ("Stopped", "InUse")
    return body


@pytest.mark.parametrize("config,field", STORAGE_BOUND_EDITS)
def test_storage_bound_runtime_config_edits_need_cleared_storage(feldera, client, control, config, field):
    before = _stopped_with_storage(feldera, control)
    response = client.patch("/v0/pipelines/p1", json={"runtime_config": config})
    assert response.status_code == 400
    body = response.get_json()
    assert body == {"error_code": "EditRestrictedToClearedStorage", "details": {"not_allowed": [field]},
                    "message": f"The following pipeline edits are not allowed while storage is not cleared: {field}"}
    assert feldera.get("p1") == before
    feldera.post("p1", "clear")
    control.advance(BOOT)
    assert client.patch("/v0/pipelines/p1", json={"runtime_config": config}).status_code == 200


def test_every_storage_bound_field_is_named_and_others_pass(feldera, client, control):
    _stopped_with_storage(feldera, control)
    config = {"workers": 2, "resources": {"namespace": "n", "storage_class": "s"}, "clock_timezone_offset": "+01:00"}
    response = client.put("/v0/pipelines/p2", json={"name": "p1", "program_code": SQL, "runtime_config": config})
    assert response.status_code == 400 and response.get_json()["error_code"] == "CannotRenameNonExistingPipeline"
    response = client.patch("/v0/pipelines/p1", json={"name": "p9", "runtime_config": config})
    assert response.get_json()["details"]["not_allowed"] == [
        "`name`", "`runtime_config.workers`", "`runtime_config.resources.namespace`",
        "`runtime_config.resources.storage_class`", "`runtime_config.clock_timezone_offset`"]
    # Not storage-bound, and null / absent clock offsets are the same value.
    response = client.patch("/v0/pipelines/p1", json={"runtime_config": {"cpu_profiler": False,
                                                                         "clock_timezone_offset": None}})
    assert response.status_code == 200
    assert response.get_json()["runtime_config"]["cpu_profiler"] is False


def _checkpoints(feldera, name: str = "p1"):
    return feldera.get(name, "status")["storage_status_details"]


def test_storage_status_details_follow_storage(feldera, client, control):
    feldera.create("p1")
    control.advance(COMPILE)
    assert _checkpoints(feldera) is None
    feldera.post("p1", "start")
    control.advance(BOOT)
    assert _checkpoints(feldera) == {"checkpoints": []}
    first = feldera.post("p1", "checkpoint").get_json()
    assert first["checkpoint_sequence_number"] == 1
    assert feldera.post("p1", "checkpoint").get_json()["checkpoint_sequence_number"] == 2
    listed = _checkpoints(feldera)["checkpoints"]
    assert len(listed) == 2 and listed[0]["uuid"] != listed[1]["uuid"]
    assert set(listed[0]) == {"uuid", "identifier", "fingerprint", "size", "steps", "processed_records"}
    feldera.post("p1", "stop", "force=true")
    control.advance(BOOT)
    assert _checkpoints(feldera)["checkpoints"] == listed  # kept across a forced stop
    feldera.post("p1", "start")
    control.advance(BOOT)
    assert feldera.post("p1", "checkpoint").get_json()["checkpoint_sequence_number"] == 1  # a new incarnation
    assert len(_checkpoints(feldera)["checkpoints"]) == 3
    feldera.post("p1", "stop", "force=true")
    control.advance(BOOT)
    assert feldera.post("p1", "clear").status_code == 202
    assert _checkpoints(feldera) is None
    control.advance(BOOT)
    assert (feldera.get("p1")["storage_status"], _checkpoints(feldera)) == ("Cleared", None)
    assert client.get("/v0/pipelines").get_json()[0]["storage_status_details"] is None


@pytest.mark.vendor_invalid_request
def test_checkpoint_status(feldera, client, control):
    feldera.create("p1")
    response = client.get("/v0/pipelines/p1/checkpoint_status")
    assert (response.status_code, response.get_json()["error_code"]) == (503, "PipelineInteractionNotDeployed")
    assert response.headers["Retry-After"] == "5"
    assert client.get("/v0/pipelines/nope/checkpoint_status").status_code == 404
    control.advance(COMPILE)
    feldera.post("p1", "start")
    control.advance(BOOT)
    assert client.get("/v0/pipelines/p1/checkpoint_status").get_json() == {"success": None, "failure": None}
    made = feldera.post("p1", "checkpoint").get_json()
    response = client.get(f"/v0/pipelines/p1/checkpoint_status?incarnation_uuid={made['incarnation_uuid']}")
    assert (response.status_code, response.get_json()) == (200, {"success": 1, "failure": None})
    other = "00000000-0000-0000-0000-000000000000"
    response = client.get(f"/v0/pipelines/p1/checkpoint_status?incarnation_uuid={other}")
    assert response.status_code == 400
    assert response.get_json()["details"] == {"requested": other, "expected": made["incarnation_uuid"]}
    assert response.get_json()["error_code"] == "IncarnationUuidMismatch"
    response = client.get("/v0/pipelines/p1/checkpoint_status?incarnation_uuid=not-a-uuid")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "BadRequest")


def test_stats_while_running_paused_and_not(feldera, client, control):
    feldera.create("p1")
    response = client.get("/v0/pipelines/p1/stats")
    assert (response.status_code, response.get_json()["error_code"]) == (503, "PipelineInteractionNotDeployed")
    control.advance(COMPILE)
    feldera.post("p1", "start")
    control.advance(1.0)
    assert feldera.status("p1")[0] == "Initializing"
    response = client.get("/v0/pipelines/p1/stats")
    assert (response.status_code, response.get_json()["error_code"]) == (503, "Initializing")
    assert response.headers["Retry-After"] == "5"
    control.advance(1.0)
    response = client.get("/v0/pipelines/p1/stats")
    assert response.status_code == 200
    body = response.get_json()
    metrics = body["global_metrics"]
    assert (body["inputs"], body["outputs"]) == ([], [])
    assert metrics["state"] == "Running"
    assert metrics["incarnation_uuid"] == feldera.get("p1")["deployment_id"]
    assert metrics["uptime_msecs"] == 2000
    assert metrics["total_input_records"] == metrics["total_processed_records"] == metrics["transaction_id"] == 0
    feldera.post("p1", "pause")
    control.advance(1.0)
    assert client.get("/v0/pipelines/p1/stats").get_json()["global_metrics"]["state"] == "Paused"
    assert client.get("/v0/pipelines/nope/stats").status_code == 404


def test_a_running_pipeline_fails_once(feldera, control):
    control.load({"name": "crash", "settings": {"feldera": {"failures": [
        {"pipeline": "p1", "at": "Running", "after": 5, "times": 1}]}}})
    feldera.running("p1")  # Running for 0 s
    control.advance(4.9)
    assert feldera.status("p1") == ("Running", "Running")
    control.advance(0.1)
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_desired_status"]) == ("Stopping", "Stopped")
    assert body["deployment_error"]["error_code"] == "WorkerPanic"
    control.advance(1.0)
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_error"]["error_code"]) == ("Stopped", "WorkerPanic")
    feldera.running("p2")
    control.advance(60.0)
    assert feldera.status("p2") == ("Running", "Running")  # the rule names p1 only
    assert feldera.post("p1", "start").status_code == 202  # dismisses the error
    control.advance(BOOT + 60.0)
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_error"]) == ("Running", None)


def test_a_failure_rule_fires_n_times_then_the_step_succeeds(feldera, control):
    control.load({"name": "flaky", "resources": [
        {"vendor": "feldera", "kind": "pipeline", "id": "p1", "state": "Stopped",
         "fields": {"fail_at": "Provisioning", "fail_times": 2}}]})
    for _ in range(2):
        assert feldera.post("p1", "start").status_code == 202
        control.advance(2.0)
        body = feldera.get("p1", "status")
        assert (body["deployment_status"], body["deployment_error"]["error_code"]) == (
            "Stopped", "PipelineProvisioningTimeout")
    feldera.post("p1", "start")
    control.advance(BOOT + 1.0)
    assert feldera.status("p1") == ("Running", "Running")


def test_a_failure_rule_without_times_fires_every_time(feldera, control):
    control.load({"name": "crashy", "settings": {"feldera": {"failures": [{"at": "Running", "after": 2}]}}})
    feldera.running("p1")
    for _ in range(3):
        control.advance(3.0)
        assert feldera.get("p1", "status")["deployment_error"]["error_code"] == "WorkerPanic"
        assert feldera.status("p1") == ("Stopped", "Stopped")
        feldera.post("p1", "start")
        control.advance(BOOT)
        assert feldera.status("p1") == ("Running", "Running")


def test_failure_rules_are_checked(client):
    response = client.post("/_simulator/scenarios", json={"name": "bad", "settings": {"feldera": {"failures": [
        {"at": "Flying"}, {"at": "Running", "times": 0}, {"at": "Running", "after": -1}]}}})
    assert response.status_code == 400
    paths = {d["path"] for d in response.get_json()["details"]}
    assert {"settings.feldera.failures[0].at", "settings.feldera.failures[1].times",
            "settings.feldera.failures[2].after"} <= paths


def test_a_udf_that_fails_gives_rust_error(feldera, control):
    control.load({"name": "udf", "settings": {"feldera": {"compile_errors": [{"contains": "panic!"}]}}})
    feldera.create("p1", udf_rust="fn f() {\n    panic!(\"no\")\n}")
    control.advance(COMPILE)
    body = feldera.get("p1")
    assert body["program_status"] == "RustError"
    assert body["program_error"]["sql_compilation"] == {"exit_code": 0, "messages": []}
    assert body["program_error"]["rust_compilation"]["exit_code"] == 1
    response = feldera.post("p1", "start")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "CannotStartWithCompilationError")
    feldera.create("p2", code="-- panic! in a SQL comment")  # a rule without status: SqlError in SQL
    control.advance(COMPILE)
    assert feldera.get("p2")["program_status"] == "SqlError"
