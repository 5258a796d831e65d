"""The official `feldera` SDK, unmodified, against a live simulator over a real socket (reference 7).

The server runs 20x faster than real time, so the SDK's polling (1 s for compilation, 0.5 s for a
start, 0.1 s for a stop) finishes in seconds; nothing here sleeps to wait for a transition.
"""
from __future__ import annotations

import pytest
import requests
from feldera import PipelineBuilder
from feldera.enums import PipelineFieldSelector, PipelineStatus
from feldera.rest.errors import FelderaAPIError

from . import sdk_server
from .sdk_server import SCENARIO, SQL, TIMEOUT  # noqa: F401

server, client = sdk_server.server, sdk_server.client  # the module's fixtures


def _history(server, name: str) -> list[str]:
    body = requests.get(f"{server.url}/_simulator/resources/feldera/pipeline/{name}", timeout=10).json()
    return [entry["state"] for entry in body["history"]]


def test_client_reads_the_config(client):
    config = client.get_config()
    assert config.edition.is_enterprise()
    assert config.version == "0.337.0"


def test_full_lifecycle(server, client):
    pipeline = PipelineBuilder(client, "sdk-lifecycle", SQL).create_or_replace()
    assert pipeline.status() == PipelineStatus.STOPPED
    pipeline.start(timeout_s=TIMEOUT)
    assert pipeline.status() == PipelineStatus.RUNNING
    pipeline.pause(timeout_s=TIMEOUT)
    assert pipeline.status() == PipelineStatus.PAUSED
    pipeline.resume(timeout_s=TIMEOUT)
    assert pipeline.status() == PipelineStatus.RUNNING
    pipeline.stop(force=True, timeout_s=TIMEOUT)
    assert pipeline.status() == PipelineStatus.STOPPED
    assert "Suspending" not in _history(server, "sdk-lifecycle")
    pipeline.start(timeout_s=TIMEOUT)
    pipeline.stop(force=False, timeout_s=TIMEOUT)
    assert pipeline.status() == PipelineStatus.STOPPED
    assert _history(server, "sdk-lifecycle")[-4:] == ["Suspending", "Suspended", "Stopping", "Stopped"]
    pipeline.delete(clear_storage=True)
    assert pipeline.status() == PipelineStatus.NOT_FOUND


def test_create_needs_a_new_name(client):
    pipeline = PipelineBuilder(client, "sdk-create", SQL).create()
    assert pipeline.status() == PipelineStatus.STOPPED
    assert client.get_pipeline("sdk-create", PipelineFieldSelector.STATUS).program_status == "Success"
    with pytest.raises(RuntimeError, match="already exists"):
        PipelineBuilder(client, "sdk-create", SQL).create()
    pipeline.delete(clear_storage=True)


def test_create_or_replace_stops_and_replaces_a_running_pipeline(server, client):
    first = PipelineBuilder(client, "sdk-replace", SQL).create_or_replace()
    first.start(timeout_s=TIMEOUT)
    second = PipelineBuilder(client, "sdk-replace", SQL + "\n-- v2").create_or_replace()
    assert second.status() == PipelineStatus.STOPPED
    inner = client.get_pipeline("sdk-replace", PipelineFieldSelector.ALL)
    assert (inner.program_version, inner.storage_status, inner.program_code.endswith("-- v2")) == (2, "Cleared", True)
    second.delete(clear_storage=True)


def test_compilation_failure_surfaces_as_the_sdk_error(client):
    with pytest.raises(RuntimeError) as failure:
        PipelineBuilder(client, "sdk-broken", "CREATE TABLE t1 (id INT);\nSELECT * FROM BROKEN;").create_or_replace()
    assert "Object 'BROKEN' not found" in str(failure.value)
    assert "SELECT * FROM BROKEN;" in str(failure.value)
    with pytest.raises(FelderaAPIError) as refused:
        client.start_pipeline("sdk-broken", timeout_s=TIMEOUT)
    assert refused.value.error_code == "CannotStartWithCompilationError"
    client.delete_pipeline("sdk-broken")


def test_force_stop_during_the_graceful_phase(server, client):
    # A long checkpoint for this test only: the graceful phase lasts 60 virtual seconds (3 real).
    response = requests.post(f"{server.url}/_simulator/scenarios", timeout=10,
                             json={"name": "slow-suspend", "timing": {"feldera.pipeline": {"Suspending": 60}}})
    assert response.status_code == 201
    pipeline = PipelineBuilder(client, "sdk-graceful", SQL).create_or_replace()
    pipeline.start(timeout_s=TIMEOUT)
    pipeline.stop(force=False, wait=False)
    inner = client.get_pipeline("sdk-graceful", PipelineFieldSelector.STATUS)
    assert (inner.deployment_status, inner.deployment_desired_status) == ("Running", "Suspended")
    assert pipeline.status() == PipelineStatus.RUNNING
    pipeline.stop(force=True, timeout_s=TIMEOUT)
    assert pipeline.status() == PipelineStatus.STOPPED
    history = _history(server, "sdk-graceful")
    assert history[-3:] == ["Suspending", "Stopping", "Stopped"]
    pipeline.delete(clear_storage=True)


def test_unknown_pipeline_status_is_not_found(client):
    with pytest.raises(FelderaAPIError) as missing:
        client.get_pipeline("sdk-nope", PipelineFieldSelector.STATUS)
    assert (missing.value.status_code, missing.value.error_code) == (404, "UnknownPipelineName")
