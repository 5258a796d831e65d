"""X-API-Key (reference section 1): 401 missing or unknown, 403 without the role, on every endpoint."""
import pytest

from .conftest import PREFIX, STOP_BODY, assert_error, start_body

ROLES = {"hiveon": {"keys": ["good-key"], "without_role": ["reader-key"]}}


def _calls(hiveon, deployment_id):
    """Each endpoint as a function of the headers."""
    return {
        "start": lambda headers: hiveon.start(start_body(), headers=headers),
        "get": lambda headers: hiveon.get(deployment_id, headers=headers),
        "stop": lambda headers: hiveon.stop(deployment_id, headers=headers),
    }


@pytest.fixture
def seeded(hiveon):
    hiveon.load(auth=ROLES, resources=[
        {"vendor": "hiveon", "kind": "deployment", "id": "dep-1", "state": "STATUS_RUNNING"}])
    return "dep-1"


@pytest.mark.parametrize("endpoint", ["start", "get", "stop"])
@pytest.mark.parametrize("headers", [{}, {"X-API-Key": ""}, {"X-API-Key": "  "}, {"X-API-Key": "unknown"},
                                     {"Authorization": "Bearer good-key"}])
def test_a_missing_or_unknown_key_is_401_and_nothing_changes(hiveon, control, seeded, endpoint, headers):
    response = _calls(hiveon, seeded)[endpoint](headers)
    assert_error(response, 401, 16)
    assert "unknown" not in response.get_data(as_text=True)  # the key is never echoed
    assert control.state("hiveon", "deployment", seeded) == "STATUS_RUNNING"
    assert control.client.get("/_simulator/resources?vendor=hiveon").get_json()["count"] == 1


@pytest.mark.parametrize("endpoint", ["start", "get", "stop"])
def test_a_key_without_the_role_is_403_and_nothing_changes(hiveon, control, seeded, endpoint):
    response = _calls(hiveon, seeded)[endpoint]({"X-API-Key": "reader-key"})
    assert_error(response, 403, 7)
    assert control.state("hiveon", "deployment", seeded) == "STATUS_RUNNING"
    assert control.client.get("/_simulator/resources?vendor=hiveon").get_json()["count"] == 1


@pytest.mark.parametrize("endpoint", ["start", "get", "stop"])
def test_a_listed_key_with_the_role_is_accepted(hiveon, seeded, endpoint):
    assert _calls(hiveon, seeded)[endpoint]({"X-API-Key": "good-key"}).status_code == 200


def test_without_listed_keys_any_non_empty_key_is_accepted(hiveon):
    deployment_id = hiveon.new()
    assert hiveon.get(deployment_id, headers={"X-API-Key": "anything-at-all"}).status_code == 200
    assert_error(hiveon.get(deployment_id, headers={}), 401, 16)


def test_without_listed_keys_a_key_without_the_role_is_still_403(hiveon):
    hiveon.load(auth={"hiveon": {"without_role": ["reader-key"]}})
    assert_error(hiveon.start(headers={"X-API-Key": "reader-key"}), 403, 7)
    assert hiveon.start(headers={"X-API-Key": "someone"}).status_code == 200


def test_auth_is_checked_before_the_body(hiveon, seeded, client):
    response = client.post(f"{PREFIX}/start", data="{not json", content_type="application/json")
    assert_error(response, 401, 16)
    response = client.post(f"{PREFIX}/{seeded}/stop", json={}, headers={"X-API-Key": "reader-key"})
    assert_error(response, 403, 7)


def test_a_key_cannot_both_have_and_lack_the_role(client):
    response = client.post("/_simulator/scenarios", json={
        "name": "bad", "auth": {"hiveon": {"keys": ["k"], "without_role": ["k"]}}})
    assert response.status_code == 400
    assert [d["path"] for d in response.get_json()["details"]] == ["auth.hiveon.without_role"]


def test_the_stop_body_key_is_not_an_api_key(hiveon, seeded):
    """CLORE_API_KEY in the body authenticates nothing: the header decides."""
    response = hiveon.stop(seeded, body={"metadata": {"CLORE_API_KEY": "good-key"}}, headers={})
    assert_error(response, 401, 16)
    assert hiveon.stop(seeded, body=STOP_BODY, headers={"X-API-Key": "good-key"}).status_code == 200
