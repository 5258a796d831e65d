"""Feldera's official SDK, unmodified, against two processes sharing one Redis behind the round-robin
balancer, the clock running 20x faster than real time: the SDK's polling reads a pipeline's status
from both processes in turn while due transitions happen in whichever process is asked.
(Not here: the checkpoint test of test_sdk_semantics.py, 17 s of the SDK's own polling waits.)"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from tests.vendors.feldera import sdk_server
from tests.vendors.feldera.test_sdk import (  # noqa: F401
    client,
    test_client_reads_the_config,
    test_compilation_failure_surfaces_as_the_sdk_error,
    test_create_or_replace_stops_and_replaces_a_running_pipeline,
    test_force_stop_during_the_graceful_phase,
    test_full_lifecycle,
    test_unknown_pipeline_status_is_not_found,
)
from tests.vendors.feldera.test_sdk_semantics import (  # noqa: F401
    test_a_bad_runtime_config_is_refused_through_the_sdk,
    test_metadata_edits_and_refresh_version_through_the_sdk,
)

from .over_http import start_world


@pytest.fixture(autouse=True)
def _vendor_spec_oracle(vendor_spec):
    """As tests/vendors/feldera/conftest.py: every exchange the SDK makes answers to Feldera's spec."""
    return vendor_spec


@pytest.fixture(scope="module")
def server(redis_server) -> Iterator:
    """sdk_server.server's pair: started as it starts its one process, on one (flushed) Redis; the
    SDK is given the balancer's URL."""
    redis.Redis(port=redis_server.port).flushall()
    pair = start_world(redis_server.url, "--scenario", str(sdk_server.SCENARIO), "--speed", "20")
    yield pair
    pair.close()
