"""The shipped Hiveon scenarios load and behave as their descriptions say."""
from tests.conftest import SCENARIOS

from .conftest import assert_error, start_body


def _load(client, name: str) -> dict:
    text = (SCENARIOS / name).read_text()
    response = client.post("/_simulator/scenarios", data=text, content_type="application/yaml")
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_hiveon_stopping(hiveon, client, control):
    _load(client, "hiveon-stopping.yaml")
    assert hiveon.status("stop-me") == "STATUS_RUNNING"
    running = hiveon.get("stop-me").get_json()["deployment_id"]
    assert hiveon.stop(running).status_code == 200
    assert hiveon.status("stop-me") == "STATUS_STOPPING"

    stopping = hiveon.get("stopping").get_json()["deployment_id"]
    assert hiveon.stop(stopping).status_code == 200  # a second stop changes nothing
    assert hiveon.stop(hiveon.get("stopped").get_json()["deployment_id"]).status_code == 200

    pending = hiveon.get("still-pending").get_json()["deployment_id"]
    assert hiveon.stop(pending).status_code == 200  # cancels the start

    control.advance(19.9)
    assert [hiveon.status(i) for i in ("stop-me", "stopping", "stopped", "still-pending")] == [
        "STATUS_STOPPING", "STATUS_STOPPING", "STATUS_STOPPED", "STATUS_STOPPING"]
    control.advance(0.1)
    assert {hiveon.status(i) for i in ("stop-me", "stopping", "stopped", "still-pending")} == {"STATUS_STOPPED"}
    assert hiveon.get("stop-me").get_json()["metadata"] == {"team": "demo"}


def test_hiveon_failed(hiveon, client, control):
    _load(client, "hiveon-failed.yaml")
    failed = hiveon.get("failed-pull").get_json()
    assert failed["status"] == "STATUS_FAILED"
    assert failed["fail_reason"] == {"code": 1, "message": "image pull failed: manifest unknown"}
    assert_error(hiveon.stop(failed["deployment_id"]), 400, 9)

    flaky = "0d6a2b1e-7c3f-4e8a-9b5d-2f1e3c4d5a6b"
    pulls = hiveon.new(machine_id=flaky, machine_price_id="price-flaky-hourly",
                       container_config={"image": "registry.example.com/broken:latest"})
    crashes = hiveon.new(machine_id=flaky, machine_price_id="price-flaky-hourly")
    assert_error(hiveon.start(start_body()), 404, 5)  # the scenario lists its machine: a catalogue

    control.advance(3)
    assert hiveon.get(pulls).get_json()["fail_reason"]["code"] == 1
    assert hiveon.status(crashes) == "STATUS_RUNNING"
    control.advance(30)
    body = hiveon.get(crashes).get_json()
    assert body["status"] == "STATUS_FAILED" and body["fail_reason"]["code"] == 2

    assert hiveon.status("about-to-crash") == "STATUS_RUNNING"  # 33 s of its 45 s
    control.advance(12)
    body = hiveon.get("about-to-crash").get_json()
    assert body["status"] == "STATUS_FAILED"
    assert body["fail_reason"] == {"code": 2, "message": "container exited with code 1"}


def test_the_default_scenario_has_a_catalogue_and_a_deployment_in_each_state(hiveon, client, control):
    _load(client, "default.yaml")
    control.freeze()
    states = {ext: hiveon.status(f"demo-{ext}") for ext in ("pending", "running", "stopping", "stopped", "failed")}
    assert states == {"pending": "STATUS_PENDING", "running": "STATUS_RUNNING", "stopping": "STATUS_STOPPING",
                      "stopped": "STATUS_STOPPED", "failed": "STATUS_FAILED"}
    assert hiveon.get("demo-running").get_json()["metadata"] == {"project": "demo"}

    machine = "9a3f1c52-6b7e-4d28-a1f0-3c5e7b9d2e41"
    deployment_id = hiveon.new(machine_id=machine, machine_price_id="price-rtx4090-spot")
    assert hiveon.status(deployment_id) == "STATUS_PENDING"
    assert_error(hiveon.start(start_body(machine_id=machine, machine_price_id="price-a100-hourly")), 404, 5)
    assert_error(hiveon.start(start_body(machine_id="not-listed")), 404, 5)
    assert_error(hiveon.start(start_body(machine_id=machine, machine_price_id="price-rtx4090-spot",
                                         external_deployment_id="demo-running")), 400, 3)

    control.advance(60)
    assert hiveon.status("demo-pending") == "STATUS_RUNNING"
    assert hiveon.status("demo-stopping") == "STATUS_STOPPED"


def test_a_reseeded_deployment_drops_its_old_external_id(hiveon, control):
    entry = {"vendor": "hiveon", "kind": "deployment", "id": "dep-9", "state": "STATUS_RUNNING",
             "fields": {"external_deployment_id": "old-name"}}
    hiveon.load(resources=[entry])
    hiveon.load(resources=[{**entry, "fields": {"external_deployment_id": "new-name"}}])
    assert_error(hiveon.get("old-name"), 404, 5)
    assert hiveon.get("new-name").get_json()["deployment_id"] == "dep-9"
    assert hiveon.new(external_deployment_id="old-name")  # free again


def test_a_scenario_can_put_a_deployment_in_any_state_with_time_left(hiveon, control):
    resources = [
        {"vendor": "hiveon", "kind": "deployment", "id": f"d-{state}", "state": f"STATUS_{state}", "remaining": "5s"}
        for state in ("PENDING", "STOPPING")
    ] + [
        {"vendor": "hiveon", "kind": "deployment", "id": f"d-{state}", "state": f"STATUS_{state}"}
        for state in ("RUNNING", "STOPPED", "FAILED")
    ]
    hiveon.load(resources=resources)
    control.advance(4.9)
    assert hiveon.status("d-PENDING") == "STATUS_PENDING" and hiveon.status("d-STOPPING") == "STATUS_STOPPING"
    control.advance(0.1)
    assert hiveon.status("d-PENDING") == "STATUS_RUNNING" and hiveon.status("d-STOPPING") == "STATUS_STOPPED"
    assert [hiveon.status(f"d-{s}") for s in ("RUNNING", "STOPPED", "FAILED")] == [
        "STATUS_RUNNING", "STATUS_STOPPED", "STATUS_FAILED"]


def test_a_scenario_is_checked_against_the_hiveon_rules(client):
    response = client.post("/_simulator/scenarios", json={"name": "bad", "resources": [
        {"vendor": "hiveon", "kind": "deployment", "id": "start"},
        {"vendor": "hiveon", "kind": "deployment", "id": "d", "state": "STATUS_UNSPECIFIED"},
        {"vendor": "hiveon", "kind": "deployment", "id": "e", "fields": {"metadata": {"k": 1}}},
        {"vendor": "hiveon", "kind": "machine", "id": "m", "fields": {"prices": [""]}},
    ]})
    assert response.status_code == 400
    assert [d["path"] for d in response.get_json()["details"]] == [
        "resources[0].id", "resources[1].state", "resources[2].fields.metadata.k", "resources[3].fields.prices[0]"]
