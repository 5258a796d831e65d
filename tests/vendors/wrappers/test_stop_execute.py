"""Stop and execute exactly as the reference's tables say (sections 4 and 5), in both readings."""
from __future__ import annotations

import pytest

from simulator.engine.timefmt import parse_timestamp

from .helpers import API_ID, BASE, CSV_ID, api_running, csv_completed, execute, generate, get, load, marks, stop

UNKNOWN = "00000000-0000-4000-8000-00000000dead"


@pytest.mark.parametrize("profile,status", [(None, "stopped"), ("docs", "stopped"), ("code", "completed")])
def test_stop_ends_the_live_process_and_keeps_the_checkpoint(client, control, profile, status):
    load(control, api_running(), settings={"profile": profile} if profile else {})
    before = get(client, API_ID)
    assert before["data_points_count"] == 1200 and before["phase"] == "continuous"
    answer = stop(client, API_ID)
    assert answer.status_code == 200
    assert answer.get_json() == {"wrapper_id": API_ID, "success": True, "message": "Wrapper stopped successfully"}
    after = get(client, API_ID)
    assert after["status"] == status
    assert marks(after) == marks(before)
    assert after["execution_log"][-1].startswith("Wrapper stopped manually at ")
    assert after["monitoring_details"] == {"process_running": False}
    control.advance(60)  # no more batches arrive
    assert marks(get(client, API_ID)) == marks(before)


def test_stop_is_idempotent(client, control):
    load(control, api_running())
    first = stop(client, API_ID)
    stopped = get(client, API_ID)
    control.advance(30)
    second = stop(client, API_ID)
    assert first.get_json() == second.get_json() == {
        "wrapper_id": API_ID, "success": True, "message": "Wrapper stopped successfully"}
    again = get(client, API_ID)
    assert again == stopped  # nothing changed, not even the log or updated_at
    history = control.resource("wrappers", "wrapper", API_ID)["history"]
    assert [h["state"] for h in history] == ["executing", "stopped"]


@pytest.mark.parametrize("state", ["completed", "stopped", "error", "pending", "generating", "retrying"])
def test_stop_without_a_live_process_changes_nothing(client, control, state):
    load(control, {"vendor": "wrappers", "kind": "wrapper", "id": API_ID, "state": state,
                   "fields": {"source_type": "API"}})
    before = get(client, API_ID)
    answer = stop(client, API_ID)
    assert answer.status_code == 200 and answer.get_json()["success"] is True
    assert get(client, API_ID) == before


def test_stop_of_a_completed_csv_wrapper_changes_nothing(client, control):
    load(control, csv_completed())
    before = get(client, CSV_ID)
    assert (before["status"], before["data_points_count"]) == ("completed", 100)
    assert stop(client, CSV_ID).get_json()["success"] is True
    assert get(client, CSV_ID) == before


def test_stop_during_a_one_shot_run_ends_it(client, control):
    load(control, csv_completed(live=True, ran_for="2s"))
    health = client.get(f"{BASE}/{CSV_ID}/health", headers={"Authorization": "Bearer x"}).get_json()
    assert health["health_status"] == "healthy"
    assert stop(client, CSV_ID).get_json()["success"] is True
    stopped = get(client, CSV_ID)
    assert stopped["status"] == "stopped" and stopped["data_points_count"] == 100
    assert stopped["execution_log"][-1].startswith("Wrapper stopped manually")


@pytest.mark.parametrize("profile,status,body", [
    ("code", 200, {"wrapper_id": UNKNOWN, "success": False, "message": "Failed to stop wrapper"}),
    (None, 200, {"wrapper_id": UNKNOWN, "success": False, "message": "Failed to stop wrapper"}),
    ("docs", 400, {"detail": "Stop error: Wrapper not found"}),
])
def test_stop_of_an_unknown_wrapper(client, control, profile, status, body):
    load(control, settings={"profile": profile} if profile else {})
    answer = stop(client, UNKNOWN)
    assert (answer.status_code, answer.get_json()) == (status, body)
    assert control.client.get(f"/_simulator/resources/wrappers/wrapper/{UNKNOWN}").status_code == 404


def test_an_injected_stop_error_is_a_400_and_changes_nothing(client, control):
    load(control, api_running(stop_error="Operation not permitted"))
    answer = stop(client, API_ID)
    assert (answer.status_code, answer.get_json()) == (400, {"detail": "Stop error: Operation not permitted"})
    assert get(client, API_ID)["status"] == "executing"


def test_execute_after_stop_restarts_and_the_water_marks_carry_on(client, control):
    load(control, api_running())
    stop(client, API_ID)
    stopped = get(client, API_ID)
    control.advance(300)
    answer = execute(client, API_ID)
    assert answer.status_code == 200
    result = answer.get_json()
    assert result["success"] is True and result["data_points_sent"] is None
    assert result["message"] == "Wrapper process started successfully in continuous mode"
    restarted = get(client, API_ID)
    assert restarted["status"] == "completed"  # both sources agree, though the process keeps running
    assert restarted["execution_result"] == result
    assert marks(restarted) == marks(stopped)
    health = client.get(f"{BASE}/{API_ID}/health", headers={"Authorization": "Bearer x"}).get_json()
    assert (health["health_status"], health["is_actively_executing"]) == ("healthy", True)
    control.advance(10)
    streaming = get(client, API_ID)
    assert streaming["data_points_count"] == stopped["data_points_count"] + 20
    assert streaming["low_water_mark"] == stopped["low_water_mark"]
    restarted_at = parse_timestamp(result["execution_time"])
    assert parse_timestamp(streaming["high_water_mark"]) == pytest.approx(restarted_at + 10)
    assert streaming["phase"] == "continuous"


def test_docs_execute_answers_executed_with_a_count(client, control):
    load(control, csv_completed(), settings={"profile": "docs"})
    result = execute(client, CSV_ID).get_json()
    assert (result["success"], result["message"]) == (True, "Wrapper executed successfully")
    assert result["data_points_sent"] == 200
    assert get(client, CSV_ID)["data_points_count"] == 200  # the file was sent again


@pytest.mark.parametrize("profile", ["docs", "code"])
def test_execute_while_running_fails_and_shows_error(client, control, profile):
    load(control, api_running(), settings={"profile": profile})
    answer = execute(client, API_ID)
    assert answer.status_code == 200
    result = answer.get_json()
    assert (result["success"], result["data_points_sent"]) == (False, None)
    assert result["message"] == "Failed to start wrapper process"
    failed = get(client, API_ID)
    assert failed["status"] == "error"
    assert failed["execution_log"][-1].startswith("Error: Failed to start wrapper process")
    control.advance(5)
    assert get(client, API_ID)["data_points_count"] == 1210  # the process it could not replace keeps running


def test_execute_before_the_code_is_generated_fails(client, control):
    wid = generate(client)["wrapper_id"]
    result = execute(client, wid).get_json()
    assert result["success"] is False and result["message"] == "Failed to start wrapper process"
    assert get(client, wid)["status"] == "error"
    control.advance(10)
    assert get(client, wid)["status"] == "error"


@pytest.mark.parametrize("profile,status", [("code", 200), (None, 200), ("docs", 400)])
def test_execute_of_an_unknown_wrapper(client, control, profile, status):
    load(control, settings={"profile": profile} if profile else {})
    answer = execute(client, UNKNOWN)
    assert answer.status_code == status
    if status == 200:
        body = answer.get_json()
        assert (body["wrapper_id"], body["success"], body["message"], body["data_points_sent"]) == (
            UNKNOWN, False, "Wrapper not found", None)
    else:
        assert answer.get_json() == {"detail": "Execution error: Wrapper not found"}


def test_resource_deletion_stops_the_wrapper(client, control):
    load(control, api_running())
    before = get(client, API_ID)
    answer = client.delete(f"/resources/{before['resource_id']}", headers={"Authorization": "Bearer x"})
    assert (answer.status_code, answer.get_json()) == (200, {"id": before["resource_id"], "deleted": True})
    after = get(client, API_ID)
    assert after["status"] == "stopped" and marks(after) == marks(before)
    assert after["execution_log"][-1].startswith("Wrapper stopped: its resource was deleted")
    again = client.delete(f"/resources/{before['resource_id']}", headers={"Authorization": "Bearer x"})
    assert (again.status_code, again.get_json()) == (404, {"detail": "Resource not found"})


def test_resource_delete_rejects_a_malformed_id(client):
    answer = client.delete("/resources/not-an-object-id", headers={"Authorization": "Bearer x"})
    assert (answer.status_code, answer.get_json()) == (400, {"detail": "Invalid resource ID"})
