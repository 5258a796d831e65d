"""GET /_simulator/scenario streams: read batch by batch and sent chunk by chunk (a chunk holds the text of
several batches), the namespace answering in between, in memory bounded by a chunk rather than by the
namespace."""
import json
import threading
import tracemalloc

import pytest
import yaml

from simulator.engine import export
from simulator.engine.export import EXPORT_BATCH

AUTH = {"Authorization": "Bearer k"}
FIRST = 3_000_000
CHUNK = 64 * 1024  # the export's chunk size in these tests: a few chunks need a few hundred resources
COUNT = CHUNK // 100 + 7  # several chunks of text (an entry is over 100 characters), a partial batch last


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(export, "EXPORT_CHUNK", CHUNK)


def _load(client, count: int = COUNT) -> None:
    document = {"name": "many", "resources": [
        {"vendor": "sparrow", "kind": "analysis", "id": FIRST + n, "state": "ANALYSIS", "remaining": "1d"}
        for n in range(count)]}
    assert client.post("/_simulator/scenarios", json=document).status_code == 201


def _other_thread(action):
    """Run `action` in another thread, bounded: the export's thread holds no lock between batches."""
    result = []
    worker = threading.Thread(target=lambda: result.append(action()), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert result, "the namespace did not answer while the export was being written"
    return result[0]


def test_the_namespace_answers_between_batches_and_the_rest_of_the_export_shows_what_changed(app, client):
    _load(client)
    last = f"/api/v3/analysis/{FIRST + COUNT - 1}"
    response = client.get("/_simulator/scenario", headers={"Accept": "application/json"}, buffered=False)
    assert response.status_code == 200 and response.mimetype == "application/json"
    chunks = iter(response.response)
    written = [next(chunks)]  # the head and the first batches: the export is under way

    read = _other_thread(lambda: app.test_client().get(last, headers=AUTH))
    assert read.status_code == 200 and read.get_json()["status"] == "ANALYSIS"
    stop = _other_thread(lambda: app.test_client().post(f"/api/v2/analysis/{FIRST + COUNT - 1}/stop", headers=AUTH))
    assert stop.status_code == 200, stop.get_data(as_text=True)

    written += list(chunks)
    response.close()
    document = json.loads(b"".join(c if isinstance(c, bytes) else c.encode() for c in written))
    entries = {entry["id"]: entry for entry in document["resources"]}
    assert len(entries) == COUNT
    assert entries[str(FIRST + COUNT - 1)]["state"] == "STOP"  # written after the stop was answered
    assert entries[str(FIRST)]["state"] == "ANALYSIS"
    assert document["counters"]["sparrow.analysis"] == FIRST + COUNT - 1


def _export_peak(client, accept: str) -> tuple[int, int]:
    """(bytes written, peak of memory traced while writing them)."""
    tracemalloc.start()
    try:
        response = client.get("/_simulator/scenario", headers={"Accept": accept}, buffered=False)
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        return size, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_streamed_export_holds_a_chunk_in_memory_not_the_namespace(client):
    _load(client)  # several chunks already
    for accept in ("application/json", "application/yaml"):
        _export_peak(client, accept)  # the first export fills the writers' bounded caches
    small = {accept: _export_peak(client, accept) for accept in ("application/json", "application/yaml")}
    document = {"name": "more", "resources": [
        {"vendor": "sparrow", "kind": "analysis", "id": FIRST + 10**6 + n, "state": "ANALYSIS", "remaining": "1d"}
        for n in range(3 * COUNT)]}
    assert client.post("/_simulator/scenarios", json=document).status_code == 201
    for accept, (small_size, small_peak) in small.items():
        size, peak = _export_peak(client, accept)
        # four times the document, about the same memory: a chunk of text (and a batch), never the whole export
        assert size > 3.9 * small_size and peak < 1.25 * small_peak, (accept, small_size, small_peak, size, peak)


def test_the_streamed_yaml_is_what_safe_dump_writes_for_the_whole_document(client):
    _load(client, count=EXPORT_BATCH + 3)
    streamed = client.get("/_simulator/scenario").get_data(as_text=True)
    document = yaml.safe_load(streamed)
    assert len(document["resources"]) == EXPORT_BATCH + 3
    assert streamed == yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    assert len(document["vendor_data"]["sparrow"]["requests"]) == EXPORT_BATCH + 3  # written in two pieces
    as_json = client.get("/_simulator/scenario", headers={"Accept": "application/json"}).get_json()
    assert as_json == document
