"""Items on the virtual clock: queued -> processing -> ready | failed; the batch follows its items."""
from __future__ import annotations

import json

from .helpers import asset, batch, counters, create_ok, general_body, results, segments_body, settings, ts

STATUSES = ("queued", "processing", "ready", "failed", "canceled")


def _status_and_counters(client, batch_id):
    body = batch(client, batch_id)
    assert sum(counters(body).values()) == body["total_items"]
    return body["status"], counters(body)


def test_items_run_a_few_at_a_time_and_the_batch_status_follows(client, control):
    settings(control, start_delay="5s", item_duration="10s", concurrency=2)
    created = create_ok(client, general_body(5))
    batch_id = created["batch_id"]

    assert _status_and_counters(client, batch_id) == (
        "pending", {"queued": 5, "processing": 0, "ready": 0, "failed": 0, "canceled": 0})
    control.advance(5)
    assert _status_and_counters(client, batch_id) == (
        "processing", {"queued": 3, "processing": 2, "ready": 0, "failed": 0, "canceled": 0})
    control.advance(10)
    assert _status_and_counters(client, batch_id) == (
        "processing", {"queued": 1, "processing": 2, "ready": 2, "failed": 0, "canceled": 0})
    control.advance(19.9)
    body = batch(client, batch_id)
    assert body["status"] == "processing" and "completed_at" not in body
    control.advance(0.1)  # the fifth item ends 5 + 3 x 10 s after creation
    body = batch(client, batch_id)
    assert body["status"] == "completed"
    assert counters(body) == {"queued": 0, "processing": 0, "ready": 5, "failed": 0, "canceled": 0}
    assert ts(body["completed_at"]) - ts(created["created_at"]) == 35
    assert not {"canceled_at", "expired_at"} & set(body)

    history = control.resource("twelvelabs", "batch", batch_id)["history"]
    assert [(h["state"], ts(h["at"]) - ts(created["created_at"])) for h in history] == [
        ("pending", 0), ("processing", 5), ("completed", 35)]


def test_the_status_is_derived_lazily_even_after_a_long_jump(client, control):
    created = create_ok(client, general_body(3))
    control.advance(7200)
    body = batch(client, created["batch_id"])
    assert body["status"] == "completed"
    # defaults: 5 s before the first item, 30 s each, 4 at a time
    assert ts(body["completed_at"]) - ts(created["created_at"]) == 35


def test_item_rules_choose_which_items_fail_and_how_long_they_take(client, control):
    settings(control, start_delay=0, item_duration="10s", concurrency=4, item_rules=[
        {"asset_id": asset(1), "fail": "asset_unavailable"},
        {"custom_id": "item-2", "fail": "model_overloaded", "message": "Try later.", "duration": "1m"},
    ])
    created = create_ok(client, general_body(3))
    control.advance(10)
    status, counts = _status_and_counters(client, created["batch_id"])
    assert (status, counts) == ("processing", {"queued": 0, "processing": 1, "ready": 1, "failed": 1, "canceled": 0})
    control.advance(50)
    body = batch(client, created["batch_id"])
    assert body["status"] == "completed"  # completed means finished, not succeeded
    assert (body["ready_items"], body["failed_items"]) == (1, 2)

    lines = results(client, created["batch_id"])
    assert lines[0]["status"] == "ready" and "error" not in lines[0]
    assert lines[1] == {"task_id": created["items"][1]["task_id"], "custom_id": "item-1", "status": "failed",
                        "error": {"code": "asset_unavailable", "message": "The asset could not be read."}}
    assert lines[2]["error"] == {"code": "model_overloaded", "message": "Try later."}
    assert "data" not in lines[1] and "data" not in lines[2]


def test_an_analysis_window_over_two_hours_fails_by_itself(client, control):
    settings(control, assets=[{"id": asset(0), "duration": "3h"}, {"id": asset(1), "duration": "3h"},
                              {"id": asset(2)}])
    body = general_body(3)
    body["requests"][1]["end_time"] = 3600
    body["requests"][2]["start_time"] = 10
    body["requests"][2]["end_time"] = 10 + 7201
    created = create_ok(client, body)
    control.advance(3600)
    assert [(line["status"], (line.get("error") or {}).get("code")) for line in results(client, created["batch_id"])] \
        == [("failed", "video_duration_too_long"), ("ready", None), ("failed", "video_duration_too_long")]


def test_results_lines_carry_data_or_error_by_status(client, control):
    settings(control, start_delay=0, item_duration="10s", concurrency=1,
             item_rules=[{"asset_id": asset(1), "fail": "asset_unavailable"}])
    created = create_ok(client, general_body(4))
    control.advance(25)  # item 0 ready, item 1 failed, item 2 processing, item 3 queued

    lines = results(client, created["batch_id"])
    assert [line["status"] for line in lines] == ["ready", "failed", "processing", "queued"]
    assert [line["custom_id"] for line in lines] == ["item-0", "item-1", "item-2", "item-3"]
    ready = lines[0]["data"]
    assert set(ready) == {"generation_id", "data", "finish_reason", "usage"}
    assert ready["finish_reason"] == "stop" and ready["usage"]["output_tokens"] > 0
    assert set(lines[2]) == set(lines[3]) == {"task_id", "custom_id", "status"}


def test_time_based_metadata_results_are_json_encoded_segments(client, control):
    created = create_ok(client, segments_body(1))
    control.advance(3600)
    line = results(client, created["batch_id"])[0]
    assert line["status"] == "ready" and line["custom_id"] is None
    segments = json.loads(line["data"]["data"])
    assert set(segments) == {"goals"}
    assert {"start_time", "end_time", "metadata"} <= set(segments["goals"][0])
    assert batch(client, created["batch_id"])["analysis_mode"] == "time_based_metadata"


def test_a_thousand_items_are_scheduled_and_counted(client, control):
    settings(control, start_delay=0, item_duration="10s", concurrency=10)
    created = create_ok(client, general_body(1000))
    control.advance(505)  # 50 waves of 10 done, the 51st in flight
    status, counts = _status_and_counters(client, created["batch_id"])
    assert (status, counts) == ("processing", {"queued": 490, "processing": 10, "ready": 500, "failed": 0,
                                               "canceled": 0})
