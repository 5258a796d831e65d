"""Issue 11 item 8: bounded state. `--max-resources N` per namespace (default 100 000).

A create beyond it gets the vendor's documented capacity answer, in its envelope, is journalled and
changes nothing (a Feldera create that fits in part is undone whole, id counters included); a
scenario load beyond it gets 400 and loads nothing; at startup it stops the server with a clear
message. With 100 000 resources in one namespace the server stays within the memory bound below.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import time

import pytest
import requests

from simulator.app import create_app
from simulator.settings import DEFAULT_MAX_RESOURCES, Settings
from tests.conftest import ROOT, start_server, stop_server
from tests.hardening.conftest import DEFAULT_SCENARIO, TIMEOUT, assert_healthy, journal, snapshot, vm_kib
from tests.vendors.hiveon.conftest import start_body
from tests.vendors.twelvelabs.helpers import general_body
from tests.vendors.wrappers.helpers import api_body

AUTH = {"Authorization": "Bearer admin-token", "X-API-Key": "hardening-key", "x-api-key": "hardening-key"}
HIVEON_MACHINE = {"machine_id": "9a3f1c52-6b7e-4d28-a1f0-3c5e7b9d2e41", "machine_price_id": "price-rtx4090-hourly"}
# 100 000 resources measured about 260 MiB of resident memory over an idle server (2.6 KiB each);
# the bound leaves room for the allocator and a slower machine's fragmentation.
KIB_PER_RESOURCE_BOUND = 4


def default_count() -> int:
    app = create_app(Settings(scenarios=[DEFAULT_SCENARIO]))
    return len(app.extensions["simulator"].simulation.store)


@pytest.fixture(scope="module")
def full():
    """A frozen server whose default namespace holds exactly --max-resources (the default scenario)."""
    server = start_server("--scenario", DEFAULT_SCENARIO, "--max-resources", str(default_count()))
    try:
        assert server.control("PUT", "/clock", json={"frozen": True}).status_code == 200
        yield server
    finally:
        stop_server(server)


def counters(server) -> dict:
    return server.control("GET", "/scenario", headers={"Accept": "application/json"}).json().get("counters", {})


WRAPPERS = "Service unavailable: resource limit reached ({limit} resources)"
CREATES = {
    "sparrow": ("POST", "/api/v1/analysis/tool/dast",
                {"json": {"dastOptions": {"crawlerTargetSeedUrls": ["https://example.com/"]}}},
                400, ("resultCode",), "ANALYSIS_LIMIT_EXCEEDED"),
    "feldera-post": ("POST", "/v0/pipelines", {"json": {"name": "cap", "program_code": "CREATE TABLE t (id INT);"}},
                     400, ("error_code",), "ResourceLimitReached"),
    "feldera-put": ("PUT", "/v0/pipelines/cap", {"json": {"name": "cap", "program_code": "CREATE TABLE t (id INT);"}},
                    400, ("error_code",), "ResourceLimitReached"),
    "hiveon": ("POST", "/vendors/v1/machines/deployments/start", {"json": start_body(**HIVEON_MACHINE)},
               429, ("code",), 8),
    "twelvelabs": ("POST", "/v1.3/analyze/batches", {"json": general_body()},
                   429, ("error", "code"), "resource_limit_exceeded"),
    "wrappers-generate": ("POST", "/resources/wrappers/generate", {"json": api_body()}, 503, ("detail",), WRAPPERS),
    "wrappers-upload": ("POST", "/resources/wrappers/files/upload", {}, 503, ("detail",), WRAPPERS),
}


@pytest.mark.parametrize("case", sorted(CREATES))
def test_a_create_beyond_the_limit_gets_the_vendors_documented_answer_and_changes_nothing(full, case):
    method, path, kwargs, status, where, code = CREATES[case]
    if case == "wrappers-upload":
        kwargs = {"files": {"file": ("data.csv", io.BytesIO(b"date,value\n2026-01-01,1\n"))}}
    before, ids_before = snapshot(full), counters(full)
    response = requests.request(method, f"{full.url}{path}", headers=AUTH, timeout=TIMEOUT, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    for key in where:  # down to the vendor's code in its own envelope
        body = body[key]
    assert body == code.format(limit=default_count()) if isinstance(code, str) else body == code
    assert str(default_count()) in response.text  # the message names the limit
    assert snapshot(full) == before
    assert counters(full) == ids_before  # no id was used up by the refused create
    entries = journal(full, path=path)
    assert entries and entries[-1]["status"] == status and entries[-1]["method"] == method
    assert_healthy(full)


def test_a_feldera_create_that_fits_in_part_is_undone_whole(server_with):
    server = server_with("--scenario", DEFAULT_SCENARIO, "--max-resources", str(default_count() + 2))
    server.control("PUT", "/clock", json={"frozen": True})
    before, ids_before = snapshot(server), counters(server)
    pipeline = {"name": "three", "program_code": "CREATE TABLE t (id INT);"}
    response = requests.post(f"{server.url}/v0/pipelines", json=pipeline, timeout=TIMEOUT)
    assert response.status_code == 400, response.text  # a pipeline needs three resources: two are free
    assert response.json()["error_code"] == "ResourceLimitReached"
    assert snapshot(server) == before and counters(server) == ids_before
    # the two free places are still free: two single-resource creates fit, a third does not
    dast = {"dastOptions": {"crawlerTargetSeedUrls": ["https://example.com/"]}}
    statuses = [requests.post(f"{server.url}/api/v1/analysis/tool/dast", json=dast, headers=AUTH,
                              timeout=TIMEOUT).status_code for _ in range(3)]
    assert statuses == [200, 200, 400]
    assert_healthy(server)


def test_a_scenario_load_beyond_the_limit_is_refused_before_anything_changes(full):
    document = {
        "name": "too-many",
        "clock": {"now": "2040-01-01T00:00:00Z"},
        "faults": [{"id": "never", "respond": {"status": 500}, "match": {"vendor": "sparrow"}}],
        "resources": [{"vendor": "sparrow", "kind": "analysis", "id": 900}],
    }
    before = snapshot(full)
    response = full.control("POST", "/scenarios", json=document)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid scenario"
    assert body["details"][0]["path"] == "resources"
    assert f"at most {default_count()} (--max-resources): nothing was loaded" in body["details"][0]["message"]
    assert snapshot(full) == before
    # replacing resources that exist adds nothing, so it still loads
    again = full.control("POST", "/scenarios", json={"name": "same", "resources": [
        {"vendor": "sparrow", "kind": "analysis", "id": 1001}]})
    assert again.status_code == 201, again.text
    assert_healthy(full)


def test_startup_scenarios_beyond_the_limit_stop_the_server_with_a_clear_message():
    result = subprocess.run([sys.executable, "-m", "simulator", "serve", "--port", "0", "--scenario",
                             DEFAULT_SCENARIO, "--max-resources", "10"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{DEFAULT_SCENARIO}: resources: loading it would add {default_count()} resources" in result.stderr
    assert "at most 10 (--max-resources)" in result.stderr
    assert "Traceback" not in result.stderr


def test_100_000_resources_in_one_namespace_stay_within_the_memory_bound(server_with):
    server = server_with("--scenario", DEFAULT_SCENARIO)
    server.control("PUT", "/clock", json={"frozen": True})
    seeded = server.control("GET", "/health").json()["resources"]
    idle = vm_kib(server, "VmRSS")
    bulk = {"name": "bulk", "resources": [{"vendor": "sparrow", "kind": "analysis", "id": 20_000 + i}
                                          for i in range(DEFAULT_MAX_RESOURCES - seeded)]}
    started = time.monotonic()
    loaded = requests.post(f"{server.url}/_simulator/scenarios", data=json.dumps(bulk),
                           headers={"Content-Type": "application/json"}, timeout=300)
    assert loaded.status_code == 201, loaded.text[:500]
    elapsed = time.monotonic() - started
    assert server.control("GET", "/health").json()["resources"] == DEFAULT_MAX_RESOURCES
    grown = vm_kib(server, "VmRSS") - idle
    print(f"\n100 000 resources: loaded in {elapsed:.1f}s, VmRSS +{grown // 1024} MiB, "
          f"VmHWM {vm_kib(server) // 1024} MiB")
    assert grown < DEFAULT_MAX_RESOURCES * KIB_PER_RESOURCE_BOUND
    # the default limit holds: the next create is refused in Sparrow's envelope
    dast = {"dastOptions": {"crawlerTargetSeedUrls": ["https://example.com/"]}}
    refused = requests.post(f"{server.url}/api/v1/analysis/tool/dast", json=dast, headers=AUTH, timeout=TIMEOUT)
    assert refused.status_code == 400, refused.text
    assert refused.json() == {"resultCode": "ANALYSIS_LIMIT_EXCEEDED", "message": (
        "The maximum number of analyses (100000) has been reached. Delete old ones.")}
    assert_healthy(server)
