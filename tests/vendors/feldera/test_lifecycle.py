"""Feldera lifecycles on the virtual clock (reference 5 and 6): compile, deploy, stop, storage."""
from __future__ import annotations

import pytest

from simulator.engine.timefmt import parse_timestamp

from .conftest import BOOT, COMPILE, SQL


def _history(control, name, kind="pipeline"):
    return [h["state"] for h in control.resource("feldera", kind, name)["history"]]


def test_compilation_steps(feldera, control):
    feldera.create("p1")
    seen = []
    for step in (0.5, 1.0, 0.5, 2.0):
        seen.append(feldera.get("p1", "status")["program_status"])
        control.advance(step)
    seen.append(feldera.get("p1", "status")["program_status"])
    assert seen == ["Pending", "CompilingSql", "SqlCompiled", "CompilingRust", "Success"]


@pytest.mark.parametrize("status,step", [("SqlError", 1.5), ("RustError", COMPILE), ("SystemError", COMPILE)])
def test_compilation_failure_from_a_scenario(feldera, control, status, step):
    control.load({"name": "bad-sql", "settings": {"feldera": {"compile_errors": [
        {"contains": "BROKEN", "status": status, "message": "no such table"}]}}})
    feldera.create("p1", code="CREATE TABLE t1 (id INT);\nSELECT BROKEN;")
    control.advance(step)
    body = feldera.get("p1")
    assert body["program_status"] == status
    error = body["program_error"]
    if status == "SqlError":
        message = error["sql_compilation"]["messages"][0]
        assert (message["message"], message["start_line_number"], message["snippet"]) == (
            "no such table", 2, "SELECT BROKEN;")
        assert body["program_info"] is None
    elif status == "RustError":
        assert error["rust_compilation"] == {"exit_code": 1, "stdout": "", "stderr": "no such table"}
    else:
        assert error["system_error"] == "no such table"
    response = feldera.post("p1", "start")
    assert response.status_code == 400
    assert response.get_json()["error_code"] == "CannotStartWithCompilationError"


def test_start_deploys_through_the_phases_with_since_timestamps(feldera, control):
    feldera.create("p1")
    control.advance(COMPILE)
    response = feldera.post("p1", "start")
    assert (response.status_code, response.get_json()) == (202, "Pipeline is starting")
    started = feldera.get("p1", "status")
    assert (started["deployment_status"], started["deployment_desired_status"]) == ("Provisioning", "Running")
    assert started["deployment_initial"] == "Running" and started["storage_status"] == "InUse"
    assert started["deployment_runtime_status"] is None and started["deployment_id"]
    control.advance(1.0)
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_runtime_status"], body["deployment_runtime_desired_status"]) \
        == ("Initializing", "Initializing", "Running")
    control.advance(1.0)
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_resources_status"]) == ("Running", "Provisioned")
    t = {k: parse_timestamp(v) for k, v in body.items() if k.endswith("_since") and v}
    assert t["deployment_resources_status_since"] - parse_timestamp(started["deployment_resources_status_since"]) == \
        pytest.approx(1.0)
    assert t["deployment_runtime_status_since"] - t["deployment_resources_status_since"] == pytest.approx(1.0)
    assert t["deployment_status_since"] == t["deployment_runtime_status_since"]
    assert _history(control, "p1") == ["Stopped", "StartPending", "Provisioning", "Initializing", "Running"]


def test_start_while_compiling_waits_for_the_program(feldera, control):
    feldera.create("p1")
    assert feldera.post("p1", "start", "initial=paused").status_code == 202
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_desired_status"]) == ("Stopped", "Paused")
    assert body["deployment_resources_desired_status"] == "Provisioned"
    control.advance(COMPILE - 0.1)
    assert feldera.status("p1") == ("Stopped", "Paused")
    control.advance(0.1 + BOOT)  # compiled, provisioned and initialized at the virtual times they were due
    assert feldera.status("p1") == ("Paused", "Paused")
    history = control.resource("feldera", "pipeline", "p1")["history"]
    assert [h["state"] for h in history][-3:] == ["Provisioning", "Initializing", "Paused"]
    assert parse_timestamp(history[-2]["at"]) - parse_timestamp(history[-3]["at"]) == pytest.approx(1.0)


def test_start_while_compiling_then_compilation_fails(feldera, control):
    control.load({"name": "bad", "settings": {"feldera": {"compile_errors": [{"contains": "BROKEN"}]}}})
    feldera.create("p1", code="BROKEN")
    feldera.post("p1", "start")
    control.advance(COMPILE)
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_desired_status"]) == ("Stopped", "Stopped")
    assert body["deployment_error"]["error_code"] == "CannotStartWithCompilationError"
    assert body["program_status"] == "SqlError"


def test_pause_and_resume(feldera, control):
    feldera.running("p1")
    response = feldera.post("p1", "pause")
    assert (response.status_code, response.get_json()) == (202, "Pipeline transitioning from Running to Paused")
    assert feldera.status("p1") == ("Running", "Paused")
    control.advance(0.2)
    assert feldera.status("p1") == ("Paused", "Paused")
    response = feldera.post("p1", "resume")
    assert response.get_json() == "Pipeline transitioning from Paused to Running"
    control.advance(0.2)
    assert feldera.status("p1") == ("Running", "Running")


def test_pause_before_provisioned_is_503_with_retry_after(feldera, control):
    feldera.create("p1")
    response = feldera.post("p1", "pause")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["error_code"] == "PipelineInteractionNotDeployed"
    assert response.get_json()["details"] == {"pipeline_name": "p1", "status": "Stopped",
                                              "desired_status": "Stopped"}


def test_pause_while_initializing_changes_the_target(feldera, control):
    feldera.create("p1")
    control.advance(COMPILE)
    feldera.post("p1", "start")
    control.advance(1.0)
    assert feldera.status("p1") == ("Initializing", "Running")
    feldera.post("p1", "pause")
    assert feldera.status("p1") == ("Initializing", "Paused")
    control.advance(1.0)
    assert feldera.status("p1") == ("Paused", "Paused")


def test_force_stop_deprovisions(feldera, control):
    feldera.running("p1")
    response = feldera.post("p1", "stop", "force=true")
    assert (response.status_code, response.get_json()) == (202, "Pipeline is forcefully stopping")
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_desired_status"]) == ("Stopping", "Stopped")
    assert body["deployment_runtime_status"] is None
    control.advance(1.0)
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_desired_status"]) == ("Stopped", "Stopped")
    assert body["deployment_initial"] is None and body["deployment_id"] is None
    assert body["storage_status"] == "InUse"


def test_force_stop_cancels_a_pending_start(feldera, control):
    feldera.create("p1")
    feldera.post("p1", "start")
    assert feldera.post("p1", "stop", "force=true").status_code == 202
    control.advance(COMPILE + BOOT)
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_desired_status"], body["deployment_initial"]) == (
        "Stopped", "Stopped", None)
    assert body["storage_status"] == "Cleared"


def test_graceful_stop_checkpoints_then_stops(feldera, control):
    feldera.running("p1")
    response = feldera.post("p1", "stop")  # force=false is the default
    assert (response.status_code, response.get_json()) == (202, "Pipeline is suspending")
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_desired_status"]) == ("Running", "Suspended")
    assert body["deployment_runtime_desired_status"] == "Suspended"
    assert feldera.post("p1", "stop", "force=false").get_json() == "Pipeline is suspending"  # idempotent
    control.advance(1.0)
    assert feldera.status("p1") == ("Suspended", "Suspended")
    control.advance(0.2)
    assert feldera.status("p1") == ("Stopping", "Stopped")
    control.advance(1.0)
    assert feldera.status("p1") == ("Stopped", "Stopped")
    assert feldera.get("p1")["deployment_error"] is None
    assert _history(control, "p1")[-4:] == ["Suspending", "Suspended", "Stopping", "Stopped"]


def test_graceful_stop_of_a_not_provisioned_pipeline_is_forceful(feldera, control):
    feldera.create("p1")
    control.advance(COMPILE)
    feldera.post("p1", "start")
    response = feldera.post("p1", "stop", "force=false")
    assert response.get_json() == "Pipeline is forcefully stopping"
    assert feldera.status("p1") == ("Stopping", "Stopped")


def test_force_stop_during_the_graceful_phase_is_immediate(feldera, control):
    feldera.running("p1")
    feldera.post("p1", "stop")
    control.advance(0.5)
    assert feldera.post("p1", "stop", "force=true").get_json() == "Pipeline is forcefully stopping"
    assert feldera.status("p1") == ("Stopping", "Stopped")
    control.advance(1.0)
    assert feldera.status("p1") == ("Stopped", "Stopped")
    assert "Suspended" not in _history(control, "p1")


def test_start_while_stopping_is_illegal(feldera, control):
    feldera.running("p1")
    feldera.post("p1", "stop", "force=true")
    response = feldera.post("p1", "start")
    assert response.status_code == 400
    hint = ("Cannot restart the pipeline while it is stopping. Wait until it is stopped before starting the "
            "pipeline again.")
    assert response.get_json() == {
        "message": "Deployment resources status (current: 'Stopping', desired: 'Stopped') cannot have desired "
                   f"changed to 'Provisioned'. {hint}",
        "error_code": "IllegalPipelineAction",
        "details": {"status": "Stopping", "current_desired_status": "Stopped",
                    "new_desired_status": "Provisioned", "hint": hint}}
    control.advance(1.0)
    assert feldera.post("p1", "start").status_code == 202
    assert feldera.status("p1") == ("Provisioning", "Running")


def test_failures_go_through_stopping_with_an_error(feldera, control):
    control.load({"name": "fails", "resources": [
        {"vendor": "feldera", "kind": "pipeline", "id": "p1", "state": "Stopped",
         "fields": {"fail_at": "Provisioning"}}]})
    feldera.post("p1", "start")
    control.advance(1.0)
    body = feldera.get("p1", "status")
    assert (body["deployment_status"], body["deployment_desired_status"]) == ("Stopping", "Stopped")
    assert body["deployment_error"]["error_code"] == "PipelineProvisioningTimeout"
    control.advance(1.0)
    assert feldera.status("p1") == ("Stopped", "Stopped")
    response = feldera.post("p1", "start", "dismiss_error=false")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "CannotStartWithUndismissedError")
    response = feldera.post("p1", "dismiss_error")
    assert (response.status_code, response.get_json()) == (200, "Pipeline deployment error has been dismissed")
    assert feldera.get("p1")["deployment_error"] is None


def test_checkpoint_failure_still_ends_stopped_with_the_error(feldera, control):
    control.load({"name": "fails", "resources": [
        {"vendor": "feldera", "kind": "pipeline", "id": "p1", "state": "Running",
         "fields": {"fail_at": "Suspending"}}]})
    assert feldera.post("p1", "stop").get_json() == "Pipeline is suspending"
    control.advance(1.0)
    body = feldera.get("p1", "status")
    assert body["deployment_status"] == "Stopping"
    assert body["deployment_error"]["error_code"] == "SuspendError"
    control.advance(1.0)
    assert feldera.status("p1") == ("Stopped", "Stopped")
    assert feldera.get("p1")["deployment_error"]["error_code"] == "SuspendError"


def test_start_rules_in_order(feldera, client, control):
    response = client.post("/v0/pipelines/nope/start?silent_bootstrap=true&concurrent_bootstrap=true")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "InvalidBootstrapConfig")
    response = client.post("/v0/pipelines/nope/start?initial=sprinting")
    assert response.status_code == 405
    assert response.get_json()["details"]["action"] == "/start?initial=sprinting"
    feldera.running("p1")
    response = feldera.post("p1", "start", "initial=paused")
    assert response.get_json()["error_code"] == "InitialImmutableUnlessStopped"
    response = feldera.post("p1", "start", "bootstrap_policy=allow")
    assert response.get_json()["error_code"] == "BootstrapPolicyImmutableUnlessStopped"
    assert feldera.post("p1", "start").get_json() == "Pipeline is starting"  # a repeat is accepted
    feldera.create("p2")
    response = feldera.post("p2", "start", "initial=standby")
    assert response.get_json()["error_code"] == "InitialStandbyNotAllowed"


def test_clear_storage(feldera, control):
    feldera.running("p1")
    response = feldera.post("p1", "clear")
    assert response.status_code == 400
    assert response.get_json()["details"] == {"resources_status": "Provisioned", "resources_desired_status":
                                              "Provisioned", "current_status": "InUse", "new_status": "Clearing"}
    feldera.post("p1", "stop", "force=true")
    control.advance(1.0)
    response = feldera.post("p1", "clear")
    assert (response.status_code, response.get_json()) == (202, "Pipeline storage is being cleared")
    assert feldera.get("p1")["storage_status"] == "Clearing"
    assert feldera.post("p1", "start").get_json()["error_code"] == "CannotStartWhileClearingStorage"
    control.advance(1.0)
    assert feldera.get("p1")["storage_status"] == "Cleared"
    assert feldera.post("p1", "clear").status_code == 202  # already cleared: no change
    assert feldera.get("p1")["storage_status"] == "Cleared"


def test_dismiss_error_needs_fully_stopped(control, feldera):
    error = {"message": "x", "error_code": "E", "details": None}
    control.load({"name": "err", "resources": [{"vendor": "feldera", "kind": "pipeline", "id": "p1",
                                                "state": "Running", "fields": {"deployment_error": error}}]})
    response = feldera.post("p1", "dismiss_error")
    assert (response.status_code, response.get_json()["error_code"]) == (400, "DismissErrorRestrictedToFullyStopped")


def test_checkpoint_approve_and_activate(feldera, control):
    control.load({"name": "phases", "resources": [
        {"vendor": "feldera", "kind": "pipeline", "id": "wait", "state": "AwaitingApproval"},
        {"vendor": "feldera", "kind": "pipeline", "id": "standby", "state": "Standby",
         "fields": {"deployment_initial": "standby"}},
        {"vendor": "feldera", "kind": "pipeline", "id": "down", "state": "Unavailable"}]})
    feldera.running("p1")
    response = feldera.post("p1", "checkpoint")
    assert response.status_code == 200
    assert response.get_json() == {"checkpoint_sequence_number": 1,
                                   "incarnation_uuid": feldera.get("p1")["deployment_id"]}
    assert feldera.post("p1", "checkpoint").get_json()["checkpoint_sequence_number"] == 2
    assert feldera.post("down", "checkpoint").status_code == 503
    assert feldera.post("down", "pause").get_json()["error_code"] == "PipelineUnavailable"
    assert feldera.post("down", "stop").headers["Retry-After"] == "5"
    assert feldera.status("wait")[0] == "AwaitingApproval"
    assert feldera.post("wait", "approve").get_json() == "Bootstrap approved"
    assert feldera.status("wait")[0] == "Bootstrapping"
    control.advance(1.0)
    assert feldera.status("wait") == ("Running", "Running")
    assert feldera.post("standby", "pause").get_json()["error_code"] == "InvalidTransition"
    assert feldera.post("standby", "stop").get_json()["error_code"] == "InvalidTransition"
    assert feldera.post("standby", "activate").status_code == 202
    control.advance(0.5)
    assert feldera.status("standby") == ("Running", "Running")


def test_seeded_default_scenario_pipelines(client, control):
    control.load({"name": "seed", "resources": [
        {"vendor": "feldera", "kind": "pipeline", "id": "comp", "state": "StartPending",
         "fields": {"program_status": "CompilingRust"}},
        {"vendor": "feldera", "kind": "program", "id": "comp", "state": "CompilingRust", "remaining": "5s"}]})
    body = client.get("/v0/pipelines/comp").get_json()
    assert (body["program_status"], body["deployment_status"], body["deployment_desired_status"]) == (
        "CompilingRust", "Stopped", "Running")
    control.advance(5.0)
    assert client.get("/v0/pipelines/comp").get_json()["deployment_status"] == "Provisioning"
    assert client.get("/v0/pipelines/comp").get_json()["program_code"] == (
        "CREATE TABLE t1 (id INT);\nCREATE MATERIALIZED VIEW v1 AS SELECT * FROM t1;")


def test_sql_is_kept_verbatim(feldera):
    assert feldera.create("p1")["program_code"] == SQL
