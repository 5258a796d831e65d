"""Listing: newest first, pages (past the end: 200 and empty), status and analysis_mode filters."""
from __future__ import annotations

import pytest

from .helpers import BASE, KEY, cancel, create_ok, error_of, general_body, listing, segments_body, settings


@pytest.fixture
def five(client, control):
    """Five batches created one second apart, pending for an hour; the third canceled, the fourth segments."""
    settings(control, start_delay="1h", max_active_batches=10)
    ids = []
    for index in range(5):
        ids.append(create_ok(client, segments_body() if index == 3 else general_body(2))["batch_id"])
        control.advance(1)
    cancel(client, ids[2])
    return ids


def test_newest_first_in_pages_and_past_the_end(client, five):
    first = listing(client, "?page_limit=2")
    assert [b["batch_id"] for b in first["data"]] == [five[4], five[3]]
    assert first["page_info"] == {"page": 1, "limit_per_page": 2, "total_page": 3, "total_results": 5}
    third = listing(client, "?page_limit=2&page=3")
    assert [b["batch_id"] for b in third["data"]] == [five[0]]
    past = listing(client, "?page_limit=2&page=4")
    assert past["data"] == [] and past["page_info"]["total_results"] == 5
    default = listing(client)
    assert default["page_info"]["limit_per_page"] == 10 and len(default["data"]) == 5
    entry = default["data"][0]
    assert {"batch_id", "analysis_mode", "model_name", "status", "total_items", "created_at", "expires_at",
            "queued_items", "processing_items", "ready_items", "failed_items", "canceled_items"} <= set(entry)


def test_filters_by_status_and_analysis_mode(client, control, five):
    assert [b["batch_id"] for b in listing(client, "?status=canceled")["data"]] == [five[2]]
    pending = listing(client, "?status=pending&status=canceled")
    assert [b["batch_id"] for b in pending["data"]] == [five[4], five[3], five[2], five[1], five[0]]
    control.advance(7200)  # the pending ones start and finish
    assert listing(client, "?status=pending")["data"] == []
    assert [b["batch_id"] for b in listing(client, "?status=completed&analysis_mode=time_based_metadata")["data"]] \
        == [five[3]]
    modes = listing(client, "?analysis_mode=general&analysis_mode=time_based_metadata")
    assert modes["page_info"]["total_results"] == 5


@pytest.mark.parametrize("query", ["?page=0", "?page_limit=51", "?page_limit=0", *(  # the spec has no bounds
    pytest.param(q, marks=pytest.mark.vendor_invalid_request)  # the spec forbids these
    for q in ("?page=x", "?status=failed", "?analysis_mode=both"))])
def test_bad_queries_are_400_in_the_envelope(client, query):
    response = client.get(f"{BASE}{query}", headers=KEY)
    assert response.status_code == 400
    assert error_of(response)[0] == "parameter_invalid"
