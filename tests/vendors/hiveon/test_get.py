"""GET a deployment (reference sections 2 and 2.3): id first, then external id; the object shown."""
from .conftest import KEY, PREFIX, assert_error


def test_get_by_deployment_id_and_by_external_id_give_the_same_object(hiveon):
    deployment_id = hiveon.new(external_deployment_id="shop-17")
    by_id = hiveon.get(deployment_id)
    by_external = hiveon.get("shop-17")
    assert by_id.status_code == by_external.status_code == 200
    assert by_id.get_json() == by_external.get_json()
    assert by_id.get_json()["deployment_id"] == deployment_id


def test_a_deployment_id_wins_over_an_equal_external_id(hiveon):
    first = hiveon.new()
    second = hiveon.new(external_deployment_id=first)  # another deployment uses the first's id as its external id
    assert hiveon.get(first).get_json()["deployment_id"] == first
    assert hiveon.get(second).get_json()["external_deployment_id"] == first


def test_an_unknown_id_is_404_not_found(hiveon):
    hiveon.new(external_deployment_id="known")
    assert_error(hiveon.get("d4c1e8f2-0000-4000-8000-000000000000"), 404, 5, contains="deployment not found")
    assert_error(hiveon.get("not-a-uuid-at-all"), 404, 5)  # ids are opaque: never a 400 for the format


def test_get_on_the_start_path_is_405_with_allow_post(hiveon, client):
    response = client.get(f"{PREFIX}/start", headers=KEY)
    assert_error(response, 405, 12)
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_fail_reason_is_omitted_unless_failed(hiveon, control):
    deployment_id = hiveon.new()
    for _ in range(2):
        assert "fail_reason" not in hiveon.get(deployment_id).get_json()
        control.advance(3)
    hiveon.stop(deployment_id)
    assert "fail_reason" not in hiveon.get(deployment_id).get_json()


def test_metadata_is_echoed_without_any_secret(hiveon, control):
    metadata = {"team": "ml", "CLORE_API_KEY": "clore-1", "clore_api_key": "clore-2", "GITHUB_TOKEN": "t",
                "db_password": "p", "client_secret": "s", "note": "keep me"}
    deployment_id = hiveon.new(metadata=metadata)
    assert hiveon.get(deployment_id).get_json()["metadata"] == {"team": "ml", "note": "keep me"}
    stored = control.resource("hiveon", "deployment", deployment_id)["fields"]
    assert stored["metadata"] == {"team": "ml", "note": "keep me"}


def test_no_secret_of_the_start_call_is_stored_or_shown(hiveon, client, control):
    body = {
        "machine_id": "m", "machine_price_id": "p",
        "container_config": {
            "image": "img",
            "docker_auth": {"server": "r", "login": "u", "password": "docker-pass-xyz"},
            "environment_variables": {"DB_URL": "postgres://u:env-pass-xyz@h/db"},
            "startup_script": "export SECRET=script-secret-xyz",
        },
        "metadata": {"CLORE_API_KEY": "clore-key-xyz"},
    }
    deployment_id = hiveon.start(body, headers={"X-API-Key": "api-key-xyz"}).get_json()["deployment_id"]
    hiveon.stop(deployment_id, body={"metadata": {"CLORE_API_KEY": "stop-key-xyz", "other": "x"}})
    shown = [
        hiveon.get(deployment_id).get_data(as_text=True),
        client.get(f"/_simulator/resources/hiveon/deployment/{deployment_id}").get_data(as_text=True),
        client.get("/_simulator/resources?vendor=hiveon").get_data(as_text=True),
    ]
    for text in shown:
        for secret in ("docker-pass-xyz", "env-pass-xyz", "script-secret-xyz", "clore-key-xyz",
                       "api-key-xyz", "stop-key-xyz", "CLORE_API_KEY"):
            assert secret not in text
    fields = control.resource("hiveon", "deployment", deployment_id)["fields"]
    assert set(fields) == {"machine_id", "machine_price_id", "external_deployment_id", "image", "metadata", "container"}
    assert fields["container"] == {"docker_auth": {"server": "r", "login": "u", "password": "***"},
                                   "environment_variables": {"DB_URL": "***"}, "startup_script": "***"}
