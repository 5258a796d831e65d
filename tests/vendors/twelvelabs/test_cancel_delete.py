"""Cancel (202 / 409 / 404) and delete (200 / 409 / 404), with the state afterwards on the clock."""
from __future__ import annotations

import pytest

from .helpers import (
    BASE,
    KEY,
    batch,
    cancel,
    counters,
    create_ok,
    error_of,
    general_body,
    listing,
    results,
    settings,
    ts,
)


def test_cancel_while_pending_cancels_every_item_at_once(client, control):
    created = create_ok(client, general_body(3))
    control.advance(2)
    response = cancel(client, created["batch_id"])

    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "canceling"  # the batch as of the request
    assert counters(body) == {"queued": 0, "processing": 0, "ready": 0, "failed": 0, "canceled": 3}
    after = batch(client, created["batch_id"])  # nothing was in flight: canceled at once
    assert after["status"] == "canceled"
    assert ts(after["canceled_at"]) - ts(created["created_at"]) == 2
    assert "completed_at" not in after and "expired_at" not in after
    control.advance(3600)
    assert batch(client, created["batch_id"])["status"] == "canceled"
    assert [line["status"] for line in results(client, created["batch_id"])] == ["canceled"] * 3


def test_cancel_while_processing_lets_items_in_flight_finish(client, control):
    settings(control, start_delay=0, item_duration="10s", concurrency=2,
             item_rules=[{"custom_id": "item-3", "fail": "asset_unavailable"}])
    created = create_ok(client, general_body(6))
    control.advance(15)  # items 0-1 ready, 2-3 processing until 20 s, 4-5 queued
    response = cancel(client, created["batch_id"])

    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "canceling"
    assert counters(body) == {"queued": 0, "processing": 2, "ready": 2, "failed": 0, "canceled": 2}
    assert "canceled_at" not in body

    again = cancel(client, created["batch_id"])  # idempotent while canceling
    assert again.status_code == 202 and again.get_json()["status"] == "canceling"
    control.advance(4.9)
    assert batch(client, created["batch_id"])["status"] == "canceling"
    control.advance(0.1)
    after = batch(client, created["batch_id"])
    assert after["status"] == "canceled"
    assert counters(after) == {"queued": 0, "processing": 0, "ready": 3, "failed": 1, "canceled": 2}
    assert ts(after["canceled_at"]) - ts(created["created_at"]) == 20
    assert [line["status"] for line in results(client, created["batch_id"])] == [
        "ready", "ready", "ready", "failed", "canceled", "canceled"]

    history = control.resource("twelvelabs", "batch", created["batch_id"])["history"]
    assert [(h["state"], h["cause"]) for h in history] == [
        ("pending", "created"), ("processing", "timer"), ("canceling", "action:cancel"), ("canceled", "timer")]


@pytest.mark.parametrize("final, code", [("completed", "batch_completed"), ("canceled", "batch_canceled"),
                                         ("expired", "batch_expired")])
def test_cancel_in_a_final_state_is_a_409_naming_it(client, control, final, code):
    if final == "expired":  # items too long to finish within the 24 hours
        settings(control, item_duration="2d")
    created = create_ok(client, general_body(2))
    if final == "canceled":
        cancel(client, created["batch_id"])
    control.advance(86400 if final == "expired" else 3600)
    assert batch(client, created["batch_id"])["status"] == final

    response = cancel(client, created["batch_id"])
    assert response.status_code == 409
    assert error_of(response)[0] == code
    assert batch(client, created["batch_id"])["status"] == final


def test_unknown_and_malformed_ids_are_404(client):
    for batch_id in ("0" * 24, "not-an-id"):
        for method, path in (("get", ""), ("get", "/results"), ("post", "/cancel"), ("delete", "")):
            response = getattr(client, method)(f"{BASE}/{batch_id}{path}", headers=KEY)
            assert response.status_code == 404, (method, path)
            assert error_of(response)[0] == "resource_not_exists"


def test_delete_needs_a_final_state_then_the_batch_is_gone(client, control):
    created = create_ok(client, general_body(2))
    batch_id = created["batch_id"]
    for moment in (0, 10):  # pending, then processing
        control.advance(moment)
        refused = client.delete(f"{BASE}/{batch_id}", headers=KEY)
        assert refused.status_code == 409 and error_of(refused)[0] == "batch_not_terminal"
    control.advance(3600)
    assert batch(client, batch_id)["status"] == "completed"

    response = client.delete(f"{BASE}/{batch_id}", headers=KEY)
    assert response.status_code == 200 and response.get_data() == b""
    for path in ("", "/results"):
        assert client.get(f"{BASE}/{batch_id}{path}", headers=KEY).status_code == 404
    assert cancel(client, batch_id).status_code == 404
    assert client.delete(f"{BASE}/{batch_id}", headers=KEY).status_code == 404
    assert listing(client)["data"] == []


def test_delete_while_canceling_is_refused(client, control):
    settings(control, start_delay=0, item_duration="10s")
    created = create_ok(client, general_body(2))
    control.advance(1)
    assert cancel(client, created["batch_id"]).status_code == 202
    refused = client.delete(f"{BASE}/{created['batch_id']}", headers=KEY)
    assert refused.status_code == 409 and error_of(refused)[0] == "batch_not_terminal"
    control.advance(9)
    assert client.delete(f"{BASE}/{created['batch_id']}", headers=KEY).status_code == 200
