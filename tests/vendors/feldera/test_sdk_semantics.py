"""The official `feldera` SDK, unmodified, on the server semantics it relies on: checkpoint(wait=True)
polling /checkpoint_status, stats(), storage_status_details, refresh_version, config validation
(server source: pipeline-manager). A live server 20x faster than real time, as in test_sdk.py."""
from __future__ import annotations

import pytest
from feldera import PipelineBuilder
from feldera.enums import PipelineFieldSelector, PipelineStatus
from feldera.rest.errors import FelderaAPIError

from . import sdk_server
from .sdk_server import SCENARIO, SQL, TIMEOUT  # noqa: F401

server, client = sdk_server.server, sdk_server.client  # the module's fixtures


def test_checkpoints_stats_and_storage_details_through_the_sdk(client):
    pipeline = PipelineBuilder(client, "sdk-checkpoints", SQL).create_or_replace()
    assert pipeline.storage_status_details() is None
    with pytest.raises(FelderaAPIError) as not_deployed:
        pipeline.stats()
    assert (not_deployed.value.status_code, not_deployed.value.error_code) == (503, "PipelineInteractionNotDeployed")
    pipeline.start(timeout_s=TIMEOUT)
    assert pipeline.storage_status_details() == {"checkpoints": []}
    stats = pipeline.stats()
    assert stats.global_metrics.state == PipelineStatus.RUNNING
    assert stats.global_metrics.total_processed_records == 0
    assert str(stats.global_metrics.incarnation_uuid) == client.get_pipeline(
        "sdk-checkpoints", PipelineFieldSelector.STATUS).deployment_id
    assert pipeline.checkpoint(wait=True, timeout_s=TIMEOUT) == 1
    assert pipeline.checkpoint(wait=True, timeout_s=TIMEOUT) == 2
    listed = pipeline.storage_status_details()["checkpoints"]
    assert len(listed) == 2
    pipeline.stop(force=True, timeout_s=TIMEOUT)
    assert pipeline.storage_status_details()["checkpoints"] == listed
    pipeline.delete(clear_storage=True)
    assert pipeline.status() == PipelineStatus.NOT_FOUND


def test_metadata_edits_and_refresh_version_through_the_sdk(client):
    pipeline = PipelineBuilder(client, "sdk-refresh", SQL).create_or_replace()
    before = client.get_pipeline("sdk-refresh", PipelineFieldSelector.ALL)
    assert before.program_status == "Success"
    assert before.refresh_version == 3  # created, SqlCompiled, Success
    pipeline.modify(description="metadata only", tags=["team:x"])
    after = client.get_pipeline("sdk-refresh", PipelineFieldSelector.ALL)
    assert (after.description, after.tags) == ("metadata only", ["team:x"])
    assert (after.version, after.refresh_version) == (before.version, before.refresh_version)
    pipeline.modify(sql=SQL + "\n-- v2")
    edited = client.get_pipeline("sdk-refresh", PipelineFieldSelector.ALL)
    assert (edited.version, edited.program_version, edited.program_status) == (2, 2, "Pending")
    assert edited.refresh_version == before.refresh_version + 1
    client.delete_pipeline("sdk-refresh")


@pytest.mark.vendor_invalid_request
def test_a_bad_runtime_config_is_refused_through_the_sdk(client):
    pipeline = PipelineBuilder(client, "sdk-config", SQL).create_or_replace()
    with pytest.raises(FelderaAPIError) as refused:
        pipeline.modify(runtime_config={"workers": -1})
    assert (refused.value.status_code, refused.value.error_code) == (400, "InvalidRuntimeConfig")
    assert "runtime_config.workers" in refused.value.message
    assert client.get_pipeline("sdk-config", PipelineFieldSelector.ALL).runtime_config["workers"] == 8
    client.delete_pipeline("sdk-config")
