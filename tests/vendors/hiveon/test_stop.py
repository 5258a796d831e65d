"""The stop rules of reference section 4, row by row: status, body, and state afterwards."""
import pytest

from .conftest import assert_error


def _running(hiveon, control, **overrides) -> str:
    deployment_id = hiveon.new(**overrides)
    control.advance(3)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"
    return deployment_id


@pytest.mark.parametrize("from_state", ["STATUS_PENDING", "STATUS_RUNNING"])
def test_stop_moves_pending_or_running_to_stopping_then_stopped(hiveon, control, from_state):
    deployment_id = hiveon.new() if from_state == "STATUS_PENDING" else _running(hiveon, control)
    response = hiveon.stop(deployment_id)
    assert response.status_code == 200
    assert response.get_json() == {"deployment_id": deployment_id}
    assert hiveon.status(deployment_id) == "STATUS_STOPPING"
    control.advance(1.9)
    assert hiveon.status(deployment_id) == "STATUS_STOPPING"
    control.advance(0.1)
    assert hiveon.status(deployment_id) == "STATUS_STOPPED"
    control.advance(3600)
    assert hiveon.status(deployment_id) == "STATUS_STOPPED"
    expected = ["STATUS_PENDING", "STATUS_STOPPING", "STATUS_STOPPED"]
    if from_state == "STATUS_RUNNING":
        expected.insert(1, "STATUS_RUNNING")
    assert hiveon.history(deployment_id) == expected


def test_a_stop_while_pending_cancels_the_start(hiveon, control):
    deployment_id = hiveon.new()
    control.advance(2)
    hiveon.stop(deployment_id)
    control.advance(1)  # when PENDING would have become RUNNING
    assert hiveon.status(deployment_id) == "STATUS_STOPPING"
    assert "STATUS_RUNNING" not in hiveon.history(deployment_id)


def test_a_second_stop_while_stopping_is_200_and_changes_nothing(hiveon, control):
    deployment_id = _running(hiveon, control)
    assert hiveon.stop(deployment_id).status_code == 200
    control.advance(1)
    before = hiveon.resource(deployment_id)
    again = hiveon.stop(deployment_id)
    assert again.status_code == 200 and again.get_json() == {"deployment_id": deployment_id}
    after = hiveon.resource(deployment_id)
    assert after["state"] == "STATUS_STOPPING" and after["since"] == before["since"]
    assert after["next"] == before["next"]  # the STOPPED moment did not move
    control.advance(1)
    assert hiveon.status(deployment_id) == "STATUS_STOPPED"


def test_a_stop_once_stopped_is_200_and_changes_nothing(hiveon, control):
    deployment_id = _running(hiveon, control)
    hiveon.stop(deployment_id)
    control.advance(2)
    history = hiveon.history(deployment_id)
    response = hiveon.stop(deployment_id)
    assert response.status_code == 200 and response.get_json() == {"deployment_id": deployment_id}
    assert hiveon.status(deployment_id) == "STATUS_STOPPED"
    assert hiveon.history(deployment_id) == history


def test_a_stop_on_a_failed_deployment_is_400_failed_precondition(hiveon, control):
    hiveon.load(resources=[{"vendor": "hiveon", "kind": "deployment", "id": "dead-1", "state": "STATUS_FAILED"}])
    response = hiveon.stop("dead-1")
    assert_error(response, 400, 9, contains="deployment is not running")
    assert hiveon.status("dead-1") == "STATUS_FAILED"
    assert hiveon.history("dead-1") == ["STATUS_FAILED"]


def test_a_stop_on_an_unknown_deployment_is_404(hiveon):
    assert_error(hiveon.stop("0b4e3c2a-1111-4222-8333-444455556666"), 404, 5, contains="deployment not found")


def test_stop_finds_a_deployment_by_its_deployment_id_only(hiveon, control):
    deployment_id = _running(hiveon, control, external_deployment_id="ext-stop")
    assert_error(hiveon.stop("ext-stop"), 404, 5)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"


def test_the_stopping_duration_is_settable(hiveon, control):
    hiveon.load(timing={"hiveon.deployment": {"STATUS_STOPPING": "30s"}})
    deployment_id = _running(hiveon, control)
    hiveon.stop(deployment_id)
    control.advance(29)
    assert hiveon.status(deployment_id) == "STATUS_STOPPING"
    control.advance(1)
    assert hiveon.status(deployment_id) == "STATUS_STOPPED"


# --- the body ----------------------------------------------------------------------------------

BAD_BODIES = {
    "no body": None,
    "empty object": {},
    "metadata not an object": {"metadata": "CLORE_API_KEY=x"},
    "metadata without the key": {"metadata": {"other": "x"}},
    "empty key": {"metadata": {"CLORE_API_KEY": ""}},
    "key not a string": {"metadata": {"CLORE_API_KEY": 123}},
    "key null": {"metadata": {"CLORE_API_KEY": None}},
    "unknown top-level field": {"metadata": {"CLORE_API_KEY": "k"}, "force": True},
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_an_invalid_body_is_400_even_for_a_running_deployment(hiveon, control, case):
    deployment_id = _running(hiveon, control)
    response = hiveon.stop(deployment_id, body=BAD_BODIES[case])
    assert_error(response, 400, 3)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"


def test_a_body_that_is_not_json_is_400(hiveon, control):
    deployment_id = _running(hiveon, control)
    response = hiveon.stop(deployment_id, body=None, data="metadata=x", content_type="application/json")
    assert_error(response, 400, 3)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"


def test_other_metadata_keys_are_allowed_and_ignored(hiveon, control):
    deployment_id = _running(hiveon, control)
    response = hiveon.stop(deployment_id, body={"metadata": {"CLORE_API_KEY": "k", "reason": "done"}})
    assert response.status_code == 200
    assert hiveon.status(deployment_id) == "STATUS_STOPPING"
    assert hiveon.get(deployment_id).get_json()["metadata"] == {"team": "demo"}


# --- validation order: auth -> body -> lookup -> state -------------------------------------------

def test_order_auth_before_body(hiveon):
    hiveon.load(auth={"hiveon": {"keys": ["good"], "without_role": ["no-role"]}})
    assert_error(hiveon.stop("nope", body={}, headers={}), 401, 16)
    assert_error(hiveon.stop("nope", body={}, headers={"X-API-Key": "wrong"}), 401, 16)
    assert_error(hiveon.stop("nope", body={}, headers={"X-API-Key": "no-role"}), 403, 7)


def test_order_body_before_lookup(hiveon):
    assert_error(hiveon.stop("unknown-id", body={}), 400, 3)


def test_order_lookup_before_state(hiveon):
    hiveon.load(resources=[{"vendor": "hiveon", "kind": "deployment", "id": "dead-2", "state": "STATUS_FAILED"}])
    assert_error(hiveon.stop("dead-3"), 404, 5)
    assert_error(hiveon.stop("dead-2", body={}), 400, 3)  # the body is checked before the FAILED rule
    assert_error(hiveon.stop("dead-2"), 400, 9)
