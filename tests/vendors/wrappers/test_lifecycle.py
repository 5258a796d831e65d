"""pending -> generating -> executing on the virtual clock; CSV/XLSX complete; API streams (reference 6)."""
from __future__ import annotations

import pytest

from simulator.engine.timefmt import parse_timestamp

from .helpers import ADMIN, BASE, api_body, generate, get, load, upload


def _ts(text: str) -> float:
    return parse_timestamp(text)


def test_generate_answers_pending_and_the_wrapper_moves_on_with_the_clock(client, control):
    created = generate(client)
    wid = created["wrapper_id"]
    assert created["status"] == "pending" and created["generated_code"] is None
    assert created["data_points_count"] == 0 and created["phase"] == "historical"
    assert created["high_water_mark"] is None and created["resource_id"] is not None
    control.advance(1)
    assert get(client, wid)["status"] == "generating"
    control.advance(3)
    running = get(client, wid)
    assert running["status"] == "executing" and running["generated_code"].startswith('"""Wrapper')
    assert "Wrapper process started successfully in continuous mode" in running["execution_log"][-1]
    history = [(h["state"], h["cause"]) for h in control.resource("wrappers", "wrapper", wid)["history"]]
    assert history == [("pending", "created"), ("generating", "timer"), ("executing", "timer")]


def test_an_api_wrapper_gets_a_batch_every_tick_and_goes_continuous(client, control):
    wid = generate(client)["wrapper_id"]
    control.advance(4)  # executing from now on
    started = _ts(get(client, wid)["updated_at"])
    control.advance(10)
    two = get(client, wid)
    assert (two["status"], two["data_points_count"], two["phase"]) == ("executing", 20, "historical")
    assert _ts(two["last_data_sent"]) == pytest.approx(started + 10)
    assert _ts(two["high_water_mark"]) == pytest.approx(started - 3600)
    assert _ts(two["low_water_mark"]) == pytest.approx(started - 20 * 3600)
    control.advance(15)
    five = get(client, wid)
    assert (five["data_points_count"], five["phase"]) == (50, "continuous")
    assert _ts(five["high_water_mark"]) == pytest.approx(started + 25)
    assert five["monitoring_details"]["process_running"] is True


@pytest.mark.parametrize("source_type", ["CSV", "XLSX"])
def test_a_file_wrapper_completes_after_its_one_shot_run(client, control, source_type):
    file_id = upload(client, name="data.csv" if source_type == "CSV" else "data.xlsx").get_json()["file_id"]
    created = generate(client, {**api_body(), "source_type": source_type, "source_config": {"file_id": file_id}})
    name = "data.csv" if source_type == "CSV" else "data.xlsx"
    assert created["source_config"]["location"] == f"/app/uploads/{file_id}/{name}"
    control.advance(4)
    done = get(client, created["wrapper_id"])
    assert done["status"] == "completed" and done["completed_at"] is not None
    assert done["data_points_count"] == 100 and done["phase"] == "historical"
    assert done["execution_result"]["message"] == "Wrapper process started successfully in once mode"
    health = client.get(f"{BASE}/{created['wrapper_id']}/health", headers=ADMIN).get_json()
    assert health["is_actively_executing"] is True  # the one-shot process still runs a few seconds
    control.advance(5)
    health = client.get(f"{BASE}/{created['wrapper_id']}/health", headers=ADMIN).get_json()
    assert (health["health_status"], health["is_actively_executing"]) == ("crashed", False)
    assert get(client, created["wrapper_id"])["status"] == "completed"


def test_generation_failure_ends_in_error(client, control):
    load(control, {"vendor": "wrappers", "kind": "wrapper", "id": "4a5b6c7d-8e9f-4a0b-8c1d-2e3f40516273",
                   "state": "generating", "remaining": "3s",
                   "fields": {"fault": {"kind": "generation_failure", "message": "model quota exceeded"}}})
    assert get(client, "4a5b6c7d-8e9f-4a0b-8c1d-2e3f40516273")["status"] == "generating"
    control.advance(3)
    failed = get(client, "4a5b6c7d-8e9f-4a0b-8c1d-2e3f40516273")
    assert (failed["status"], failed["error_message"]) == ("error", "model quota exceeded")
    assert failed["completed_at"] is not None and failed["generated_code"] is None


def test_a_scenario_fault_applies_to_every_new_wrapper(client, control):
    load(control, settings={"fault": {"kind": "generation_failure"}})
    wid = generate(client)["wrapper_id"]
    control.advance(4)
    failed = get(client, wid)
    assert failed["status"] == "error" and failed["error_message"].startswith("Wrapper generation failed")


CRASH = {"kind": "crash", "after": "20s"}
CRASHING = {"vendor": "wrappers", "kind": "wrapper", "id": "5b6c7d8e-9fa0-4b1c-9d2e-3f4051627384",
            "state": "executing", "remaining": "20s", "fields": {"source_type": "API", "fault": CRASH}}


def test_code_a_crashing_process_is_retried_three_times_then_error(client, control):
    load(control, CRASHING)
    wid = CRASHING["id"]
    control.advance(20)
    crashed = get(client, wid)
    assert (crashed["status"], crashed["retry_count"]) == ("retrying", 0)
    assert crashed["error_message"] == "Wrapper process crashed"
    assert crashed["data_points_count"] == 40  # what the run sent before it crashed is kept
    control.advance(10)  # the retry delay
    retried = get(client, wid)
    assert (retried["status"], retried["retry_count"]) == ("executing", 1)
    control.advance(3 * 30)  # two more crash + retry rounds, then the fourth crash
    gave_up = get(client, wid)
    assert (gave_up["status"], gave_up["retry_count"]) == ("error", 3)
    assert gave_up["error_message"] == "Wrapper failed after 3 auto-retry attempts"
    states = [h["state"] for h in control.resource("wrappers", "wrapper", wid)["history"]]
    assert states == ["executing"] + ["retrying", "executing"] * 3 + ["error"]


def test_docs_a_crashing_process_ends_in_error_at_once(client, control):
    load(control, CRASHING, settings={"profile": "docs"})
    control.advance(20)
    crashed = get(client, CRASHING["id"])
    assert (crashed["status"], crashed["retry_count"]) == ("error", 0)
    assert crashed["error_message"] == "Wrapper process crashed"


def test_a_crash_fault_with_times_stops_crashing(client, control):
    load(control, {**CRASHING, "fields": {"source_type": "API", "fault": {**CRASH, "times": 1}}})
    control.advance(20 + 10 + 600)
    recovered = get(client, CRASHING["id"])
    assert (recovered["status"], recovered["retry_count"]) == ("executing", 1)


def test_a_hung_one_shot_process_times_out(client, control):
    wid = "6c7d8e9f-a0b1-4c2d-8e3f-405162738495"
    load(control, {"vendor": "wrappers", "kind": "wrapper", "id": wid, "state": "completed", "remaining": "60s",
                   "fields": {"source_type": "CSV", "live": True, "fault": {"kind": "timeout", "after": "60s"}}})
    control.advance(59)
    assert get(client, wid)["status"] == "completed"
    assert client.get(f"{BASE}/{wid}/health", headers=ADMIN).get_json()["health_status"] == "healthy"
    control.advance(1)
    timed_out = get(client, wid)
    assert timed_out["status"] == "error" and "timed out after 60 seconds" in timed_out["error_message"]
    assert client.get(f"{BASE}/{wid}/health", headers=ADMIN).get_json()["is_actively_executing"] is False


def test_a_generated_wrapper_with_a_timeout_fault_errors_after_the_timeout(client, control):
    load(control, settings={"fault": {"kind": "timeout", "after": "100s"}})
    file_id = upload(client).get_json()["file_id"]
    wid = generate(client, {**api_body(), "source_type": "CSV", "source_config": {"file_id": file_id}})["wrapper_id"]
    control.advance(4)
    assert get(client, wid)["status"] == "completed"
    control.advance(100)
    assert get(client, wid)["status"] == "error"


def test_code_stop_before_the_process_starts_is_a_no_op_and_it_still_starts(client, control):
    wid = generate(client)["wrapper_id"]
    control.advance(1)
    answer = client.post(f"{BASE}/{wid}/stop", headers=ADMIN)
    assert answer.status_code == 200 and answer.get_json()["success"] is True
    assert get(client, wid)["status"] == "generating"
    control.advance(3)
    assert get(client, wid)["status"] == "executing"  # the race the service's code has


def test_docs_stop_before_the_process_starts_is_remembered(client, control):
    load(control, settings={"profile": "docs"})
    wid = generate(client)["wrapper_id"]
    answer = client.post(f"{BASE}/{wid}/stop", headers=ADMIN)
    assert answer.status_code == 200 and answer.get_json()["success"] is True
    control.advance(1)
    assert get(client, wid)["status"] == "generating"
    control.advance(3)
    stopped = get(client, wid)
    assert stopped["status"] == "stopped" and stopped["data_points_count"] == 0
    assert stopped["monitoring_details"] == {"process_running": False}
