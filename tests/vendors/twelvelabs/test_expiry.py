"""Expiry 24 h after creation, and the 30-day retention, on the virtual clock (no sleeping)."""
from __future__ import annotations

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

DAY = 86400


def test_unfinished_items_are_canceled_and_the_batch_expires_at_expires_at(client, control):
    settings(control, start_delay=0, item_duration="10h", concurrency=1)
    created = create_ok(client, general_body(4))  # items end at 10 h, 20 h, 30 h, 40 h
    control.advance(DAY - 1)
    before = batch(client, created["batch_id"])
    assert before["status"] == "processing"
    assert counters(before) == {"queued": 1, "processing": 1, "ready": 2, "failed": 0, "canceled": 0}

    control.advance(1)
    after = batch(client, created["batch_id"])
    assert after["status"] == "expired"
    assert after["expired_at"] == after["expires_at"]
    assert ts(after["expires_at"]) - ts(created["created_at"]) == DAY
    assert counters(after) == {"queued": 0, "processing": 0, "ready": 2, "failed": 0, "canceled": 2}
    assert not {"completed_at", "canceled_at"} & set(after)
    assert [line["status"] for line in results(client, created["batch_id"])] == [
        "ready", "ready", "canceled", "canceled"]
    refused = cancel(client, created["batch_id"])
    assert refused.status_code == 409 and error_of(refused)[0] == "batch_expired"
    assert listing(client, "?status=expired")["page_info"]["total_results"] == 1


def test_a_batch_that_never_started_expires_from_pending(client, control):
    settings(control, start_delay="2d")
    created = create_ok(client, general_body(2))
    control.advance(DAY)
    body = batch(client, created["batch_id"])
    assert body["status"] == "expired"
    assert counters(body)["canceled"] == 2
    assert [h["state"] for h in control.resource("twelvelabs", "batch", created["batch_id"])["history"]] == [
        "pending", "expired"]


def test_a_canceling_batch_whose_items_outlive_the_expiry_expires(client, control):
    settings(control, start_delay=0, item_duration="30h", concurrency=1)
    created = create_ok(client, general_body(2))
    control.advance(3600)
    assert cancel(client, created["batch_id"]).get_json()["status"] == "canceling"
    control.advance(DAY - 3600)
    body = batch(client, created["batch_id"])
    assert body["status"] == "expired"
    assert counters(body) == {"queued": 0, "processing": 0, "ready": 0, "failed": 0, "canceled": 2}


def test_batches_vanish_thirty_days_after_creation(client, control):
    created = create_ok(client, general_body(1))
    control.advance(30 * DAY - 1)
    assert batch(client, created["batch_id"])["status"] == "completed"
    control.advance(1)
    missing = client.get(f"{BASE}/{created['batch_id']}", headers=KEY)
    assert missing.status_code == 404 and error_of(missing)[0] == "resource_not_exists"
    assert listing(client)["page_info"]["total_results"] == 0
