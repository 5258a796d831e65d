"""Creating a batch: the 201 shape, the defaults merge, request validation and account rules."""
from __future__ import annotations

import pytest

from simulator.app import create_app
from simulator.settings import Settings

from .helpers import (
    BASE,
    KEY,
    asset,
    batch,
    counters,
    create,
    create_ok,
    error_of,
    general_body,
    listing,
    results,
    segments_body,
    settings,
    ts,
)

DAY = 86400


def _assert_no_batch(client, control):
    assert listing(client)["page_info"]["total_results"] == 0
    assert control.client.get("/_simulator/resources?vendor=twelvelabs").get_json()["count"] == 0


def test_create_answers_201_with_the_smaller_shape_and_every_item_queued(client, control):
    body = general_body(3)
    del body["requests"][1]["custom_id"]
    response = create(client, body)

    assert response.status_code == 201
    created = response.get_json()
    assert set(created) == {"batch_id", "status", "total_items", "created_at", "expires_at", "items"}
    assert created["status"] == "pending"
    assert created["total_items"] == 3
    assert ts(created["expires_at"]) - ts(created["created_at"]) == DAY
    assert [item["custom_id"] for item in created["items"]] == ["item-0", None, "item-2"]
    task_ids = [item["task_id"] for item in created["items"]]
    assert len(set(task_ids + [created["batch_id"]])) == 4
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in task_ids + [created["batch_id"]])

    stored = batch(client, created["batch_id"])
    assert stored["status"] == "pending"
    assert stored["model_name"] == "pegasus1.5" and stored["analysis_mode"] == "general"
    assert counters(stored) == {"queued": 3, "processing": 0, "ready": 0, "failed": 0, "canceled": 0}
    assert not {"completed_at", "canceled_at", "expired_at"} & set(stored)
    assert [line["task_id"] for line in results(client, created["batch_id"])] == task_ids


def test_an_item_value_replaces_the_default_as_a_whole(client, control):
    body = general_body(2)
    body["defaults"]["temperature"] = 0.5
    body["requests"][1]["prompt"] = {"input_text": "Count the goals."}
    created = create_ok(client, body)
    control.advance(3600)

    lines = results(client, created["batch_id"])
    assert [line["status"] for line in lines] == ["ready", "ready"]
    assert lines[0]["data"]["data"].endswith("for: Summarise the video.")
    assert lines[1]["data"]["data"].endswith("for: Count the goals.")


def test_a_prompt_from_defaults_alone_is_enough_and_items_alone_too(client):
    body = general_body(1)
    body["requests"][0]["prompt"] = {"input_text": "Own prompt."}
    del body["defaults"]
    assert create(client, body).status_code == 201
    assert create(client, segments_body()).status_code == 201


def _body(change):
    body = general_body(2)
    change(body)
    return body


def _set(path, value):
    def change(body):
        target = body
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _drop(path):
    def change(body):
        target = body
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


INVALID = {
    "model missing": (_drop(["model_name"]), "parameter_not_provided"),
    "other model": (_set(["model_name"], "pegasus1.2"), "parameter_invalid"),
    "bad mode": (_set(["analysis_mode"], "mixed"), "parameter_invalid"),
    "no requests": (_set(["requests"], []), "parameter_invalid"),
    "1001 requests": (_set(["requests"], [{"video": {"type": "asset_id", "asset_id": asset(1)}}] * 1001),
                      "parameter_invalid"),
    "duplicate custom_id": (_set(["requests", 1, "custom_id"], "item-0"), "parameter_invalid"),
    "empty custom_id": (_set(["requests", 0, "custom_id"], ""), "parameter_invalid"),
    "custom_id too long": (_set(["requests", 0, "custom_id"], "x" * 65), "parameter_invalid"),
    "custom_id with a space": (_set(["requests", 0, "custom_id"], "a b"), "parameter_invalid"),
    "video missing": (_drop(["requests", 0, "video"]), "parameter_not_provided"),
    "video of another type": (_set(["requests", 0, "video", "type"], "url"), "parameter_invalid"),
    "malformed asset id": (_set(["requests", 0, "video", "asset_id"], "not-an-asset"), "parameter_invalid"),
    "general without a prompt": (_drop(["defaults"]), "parameter_invalid"),
    "general with segmentation": (_set(["defaults", "min_segment_duration"], 4), "parameter_invalid"),
    "prompt in time_based_metadata": (_set(["analysis_mode"], "time_based_metadata"), "parameter_invalid"),
    "unknown field": (_set(["priority"], "high"), "parameter_unknown"),
    "temperature above 1": (_set(["defaults", "temperature"], 1.5), "parameter_invalid"),
    "string for a number": (_set(["defaults", "temperature"], "0.5"), "parameter_invalid"),
    "end before start": (_set(["requests", 0, "start_time"], 30), "parameter_invalid"),
    "five media sources": (_set(["defaults", "prompt", "media_sources"],
                                [{"name": "a", "media_type": "image", "url": "https://x/a.png"}] * 5),
                           "parameter_invalid"),
    "media source with two sources": (_set(["defaults", "prompt", "media_sources"],
                                           [{"name": "a", "media_type": "image", "url": "https://x/a.png",
                                             "asset_id": asset(9)}]), "parameter_invalid"),
}


# The cases TwelveLabs' own spec already forbids; the others are rules only its server enforces.
SPEC_FORBIDS = {"model missing", "other model", "bad mode", "video missing", "video of another type",
                "string for a number"}


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.vendor_invalid_request) if c in SPEC_FORBIDS
                                  else c for c in sorted(INVALID)])
def test_invalid_bodies_answer_400_and_create_nothing(client, control, case):
    change, code = INVALID[case]
    body = _body(change)
    if case == "end before start":
        body["requests"][0]["end_time"] = 10
    response = create(client, body)

    assert response.status_code == 400, response.get_data(as_text=True)
    assert error_of(response)[0] == code
    _assert_no_batch(client, control)


def test_time_based_metadata_needs_segment_definitions(client, control):
    body = segments_body()
    del body["defaults"]
    response = create(client, body)
    assert response.status_code == 400
    code, message = error_of(response)
    assert code == "parameter_invalid" and "requests[0].response_format" in message
    _assert_no_batch(client, control)


@pytest.mark.vendor_invalid_request
def test_malformed_json_is_a_400_in_the_envelope(client, control):
    response = client.post(BASE, data="{not json", headers={**KEY, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert error_of(response)[0] == "parameter_invalid"
    _assert_no_batch(client, control)


def test_asset_rules_from_the_scenario(client, control):
    settings(control, assets=[{"id": asset(0)}, {"id": asset(1)}, {"id": asset(2), "status": "processing"}])
    assert create(client, general_body(2)).status_code == 201

    unknown = create(client, _body(_set(["requests", 1, "video", "asset_id"], asset(7))))
    assert unknown.status_code == 404
    code, message = error_of(unknown)
    assert code == "resource_not_exists" and asset(7) in message

    not_ready = create(client, general_body(3))
    assert not_ready.status_code == 409
    assert error_of(not_ready)[0] == "asset_not_ready"
    assert listing(client)["page_info"]["total_results"] == 1


def test_a_sixth_active_batch_is_refused_until_one_finishes(client, control):
    ids = [create_ok(client)["batch_id"] for _ in range(5)]
    refused = create(client)
    assert refused.status_code == 429
    assert error_of(refused)[0] == "too_many_active_batches"
    assert listing(client)["page_info"]["total_results"] == 5

    assert client.post(f"{BASE}/{ids[0]}/cancel", headers=KEY).status_code == 202  # canceled at once (pending)
    assert create(client).status_code == 201
    assert create(client).status_code == 429
    control.advance(3600)  # every batch completes
    assert create(client).status_code == 201


def test_create_error_setting_answers_503_or_504_and_creates_nothing(client, control):
    settings(control, create_error="unavailable")
    response = create(client)
    assert response.status_code == 503 and error_of(response)[0] == "service_unavailable"
    settings(control, create_error="timeout")
    response = create(client)
    assert response.status_code == 504 and error_of(response)[0] == "gateway_timeout"
    _assert_no_batch(client, control)


@pytest.mark.vendor_invalid_request
def test_flat_error_shape_setting(client, control):
    settings(control, error_shape="flat")
    response = create(client, _body(_drop(["model_name"])))
    assert response.status_code == 400
    body = response.get_json()
    assert set(body) == {"code", "message"} and body["code"] == "parameter_not_provided"
    missing = client.get(f"{BASE}/{'0' * 24}", headers=KEY)
    assert missing.status_code == 404 and missing.get_json()["code"] == "resource_not_exists"


@pytest.mark.vendor_invalid_request
def test_api_key_is_required_and_checked_against_the_scenario_keys(client, control):
    response = client.get(BASE)
    assert response.status_code == 401 and error_of(response)[0] == "api_key_invalid"
    assert client.get(BASE, headers={"x-api-key": "anything"}).status_code == 200

    control.load({"name": "keys", "auth": {"twelvelabs": {"keys": ["right-key"]}}})
    wrong = create(client, headers={"x-api-key": "wrong-key"})
    assert wrong.status_code == 401 and error_of(wrong)[0] == "api_key_invalid"
    assert "wrong-key" not in wrong.get_data(as_text=True)
    assert control.client.get("/_simulator/resources?vendor=twelvelabs").get_json()["count"] == 0
    assert create(client, headers={"x-api-key": "right-key"}).status_code == 201


@pytest.mark.vendor_invalid_request
def test_unknown_route_and_wrong_method_answer_in_the_envelope(client):
    missing = client.get("/v1.3/analyze/nothing", headers=KEY)
    assert missing.status_code == 404 and error_of(missing)[0] == "endpoint_not_exists"
    wrong = client.put(BASE, headers=KEY)
    assert wrong.status_code == 405 and error_of(wrong)[0] == "method_not_allowed"
    assert set(wrong.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_an_oversized_body_is_a_413_in_the_envelope():
    app = create_app(Settings(max_body_bytes=2000))
    response = app.test_client().post(BASE, json=general_body(40), headers=KEY)
    assert response.status_code == 413
    assert error_of(response)[0] == "payload_too_large"
