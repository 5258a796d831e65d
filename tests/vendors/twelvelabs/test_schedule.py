"""The item schedule on its own: slots, and an item's status from (now, cancel, expiry)."""
from __future__ import annotations

from simulator.vendors.twelvelabs import schedule


def test_items_take_free_slots_in_submission_order():
    assert schedule.slot_times([10, 5, 10, 1], 2, 100) == [(100, 110), (100, 105), (105, 115), (110, 111)]
    assert schedule.slot_times([3, 3], 8, 0) == [(0, 3), (0, 3)]


def test_item_status_follows_time_cancel_and_expiry():
    item = {"start": 10.0, "end": 20.0, "error": None}
    at = [schedule.item_status(item, t, None, 100.0) for t in (0, 10, 19.9, 20)]
    assert at == ["queued", "processing", "processing", "ready"]
    assert schedule.item_status({**item, "error": {"message": "x"}}, 20, None, 100) == "failed"
    # canceled while queued: canceled from the cancel on; canceled while processing: runs on
    assert [schedule.item_status(item, t, 5.0, 100.0) for t in (4, 5, 50)] == ["queued", "canceled", "canceled"]
    assert schedule.item_status(item, 50, 12.0, 100.0) == "ready"
    # not finished at expiry: canceled then, whether queued or processing
    assert [schedule.item_status(item, t, None, 15.0) for t in (14, 15)] == ["processing", "canceled"]
    assert schedule.item_status(item, 9, None, 8.0) == "canceled"


def test_drain_end_is_the_end_of_the_last_item_in_flight():
    items = [{"start": 0, "end": 10}, {"start": 0, "end": 14}, {"start": 10, "end": 20}]
    assert schedule.drain_end(items, 5) == 14
    assert schedule.drain_end(items, 12) == 20
    assert schedule.drain_end(items, 30) == 30
