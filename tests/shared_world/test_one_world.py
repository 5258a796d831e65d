"""Two `simulator serve --store redis://...` processes are one world: a resource made through one is
acted on through the other, and a change to the world made through one (clock, reset, scenario,
namespace) is what the very next request to the other sees."""
from __future__ import annotations

import pytest

from .replica_tools import (
    AUTH,
    Replica,
    advance,
    call,
    create_analysis,
    freeze,
    get_analysis,
    history,
    listed_ids,
    new_analysis,
    resource,
    stop_analysis,
)

# --- 1. each vendor's lifecycle: created through A, acted on through B, read through A ---------------


def test_sparrow_analysis_created_on_a_stopped_on_b_reads_stopped_on_a(world):
    a, b, ns = world.a, world.b, world.ns
    freeze(a, ns)
    created = create_analysis(a, headers=ns)
    assert created.status_code == 200, created.text
    request_id = created.json()["requestId"]
    analysis = created.json()["analysisList"][0]["analysisId"]
    assert created.json()["analysisList"][0]["status"] == "INIT"
    advance(b, 2, ns)
    assert get_analysis(a, analysis, ns).json()["status"] == "READY"
    stopped = stop_analysis(b, analysis, ns)
    assert stopped.status_code == 200, stopped.text
    assert (stopped.json()["status"], stopped.json()["result"], stopped.json()["resultCode"]) == (
        "STOP", "FAIL", "ANALYSIS_STOPPED")
    after = get_analysis(a, analysis, ns)
    assert after.status_code == 200
    assert after.json()["status"] == "STOP" and after.json()["endTime"] == stopped.json()["endTime"]
    request = call(b, "GET", f"/api/v1/request/{request_id}", {**AUTH, **ns})
    assert request.status_code == 200, request.text
    assert [(x["analysisId"], x["status"]) for x in request.json()["analysisList"]] == [(analysis, "STOP")]
    again = stop_analysis(a, analysis, ns)
    assert again.status_code == 400 and again.json()["resultCode"] == "ANALYSIS_ALREADY_STOPPED"
    advance(a, 60, ns)
    assert history(b, "sparrow", "analysis", analysis, ns) == [("INIT", "created"), ("READY", "timer"),
                                                           ("STOP", "action:stop")]


FELDERA_SQL = "CREATE TABLE t1 (id INT);\nCREATE MATERIALIZED VIEW v1 AS SELECT * FROM t1;"


def test_feldera_pipeline_created_on_a_started_and_stopped_on_b_reads_so_on_a(world):
    a, b, ns = world.a, world.b, world.ns
    freeze(a, ns)
    created = call(a, "POST", "/v0/pipelines", ns, json={"name": "p1", "program_code": FELDERA_SQL})
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "p1" and created.json()["program_status"] == "Pending"
    advance(b, 4, ns)  # compiled
    assert call(a, "GET", "/v0/pipelines/p1?selector=status", ns).json()["program_status"] == "Success"
    started = call(b, "POST", "/v0/pipelines/p1/start", ns)
    assert (started.status_code, started.json()) == (202, "Pipeline is starting")
    advance(a, 2, ns)
    running = call(a, "GET", "/v0/pipelines/p1?selector=status", ns).json()
    assert (running["deployment_status"], running["deployment_desired_status"]) == ("Running", "Running")
    stopping = call(b, "POST", "/v0/pipelines/p1/stop?force=true", ns)
    assert (stopping.status_code, stopping.json()) == (202, "Pipeline is forcefully stopping")
    advance(b, 60, ns)
    stopped = call(a, "GET", "/v0/pipelines/p1?selector=status", ns).json()
    assert (stopped["deployment_status"], stopped["deployment_desired_status"]) == ("Stopped", "Stopped")
    states = [state for state, _ in history(a, "feldera", "pipeline", "p1", ns)]
    assert states[:5] == ["Stopped", "StartPending", "Provisioning", "Initializing", "Running"]
    assert states[-1] == "Stopped" and states.count("Running") == 1
    names = [p["name"] for p in call(b, "GET", "/v0/pipelines", ns).json()]
    assert names == ["p1"]


TWELVELABS_KEY = {"x-api-key": "test-key"}
TWELVELABS_BATCH = {
    "model_name": "pegasus1.5", "analysis_mode": "general",
    "defaults": {"prompt": {"input_text": "Summarise the video."}},
    "requests": [{"video": {"type": "asset_id", "asset_id": f"{0x66a000000000000000000000 + i:024x}"},
                  "custom_id": f"item-{i}"} for i in range(3)],
}


def test_twelvelabs_batch_created_on_a_canceled_on_b_reads_canceled_on_a(world):
    a, b, ns = world.a, world.b, world.ns
    freeze(a, ns)
    created = call(a, "POST", "/v1.3/analyze/batches", {**TWELVELABS_KEY, **ns}, json=TWELVELABS_BATCH)
    assert created.status_code == 201, created.text
    batch_id = created.json()["batch_id"]
    seen = call(b, "GET", f"/v1.3/analyze/batches/{batch_id}", {**TWELVELABS_KEY, **ns})
    assert seen.status_code == 200 and seen.json()["total_items"] == 3, seen.text
    advance(a, 2, ns)
    canceled = call(b, "POST", f"/v1.3/analyze/batches/{batch_id}/cancel", {**TWELVELABS_KEY, **ns})
    assert canceled.status_code == 202, canceled.text
    assert canceled.json()["status"] == "canceling" and canceled.json()["canceled_items"] == 3
    after = call(a, "GET", f"/v1.3/analyze/batches/{batch_id}", {**TWELVELABS_KEY, **ns})
    assert after.status_code == 200 and after.json()["status"] == "canceled", after.text
    again = call(a, "POST", f"/v1.3/analyze/batches/{batch_id}/cancel", {**TWELVELABS_KEY, **ns})
    assert again.status_code == 409, again.text
    listing = call(b, "GET", "/v1.3/analyze/batches", {**TWELVELABS_KEY, **ns}).json()
    assert [item["batch_id"] for item in listing["data"]] == [batch_id]


HIVEON_KEY = {"X-API-Key": "demo-key"}
HIVEON_START = {
    "machine_id": "6f1c2b8e-0a4d-4b7e-9c3f-5e2d1a0b9c87", "machine_price_id": "price-1",
    "container_config": {"image": "nginx:1.27", "ports": [{"host_port": 8080, "protocol": "PORT_PROTOCOL_HTTPS"}],
                         "environment_variables": {"MODE": "demo"}},
    "metadata": {"team": "demo"},
}
HIVEON = "/vendors/v1/machines/deployments"


def test_hiveon_deployment_started_on_a_stopped_on_b_reads_stopped_on_a(world):
    a, b, ns = world.a, world.b, world.ns
    freeze(a, ns)
    started = call(a, "POST", f"{HIVEON}/start", {**HIVEON_KEY, **ns}, json=HIVEON_START)
    assert started.status_code == 200, started.text
    deployment = started.json()["deployment_id"]
    advance(b, 3, ns)
    assert call(a, "GET", f"{HIVEON}/{deployment}", {**HIVEON_KEY, **ns}).json()["status"] == "STATUS_RUNNING"
    stop_body = {"metadata": {"CLORE_API_KEY": "clore-secret-123"}}
    stopped = call(b, "POST", f"{HIVEON}/{deployment}/stop", {**HIVEON_KEY, **ns}, json=stop_body)
    assert (stopped.status_code, stopped.json()) == (200, {"deployment_id": deployment})
    assert call(a, "GET", f"{HIVEON}/{deployment}", {**HIVEON_KEY, **ns}).json()["status"] == "STATUS_STOPPING"
    advance(a, 2, ns)
    assert call(b, "GET", f"{HIVEON}/{deployment}", {**HIVEON_KEY, **ns}).json()["status"] == "STATUS_STOPPED"
    assert [s for s, _ in history(a, "hiveon", "deployment", deployment, ns)] == [
        "STATUS_PENDING", "STATUS_RUNNING", "STATUS_STOPPING", "STATUS_STOPPED"]


WRAPPERS_ADMIN = {"Authorization": "Bearer admin-token"}
WRAPPER = {"source_type": "API", "source_config": {"location": "https://api.example.com/v1/x"}, "metadata": {
    "name": "Overnight stays", "domain": "Economy", "subdomain": "Tourism", "description": "Stays", "unit": "stays",
    "source": "INE", "scale": "regional", "governance_indicator": False, "periodicity": "monthly"}}


def test_wrapper_generated_on_a_stopped_on_b_reads_stopped_on_a(world):
    a, b, ns = world.a, world.b, world.ns
    freeze(a, ns)
    created = call(a, "POST", "/resources/wrappers/generate", {**WRAPPERS_ADMIN, **ns}, json=WRAPPER)
    assert created.status_code == 200, created.text
    wrapper = created.json()["wrapper_id"]
    assert created.json()["status"] == "pending"
    advance(b, 14, ns)  # executing after 4 s, then a batch every 2 s
    running = call(a, "GET", f"/resources/wrappers/{wrapper}", {**WRAPPERS_ADMIN, **ns}).json()
    assert running["status"] == "executing" and running["data_points_count"] == 20
    stopped = call(b, "POST", f"/resources/wrappers/{wrapper}/stop", {**WRAPPERS_ADMIN, **ns})
    assert (stopped.status_code, stopped.json()) == (
        200, {"wrapper_id": wrapper, "success": True, "message": "Wrapper stopped successfully"})
    advance(b, 60, ns)  # no more batches arrive
    after = call(a, "GET", f"/resources/wrappers/{wrapper}", {**WRAPPERS_ADMIN, **ns}).json()
    assert after["status"] == "stopped" and after["data_points_count"] == 20
    assert after["monitoring_details"] == {"process_running": False}
    assert history(a, "wrappers", "wrapper", wrapper, ns) == [
        ("pending", "created"), ("generating", "timer"), ("executing", "timer"), ("stopped", "action:stop")]


# --- 4. a change to the world made through one process, seen by the very next request to the other ---


def test_a_clock_advance_freeze_and_speed_through_one_are_the_next_answer_of_the_other(world):
    a, b, ns = world.a, world.b, world.ns
    frozen = freeze(a, ns)
    assert call(b, "GET", "/_simulator/clock", ns).json() == frozen
    moved = advance(a, 3600, ns)
    assert call(b, "GET", "/_simulator/clock", ns).json() == moved
    assert moved["now"] > frozen["now"]
    fast = call(b, "PUT", "/_simulator/clock", ns, json={"speed": 50, "frozen": False})
    assert fast.status_code == 200 and (fast.json()["speed"], fast.json()["frozen"]) == (50, False)
    seen = call(a, "GET", "/_simulator/clock", ns).json()
    assert (seen["speed"], seen["frozen"]) == (50, False) and seen["now"] >= moved["now"]
    again = call(a, "PUT", "/_simulator/clock", ns, json={"frozen": True, "now": "2030-01-01T00:00:00Z"})
    assert again.status_code == 200, again.text
    assert call(b, "GET", "/_simulator/clock", ns).json() == again.json() == {
        "now": "2030-01-01T00:00:00.000Z", "speed": 50, "frozen": True}


def test_a_transition_due_by_an_advance_through_one_is_what_the_other_answers(world):
    a, b, ns = world.a, world.b, world.ns
    freeze(a, ns)
    analysis = new_analysis(b, headers=ns)
    advance(a, 13, ns)  # INIT 2 s, READY 2 s, PRE_PROCESS 2 s, ANALYSIS 5 s, POST_PROCESS 2 s
    body = get_analysis(b, analysis, ns).json()
    assert (body["status"], body["result"]) == ("COMPLETE", "SUCCESS")


def test_a_reset_through_one_empties_the_world_for_the_other(world):
    a, b, ns = world.a, world.b, world.ns
    freeze(a, ns)
    analysis = new_analysis(b, headers=ns)
    assert get_analysis(b, analysis, ns).status_code == 200
    reset = call(a, "POST", "/_simulator/reset", ns)
    assert reset.status_code == 200 and reset.json()["status"] == "reset", reset.text
    gone = get_analysis(b, analysis, ns)
    assert gone.status_code == 400 and gone.json()["resultCode"] == "ANALYSIS_NOT_FOUND", gone.text
    assert listed_ids(b, "sparrow", ns) == []
    assert call(a, "GET", "/_simulator/clock", ns).json()["frozen"] is False  # the clock was reset too
    fresh = create_analysis(a, headers=ns)  # the id counters started again, for both
    assert fresh.json()["analysisList"][0]["analysisId"] == analysis
    request_id = fresh.json()["requestId"]
    listed = call(b, "GET", f"/api/v1/request/{request_id}", {**AUTH, **ns})  # the reset emptied the index too
    assert listed.status_code == 200, listed.text
    assert [a["analysisId"] for a in listed.json()["analysisList"]] == [analysis]


SCENARIO = {"name": "seeded", "clock": {"frozen": True},
            "resources": [{"vendor": "sparrow", "kind": "analysis", "id": 4242, "state": "READY", "remaining": "10s",
                           "fields": {"toolType": "SAST", "memo": "seeded"}}]}


def test_a_scenario_loaded_through_one_is_the_next_answer_of_the_other(world):
    a, b, ns = world.a, world.b, world.ns
    loaded = call(a, "POST", "/_simulator/scenarios", ns, json=SCENARIO)
    assert loaded.status_code == 201, loaded.text
    seen = get_analysis(b, 4242, ns)
    assert seen.status_code == 200, seen.text
    assert (seen.json()["status"], seen.json()["memo"]) == ("READY", "seeded")
    assert call(a, "GET", "/_simulator/clock", ns).json()["frozen"] is True
    advance(b, 10, ns)
    assert get_analysis(a, 4242, ns).json()["status"] == "PRE_PROCESS"


def test_health_through_the_other_process_counts_what_one_loaded(world):
    a, b, ns = world.a, world.b, world.ns
    before = call(b, "GET", "/_simulator/health", ns).json()  # B has its copy of the namespace already
    assert before["resources"] == 0 and before["scenarios"] == []
    assert call(a, "POST", "/_simulator/scenarios", ns, json=SCENARIO).status_code == 201
    new_analysis(a, headers=ns)
    health = call(b, "GET", "/_simulator/health", ns)
    assert health.status_code == 200
    assert (health.json()["resources"], health.json()["scenarios"]) == (2, ["seeded"]), health.json()


# --- 5. namespaces ------------------------------------------------------------------------------------

TEAM = {"X-Simulator-Namespace": "team-a"}


def test_a_namespace_made_through_one_is_there_for_the_other_and_apart_from_default(replicas):
    a, b = replicas.urls
    freeze(a, TEAM)
    analysis = new_analysis(a, headers=TEAM)
    seen = get_analysis(b, analysis, TEAM)
    assert seen.status_code == 200 and seen.json()["status"] == "INIT", seen.text
    assert call(b, "GET", "/_simulator/clock", TEAM).json()["frozen"] is True
    outside = get_analysis(b, analysis)
    assert outside.status_code == 400 and outside.json()["resultCode"] == "ANALYSIS_NOT_FOUND"
    assert call(a, "GET", "/_simulator/clock").json()["frozen"] is False
    assert listed_ids(b, "sparrow") == [] and listed_ids(b, "sparrow", TEAM) == [str(analysis)]
    advance(b, 2, TEAM)
    assert stop_analysis(a, analysis, TEAM).json()["status"] == "STOP"
    assert [s for s, _ in history(b, "sparrow", "analysis", analysis, TEAM)] == ["INIT", "READY", "STOP"]
    dropped = call(b, "DELETE", "/_simulator/namespaces/team-a")
    assert dropped.status_code == 204, dropped.text
    gone = get_analysis(a, analysis, TEAM)
    assert gone.status_code == 400 and gone.json()["resultCode"] == "ANALYSIS_NOT_FOUND", gone.text


def test_the_namespace_list_of_either_process_is_the_worlds(replicas):
    a, b = replicas.urls
    new_analysis(a, headers=TEAM)
    for base in (a, b):
        listed = call(base, "GET", "/_simulator/namespaces")
        assert listed.status_code == 200
        names = {n["name"]: n["resources"] for n in listed.json()["namespaces"]}
        assert names == {"default": 0, "team-a": 1}, (base, listed.json())


@pytest.fixture
def capped_pair(redis_url):
    pair = [Replica("--store", redis_url, "--max-namespaces", "3") for _ in range(2)]
    yield [replica.url for replica in pair]
    for replica in pair:
        replica.stop()


def test_the_namespace_cap_counts_namespaces_made_through_both_processes(capped_pair):
    a, b = capped_pair
    made = {}
    for name, base in (("n1", a), ("n2", b), ("n3", a), ("n4", b)):  # default + 4 > 3: the oldest two go
        made[name] = new_analysis(base, headers={"X-Simulator-Namespace": name})
    for name in ("n3", "n4"):
        kept = get_analysis(a, made[name], {"X-Simulator-Namespace": name})
        assert kept.status_code == 200, (name, kept.text)
    # A made n1 and still holds its copy: the world dropped n1 all the same
    evicted = get_analysis(a, made["n1"], {"X-Simulator-Namespace": "n1"})
    assert evicted.status_code == 400 and evicted.json()["resultCode"] == "ANALYSIS_NOT_FOUND", evicted.text
    assert resource(b, "sparrow", "analysis", made["n4"], {"X-Simulator-Namespace": "n4"})["state"] == "INIT"
