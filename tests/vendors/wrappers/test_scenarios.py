"""The wrappers scenario files put wrappers where their descriptions say (reference 6 and 9)."""
from __future__ import annotations

from tests.conftest import SCENARIOS

from .helpers import ADMIN, API_ID, BASE, CSV_ID, FILE_ID, api_running, execute, get, load, marks, stop


def _load(control, name: str) -> None:
    answer = control.client.post("/_simulator/scenarios", data=(SCENARIOS / name).read_text(),
                                 content_type="application/yaml")
    assert answer.status_code == 201, answer.get_data(as_text=True)


def test_api_running_streams_with_water_marks(client, control):
    _load(control, "wrappers-api-running.yaml")
    running = get(client, API_ID)
    assert (running["status"], running["data_points_count"], running["phase"]) == ("executing", 1200, "continuous")
    assert running["high_water_mark"] > running["low_water_mark"]
    assert running["source_config"]["api_key"] == "********"
    control.advance(5)
    assert get(client, API_ID)["data_points_count"] == 1210
    stop(client, API_ID)
    assert get(client, API_ID)["status"] == "stopped"


def test_csv_completed_has_finished_file_wrappers(client, control):
    _load(control, "wrappers-csv-completed.yaml")
    done = get(client, CSV_ID)
    assert (done["status"], done["data_points_count"], done["monitoring_details"]) == (
        "completed", 100, {"process_running": False})
    before = marks(done)
    assert stop(client, CSV_ID).get_json()["success"] is True and marks(get(client, CSV_ID)) == before
    assert execute(client, CSV_ID).get_json()["success"] is True
    assert get(client, CSV_ID)["data_points_count"] == 200
    preview = client.get(f"{BASE}/files/{FILE_ID}", headers=ADMIN).get_json()["preview_data"]
    assert preview.splitlines()[0].split() == ["month", "stays"]


def test_faults_scenario(client, control):
    _load(control, "wrappers-faults.yaml")
    control.advance(60)
    assert get(client, "4a5b6c7d-8e9f-4a0b-8c1d-2e3f40516273")["status"] == "error"  # generation failed
    assert get(client, "6c7d8e9f-a0b1-4c2d-8e3f-405162738495")["status"] == "error"  # timed out
    crashing = get(client, "5b6c7d8e-9fa0-4b1c-9d2e-3f4051627384")
    assert crashing["retry_count"] == 2 and crashing["status"] == "executing"  # 20 s runs, 10 s retries
    refused = stop(client, "7d8e9fa0-b1c2-4d3e-9f40-5162738495a6")
    assert (refused.status_code, refused.get_json()) == (400, {"detail": "Stop error: Operation not permitted"})


def test_default_scenario_has_wrappers_in_several_states(client, control):
    _load(control, "default.yaml")
    listed = client.get(f"{BASE}/?limit=0", headers=ADMIN).get_json()
    assert {w["status"] for w in listed} >= {"executing", "completed", "stopped", "generating"}
    stopped = next(w for w in listed if w["status"] == "stopped")
    assert stopped["data_points_count"] > 0 and stopped["high_water_mark"] is not None


def test_a_seeded_source_config_is_masked_by_the_one_maskers_names(client, control):
    """A scenario may give source_config keys the API never accepts; any the secret masker names
    (engine/secrets.py) are masked in the service's own way, the header's name is not."""
    config = {"location": "https://u:pw-1@example.com/x?token=tk-2&page=3", "auth_token": "tk-3",
              "client_secret": "sc-4", "api_key_header": "X-Key", "custom_headers": {"X-Key": "hv-5"},
              "env": {"A": "ev-6"}, "timeout_seconds": 30}
    load(control, api_running(source_config=config))
    shown = get(client, API_ID)["source_config"]
    assert shown == {"location": "https://u:********@example.com/x?token=********&page=3",
                     "auth_token": "********", "client_secret": "********", "api_key_header": "X-Key",
                     "custom_headers": {"X-Key": "********"}, "env": {"A": "********"}, "timeout_seconds": 30}
    stored = control.resource("wrappers", "wrapper", API_ID)["fields"]["source_config"]
    assert "tk-3" not in str(stored) and "sc-4" not in str(stored) and "ev-6" not in str(stored)
