"""The official `twelvelabs` SDK, unmodified, against a live simulator over a real socket."""
from __future__ import annotations

from pathlib import Path

import pytest
from twelvelabs import (
    BatchDefaults,
    BatchItemRequest,
    BatchPrompt,
    BatchVideoContext,
    ConflictError,
    NotFoundError,
    TooManyRequestsError,
    TwelveLabs,
)

from .helpers import asset

SCENARIO = Path(__file__).with_name("sdk.scenario.yaml")


class Simulator:
    def __init__(self, server) -> None:
        self.server = server
        assert server.control("PUT", "/clock", json={"frozen": True}).status_code == 200
        self.client = TwelveLabs(api_key="sdk-key", base_url=f"{server.url}/v1.3")
        self.batches = self.client.analyze_async.batches

    def advance(self, seconds: float) -> None:
        assert self.server.control("POST", "/clock/advance", json={"seconds": seconds}).status_code == 200

    def create(self, *custom_ids: str):
        return self.batches.create(
            model_name="pegasus1.5",
            analysis_mode="general",
            defaults=BatchDefaults(prompt=BatchPrompt(input_text="Summarise the video.")),
            requests=[BatchItemRequest(video=BatchVideoContext(type="asset_id", asset_id=asset(i)), custom_id=c)
                      for i, c in enumerate(custom_ids or ("a", "b"))],
        )


@pytest.fixture
def sim(live_server_factory, monkeypatch) -> Simulator:
    monkeypatch.delenv("TWELVELABS_BASE_URL", raising=False)  # it would override base_url
    return Simulator(live_server_factory("--scenario", str(SCENARIO)))


def test_create_retrieve_results_through_completion(sim):
    created = sim.create("first", "broken", "third")
    assert created.status == "pending" and created.total_items == 3
    assert [item.custom_id for item in created.items] == ["first", "broken", "third"]
    assert (created.expires_at - created.created_at).total_seconds() == 86400

    sim.advance(10)
    running = sim.batches.retrieve(created.batch_id)
    assert running.status == "processing"
    assert (running.queued_items, running.processing_items, running.ready_items) == (1, 2, 0)
    assert running.model_name == "pegasus1.5" and running.analysis_mode == "general"

    sim.advance(20)
    done = sim.batches.retrieve(created.batch_id)
    assert done.status == "completed" and done.completed_at is not None
    assert (done.ready_items, done.failed_items) == (2, 1)
    lines = list(sim.batches.results(created.batch_id))
    assert [(line.custom_id, line.status) for line in lines] == [
        ("first", "ready"), ("broken", "failed"), ("third", "ready")]
    assert lines[0].data.finish_reason == "stop" and lines[0].data.usage.output_tokens > 0
    assert lines[1].error.code == "asset_unavailable" and lines[1].data is None


def test_list_pager_iterates_to_the_end(sim):
    ids = []
    for _ in range(3):  # three at a time (the scenario's active-batch limit), then let them finish
        ids += [sim.create().batch_id for _ in range(3)]
        sim.advance(60)
    pager = sim.batches.list(page_limit=2)
    assert [b.batch_id for b in pager] == list(reversed(ids))
    pages = list(sim.batches.list(page_limit=4).iter_pages())
    assert [len(page.items) for page in pages] == [4, 4, 1]
    completed = [b.batch_id for b in sim.batches.list(status=["completed"], analysis_mode=["general"])]
    assert len(completed) == 9


def test_cancel_delete_and_typed_errors(sim):
    running = sim.create("a", "b", "c", "d")
    sim.advance(6)  # a and b processing, c and d queued
    canceled = sim.batches.cancel(running.batch_id)
    assert canceled.status == "canceling"
    assert (canceled.processing_items, canceled.canceled_items) == (2, 2)
    with pytest.raises(ConflictError) as refused:
        sim.batches.delete(running.batch_id)
    assert refused.value.status_code == 409 and refused.value.body["error"]["code"] == "batch_not_terminal"
    sim.advance(10)
    assert sim.batches.retrieve(running.batch_id).status == "canceled"

    finished = sim.create()
    sim.advance(60)
    with pytest.raises(ConflictError) as conflict:
        sim.batches.cancel(finished.batch_id)
    assert conflict.value.body["error"]["code"] == "batch_completed"

    sim.batches.delete(finished.batch_id)
    with pytest.raises(NotFoundError) as missing:
        sim.batches.retrieve(finished.batch_id)
    assert missing.value.status_code == 404 and missing.value.body["error"]["code"] == "resource_not_exists"
    with pytest.raises(NotFoundError):
        list(sim.batches.results(finished.batch_id))

    for _ in range(3):
        sim.create()
    with pytest.raises(TooManyRequestsError) as limited:
        sim.create()
    assert limited.value.body["error"]["code"] == "too_many_active_batches"
    assert sum(1 for _ in sim.batches.list(status=["pending"])) == 3
