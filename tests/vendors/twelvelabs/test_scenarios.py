"""Scenario batches in every state, with time remaining in it, and the shipped scenario files."""
from __future__ import annotations

import pytest
import yaml

from tests.conftest import SCENARIOS

from .helpers import batch, counters, results, ts

BATCH_ID = "66b000000000000000000001"


def _now(client) -> float:
    return ts(client.get("/_simulator/clock").get_json()["now"])


def _seed(control, state, remaining=None, **fields):
    entry = {"vendor": "twelvelabs", "kind": "batch", "id": BATCH_ID, "state": state, "fields": fields}
    if remaining is not None:
        entry["remaining"] = remaining
    control.load({"name": "seed", "resources": [entry]})
    return control.resource("twelvelabs", "batch", BATCH_ID)


@pytest.mark.parametrize("state, remaining, after", [
    ("pending", 30, "processing"),
    ("processing", 300, "completed"),
    ("canceling", 90, "canceled"),
])
def test_a_seeded_running_batch_leaves_its_state_when_its_time_is_up(client, control, state, remaining, after):
    now = _now(client)
    detail = _seed(control, state, remaining, item_count=6, concurrency=2, item_duration=120)
    assert detail["state"] == state
    assert detail["next"]["state"] == after and ts(detail["next"]["at"]) - now == remaining
    body = batch(client, BATCH_ID)
    assert body["status"] == state and sum(counters(body).values()) == 6
    expected_running = {"pending": 0, "processing": 2, "canceling": 2}[state]
    assert body["processing_items"] == expected_running
    if state == "canceling":
        assert body["queued_items"] == 0 and body["canceled_items"] > 0 and body["ready_items"] > 0

    control.advance(remaining - 0.5)
    assert batch(client, BATCH_ID)["status"] == state
    control.advance(0.5)
    assert batch(client, BATCH_ID)["status"] == after


@pytest.mark.parametrize("state, stamp", [("completed", "completed_at"), ("canceled", "canceled_at"),
                                          ("expired", "expired_at")])
def test_a_seeded_finished_batch_ended_just_now(client, control, state, stamp):
    _seed(control, state, item_count=4, concurrency=2)
    now = _now(client)  # the app's clock is frozen
    body = batch(client, BATCH_ID)
    assert body["status"] == state
    assert ts(body[stamp]) == now
    assert counters(body)["queued"] == counters(body)["processing"] == 0
    if state != "completed":
        assert body["canceled_items"] > 0 and body["ready_items"] > 0
    else:
        assert body["ready_items"] == 4
    history = [h["state"] for h in control.resource("twelvelabs", "batch", BATCH_ID)["history"]]
    assert history[0] == "pending" and history[-1] == state


def test_seeded_items_keep_their_custom_ids_and_failures(client, control):
    _seed(control, "completed", items=[{"custom_id": "a"}, {"custom_id": "b", "fail": "asset_unavailable"}],
          analysis_mode="time_based_metadata")
    lines = results(client, BATCH_ID)
    assert [(line["custom_id"], line["status"]) for line in lines] == [("a", "ready"), ("b", "failed")]
    assert lines[1]["error"]["code"] == "asset_unavailable"
    assert batch(client, BATCH_ID)["analysis_mode"] == "time_based_metadata"


def test_age_places_the_expiry_minutes_away(client, control):
    now = _now(client)
    detail = _seed(control, "processing", "2h", age="1435m", item_count=4, concurrency=1, item_duration="1h")
    assert detail["next"]["state"] == "expired"
    assert ts(detail["next"]["at"]) - now == 300
    control.advance(300)
    body = batch(client, BATCH_ID)
    assert body["status"] == "expired" and body["canceled_items"] > 0


@pytest.mark.parametrize("entry, where", [
    ({"id": "66B000000000000000000001"}, "resources[0].id"),
    ({"state": "done"}, "resources[0].state"),
    ({"state": "completed", "remaining": "1m"}, "resources[0].remaining"),
    ({"fields": {"item_count": 0}}, "resources[0].fields.item_count"),
    ({"fields": {"colour": "red"}}, "resources[0].fields.colour"),
])
def test_invalid_scenario_batches_are_refused_with_their_place(client, entry, where):
    resource = {"vendor": "twelvelabs", "kind": "batch", "id": BATCH_ID, **entry}
    response = client.post("/_simulator/scenarios", json={"name": "bad", "resources": [resource]})
    assert response.status_code == 400
    assert where in [problem["path"] for problem in response.get_json()["details"]]


def test_invalid_settings_are_refused(client):
    response = client.post("/_simulator/scenarios", json={"name": "bad", "settings": {"twelvelabs": {
        "error_shape": "xml", "concurrency": 0, "assets": [{"id": "nope"}]}}})
    assert response.status_code == 400
    paths = {problem["path"] for problem in response.get_json()["details"]}
    assert {"settings.twelvelabs.error_shape", "settings.twelvelabs.concurrency",
            "settings.twelvelabs.assets[0].id"} <= paths


def _load_file(control, name):
    control.load(yaml.safe_load((SCENARIOS / name).read_text()))


def test_the_canceling_scenario(client, control):
    control.freeze()
    _load_file(control, "twelvelabs-canceling.yaml")
    body = batch(client, "66c0ffee0000000000000001")
    assert body["status"] == "canceling"
    assert counters(body) == {"queued": 0, "processing": 2, "ready": 2, "failed": 0, "canceled": 2}
    control.advance(120)
    body = batch(client, "66c0ffee0000000000000001")
    assert body["status"] == "canceled"
    assert counters(body) == {"queued": 0, "processing": 0, "ready": 3, "failed": 1, "canceled": 2}
    assert batch(client, "66c0ffee0000000000000002")["status"] == "processing"


def test_the_expiring_scenario(client, control):
    control.freeze()
    _load_file(control, "twelvelabs-expiring.yaml")
    assert batch(client, "66e0000000000000000000a1")["status"] == "processing"
    assert batch(client, "66e0000000000000000000a2")["status"] == "pending"
    control.advance(120)
    assert batch(client, "66e0000000000000000000a2")["status"] == "expired"
    assert batch(client, "66e0000000000000000000a1")["status"] == "processing"
    control.advance(180)
    body = batch(client, "66e0000000000000000000a1")
    assert body["status"] == "expired" and body["ready_items"] > 0 and body["canceled_items"] > 0


def test_the_default_scenario_has_a_batch_in_every_status(client, control):
    control.freeze()
    _load_file(control, "default.yaml")
    statuses = {b["status"] for b in client.get("/v1.3/analyze/batches?page_limit=50",
                                                 headers={"x-api-key": "k"}).get_json()["data"]}
    assert statuses == {"pending", "processing", "canceling", "completed", "canceled", "expired"}
