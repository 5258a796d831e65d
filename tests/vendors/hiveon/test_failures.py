"""Failures by fault injection (reference section 3): from PENDING or RUNNING, with fail_reason."""
import pytest

from .conftest import assert_error, start_body

BAD_IMAGE = "registry.example.com/broken:latest"


def _config(image):
    return {"image": image}


def test_a_named_bad_image_fails_from_pending_with_the_default_reason(hiveon, control):
    hiveon.load(settings={"hiveon": {"failures": [{"image": BAD_IMAGE}]}})
    deployment_id = hiveon.new(container_config=_config(BAD_IMAGE))
    control.advance(2.9)
    assert "fail_reason" not in hiveon.get(deployment_id).get_json()
    control.advance(0.1)  # when it would have started running
    body = hiveon.get(deployment_id).get_json()
    assert body["status"] == "STATUS_FAILED"
    assert body["fail_reason"] == {"code": 1, "message": "image pull failed"}
    assert hiveon.history(deployment_id) == ["STATUS_PENDING", "STATUS_FAILED"]
    control.advance(3600)
    assert hiveon.status(deployment_id) == "STATUS_FAILED"


def test_other_images_are_not_affected(hiveon, control):
    hiveon.load(settings={"hiveon": {"failures": [{"image": BAD_IMAGE}]}})
    deployment_id = hiveon.new(container_config=_config("nginx:1.27"))
    control.advance(60)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"


def test_a_failure_from_running_after_a_set_time_with_its_own_reason(hiveon, control):
    reason = {"code": 2, "message": "container exited with code 137"}
    hiveon.load(settings={"hiveon": {"failures": [
        {"machine_id": "flaky", "from": "STATUS_RUNNING", "after": "30s", "fail_reason": reason}]}})
    deployment_id = hiveon.new(machine_id="flaky")
    control.advance(3)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"
    control.advance(29.9)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"
    control.advance(0.1)
    body = hiveon.get(deployment_id).get_json()
    assert body["status"] == "STATUS_FAILED" and body["fail_reason"] == reason
    assert hiveon.history(deployment_id) == ["STATUS_PENDING", "STATUS_RUNNING", "STATUS_FAILED"]


def test_a_failure_from_running_defaults_to_the_running_duration_and_reason(hiveon, control):
    hiveon.load(settings={"hiveon": {"failures": [{"machine_id": "flaky", "from": "STATUS_RUNNING"}]}})
    deployment_id = hiveon.new(machine_id="flaky")
    control.advance(3 + 9.9)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"
    control.advance(0.1)
    body = hiveon.get(deployment_id).get_json()
    assert body["status"] == "STATUS_FAILED"
    assert body["fail_reason"] == {"code": 2, "message": "container exited unexpectedly"}


def test_the_running_failure_time_is_settable_for_every_deployment(hiveon, control):
    hiveon.load(timing={"hiveon.deployment": {"STATUS_RUNNING": "1m"}},
                settings={"hiveon": {"failures": [{"image": BAD_IMAGE, "from": "STATUS_RUNNING"}]}})
    failing = hiveon.new(container_config=_config(BAD_IMAGE))
    healthy = hiveon.new()
    control.advance(3 + 59)
    assert hiveon.status(failing) == "STATUS_RUNNING"
    control.advance(1)
    assert hiveon.status(failing) == "STATUS_FAILED"
    assert hiveon.status(healthy) == "STATUS_RUNNING"  # no injected failure: RUNNING stays


def test_a_pending_failure_time_is_settable_per_rule(hiveon, control):
    hiveon.load(settings={"hiveon": {"failures": [{"image": BAD_IMAGE, "after": "500ms"}]}})
    deployment_id = hiveon.new(container_config=_config(BAD_IMAGE))
    control.advance(0.5)
    assert hiveon.status(deployment_id) == "STATUS_FAILED"


def test_a_rule_naming_image_and_machine_needs_both(hiveon, control):
    hiveon.load(settings={"hiveon": {"failures": [{"image": BAD_IMAGE, "machine_id": "m-bad"}]}})
    only_image = hiveon.new(container_config=_config(BAD_IMAGE))
    both = hiveon.new(container_config=_config(BAD_IMAGE), machine_id="m-bad")
    control.advance(3)
    assert hiveon.status(only_image) == "STATUS_RUNNING"
    assert hiveon.status(both) == "STATUS_FAILED"


def test_the_first_matching_rule_wins(hiveon, control):
    hiveon.load(settings={"hiveon": {"failures": [
        {"image": BAD_IMAGE, "fail_reason": {"code": 11, "message": "first"}},
        {"machine_id": "m-bad", "from": "STATUS_RUNNING", "fail_reason": {"code": 12, "message": "second"}},
    ]}})
    deployment_id = hiveon.new(container_config=_config(BAD_IMAGE), machine_id="m-bad")
    control.advance(3)
    assert hiveon.get(deployment_id).get_json()["fail_reason"] == {"code": 11, "message": "first"}


@pytest.mark.parametrize("advance_before_stop", [1, 5])
def test_a_stop_before_the_failure_wins(hiveon, control, advance_before_stop):
    hiveon.load(settings={"hiveon": {"failures": [{"image": BAD_IMAGE, "from": "STATUS_RUNNING"}]}})
    deployment_id = hiveon.new(container_config=_config(BAD_IMAGE))
    control.advance(advance_before_stop)
    assert hiveon.stop(deployment_id).status_code == 200
    control.advance(60)
    assert hiveon.status(deployment_id) == "STATUS_STOPPED"
    assert "fail_reason" not in hiveon.get(deployment_id).get_json()


def test_a_stop_after_the_failure_is_400(hiveon, control):
    hiveon.load(settings={"hiveon": {"failures": [{"image": BAD_IMAGE}]}})
    deployment_id = hiveon.new(container_config=_config(BAD_IMAGE))
    control.advance(3)
    assert_error(hiveon.stop(deployment_id), 400, 9)
    assert hiveon.status(deployment_id) == "STATUS_FAILED"


def test_a_scenario_seeds_a_running_deployment_that_fails_later(hiveon, control):
    hiveon.load(resources=[{
        "vendor": "hiveon", "kind": "deployment", "id": "crashes", "state": "STATUS_RUNNING", "remaining": "45s",
        "route": {"STATUS_RUNNING": "STATUS_FAILED"}, "fields": {"fail_reason": {"code": 2, "message": "oom"}},
    }])
    assert hiveon.status("crashes") == "STATUS_RUNNING"
    assert hiveon.resource("crashes")["next"]["state"] == "STATUS_FAILED"
    control.advance(44)
    assert hiveon.status("crashes") == "STATUS_RUNNING"
    control.advance(1)
    body = hiveon.get("crashes").get_json()
    assert body["status"] == "STATUS_FAILED" and body["fail_reason"] == {"code": 2, "message": "oom"}


def test_a_seeded_failed_deployment_without_a_reason_gets_the_default_one(hiveon):
    hiveon.load(resources=[{"vendor": "hiveon", "kind": "deployment", "id": "dead", "state": "STATUS_FAILED"}])
    assert hiveon.get("dead").get_json()["fail_reason"] == {"code": 1, "message": "image pull failed"}


@pytest.mark.parametrize(("rule", "where"), [
    ({}, "settings.hiveon.failures[0]"),  # names neither image nor machine
    ({"image": BAD_IMAGE, "from": "STATUS_STOPPING"}, "settings.hiveon.failures[0].from"),
    ({"image": BAD_IMAGE, "after": "soon"}, "settings.hiveon.failures[0].after"),
    ({"image": BAD_IMAGE, "fail_reason": {"code": "1", "message": "x"}},
     "settings.hiveon.failures[0].fail_reason.code"),
    ({"image": BAD_IMAGE, "colour": "red"}, "settings.hiveon.failures[0].colour"),
])
def test_an_invalid_failure_rule_is_refused_with_its_place(client, rule, where):
    response = client.post("/_simulator/scenarios", json={"name": "bad", "settings": {"hiveon": {"failures": [rule]}}})
    assert response.status_code == 400
    assert [d["path"] for d in response.get_json()["details"]] == [where]


def test_failure_rules_apply_to_starts_only_not_to_existing_deployments(hiveon, control):
    deployment_id = hiveon.new(container_config=_config(BAD_IMAGE))
    hiveon.load(settings={"hiveon": {"failures": [{"image": BAD_IMAGE}]}})
    control.advance(3)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"
    assert hiveon.start(start_body(container_config=_config(BAD_IMAGE))).status_code == 200
