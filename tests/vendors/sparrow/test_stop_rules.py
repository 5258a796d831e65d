"""The stop rules of reference section 4, row by row: status, body, and state afterwards."""
import pytest


def test_stop_during_init_is_deferred_to_the_allocation_moment(sparrow, control):
    analysis_id = sparrow.in_state("INIT")
    response = sparrow.stop(analysis_id)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "INIT" and body["result"] is None and body["endTime"] is None

    control.advance(1)
    assert sparrow.status(analysis_id) == "INIT"
    again = sparrow.stop(analysis_id)  # a repeated stop while still INIT is 200 again
    assert again.status_code == 200 and again.get_json()["status"] == "INIT"

    control.advance(1)  # the allocation moment: straight to STOP
    body = sparrow.get(analysis_id).get_json()
    assert body["status"] == "STOP"
    assert body["result"] == "FAIL" and body["resultCode"] == "ANALYSIS_STOPPED"
    assert body["endTime"] is not None
    history = [h["state"] for h in control.resource("sparrow", "analysis", analysis_id)["history"]]
    assert history == ["INIT", "STOP"]  # it never showed READY

    control.advance(60)
    assert sparrow.status(analysis_id) == "STOP"


@pytest.mark.parametrize("state", ["READY", "PRE_PROCESS", "ANALYSIS"])
def test_stop_while_running_stops_at_once(sparrow, control, state):
    analysis_id = sparrow.in_state(state)
    response = sparrow.stop(analysis_id)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "STOP" and body["result"] == "FAIL" and body["resultCode"] == "ANALYSIS_STOPPED"
    assert body["endTime"] is not None
    control.advance(60)
    after = sparrow.get(analysis_id).get_json()
    assert after["status"] == "STOP" and after["endTime"] == body["endTime"]


def test_stop_during_post_process_is_accepted_but_the_analysis_completes(sparrow, control):
    analysis_id = sparrow.in_state("POST_PROCESS")
    response = sparrow.stop(analysis_id)
    assert response.status_code == 200
    assert response.get_json()["status"] == "POST_PROCESS"
    assert response.get_json()["result"] is None
    control.advance(2)
    body = sparrow.get(analysis_id).get_json()
    assert body["status"] == "COMPLETE" and body["result"] == "SUCCESS" and body["resultCode"] is None
    assert sparrow.result(analysis_id).status_code == 200


@pytest.mark.parametrize(("final", "code"), [("COMPLETE", "ANALYSIS_ALREADY_COMPLETED"),
                                             ("STOP", "ANALYSIS_ALREADY_STOPPED")])
def test_stop_in_a_terminal_state_is_400_with_its_result_code(sparrow, control, final, code):
    analysis_id = sparrow.in_state("COMPLETE" if final == "COMPLETE" else "READY")
    if final == "STOP":
        assert sparrow.stop(analysis_id).status_code == 200
    response = sparrow.stop(analysis_id)
    assert response.status_code == 400
    assert response.get_json() == {"resultCode": code, "message": response.get_json()["message"]}
    assert response.get_json()["message"]
    control.advance(10)
    assert sparrow.status(analysis_id) == final


@pytest.mark.parametrize(("path_id", "code"), [("999999", "ANALYSIS_NOT_FOUND"), ("abc", "INVALID_PARAMETER"),
                                               ("0", "INVALID_PARAMETER"), ("-3", "INVALID_PARAMETER")])
def test_stop_of_an_unknown_or_malformed_id_is_400_never_404(sparrow, path_id, code):
    response = sparrow.stop(path_id)
    assert response.status_code == 400
    assert response.get_json()["resultCode"] == code


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"},
                                     {"Authorization": "demo-key"}])
def test_stop_without_a_bearer_key_is_401_and_changes_nothing(sparrow, control, headers):
    analysis_id = sparrow.in_state("READY")
    response = sparrow.stop(analysis_id, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["resultCode"] == "UNAUTHORIZED"
    assert control.state("sparrow", "analysis", analysis_id) == "READY"


def test_with_keys_in_the_scenario_only_those_keys_are_accepted(sparrow, control):
    control.load({"name": "keys", "auth": {"sparrow": {"keys": ["demo-key"]}}})
    analysis_id = sparrow.in_state("READY")
    wrong = sparrow.stop(analysis_id, headers={"Authorization": "Bearer other"})
    assert wrong.status_code == 401 and wrong.get_json()["resultCode"] == "UNAUTHORIZED"
    assert control.state("sparrow", "analysis", analysis_id) == "READY"
    assert sparrow.stop(analysis_id).status_code == 200
    assert control.state("sparrow", "analysis", analysis_id) == "STOP"
