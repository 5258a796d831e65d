"""A batch's timers are derived from its items, so a scenario's `timing` for them is refused, not ignored."""
from __future__ import annotations

import pytest

from simulator.vendors.twelvelabs.lifecycle import DUE_FROM


@pytest.mark.parametrize("document, path", [
    ({"timing": {"twelvelabs.batch": {"pending": "5s"}}}, "timing.twelvelabs.batch.pending"),
    ({"resources": [{"vendor": "twelvelabs", "kind": "batch", "id": "66b000000000000000000001",
                     "timing": {"processing": 60}}]}, "resources[0].timing.processing"),
])
def test_timing_for_a_batch_is_refused_saying_what_sets_its_times_instead(client, document, path):
    resources, health = client.get("/_simulator/resources").get_json(), client.get("/_simulator/health").get_json()
    response = client.post("/_simulator/scenarios", json={"name": "slow-batches", **document})
    assert response.status_code == 400, response.get_data(as_text=True)
    state = path.rsplit(".", 1)[1]
    assert response.get_json()["details"] == [{
        "source": "request body", "path": path,
        "message": f"twelvelabs.batch derives when {state} ends from {DUE_FROM}, so it has no duration to "
                   "override; durations can be set for: (none)",
    }]
    assert "item_duration" in DUE_FROM
    assert client.get("/_simulator/resources").get_json() == resources
    assert client.get("/_simulator/health").get_json() == health
