"""Every error under /vendors is in Hiveon's envelope: routes, methods, sizes; the legacy switch."""
import pytest

from simulator.app import create_app
from simulator.settings import Settings

from .conftest import KEY, PREFIX, assert_error, start_body


def test_an_unknown_route_under_the_prefix_is_404_in_the_envelope(client):
    for path in ("/vendors/v1/machines", "/vendors/v2/anything", f"{PREFIX}/x/y/z"):
        assert_error(client.get(path, headers=KEY), 404, 5)


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("PUT", f"{PREFIX}/start", {"POST", "OPTIONS"}),
    ("DELETE", f"{PREFIX}/abc", {"GET", "HEAD", "OPTIONS"}),
    ("GET", f"{PREFIX}/abc/stop", {"POST", "OPTIONS"}),
])
def test_a_wrong_method_is_405_with_the_allow_header(client, method, path, allowed):
    response = client.open(path, method=method, headers=KEY)
    assert_error(response, 405, 12)
    assert set(response.headers["Allow"].split(", ")) == allowed


def test_an_oversized_body_is_413_in_the_envelope():
    app = create_app(Settings(max_body_bytes=2048))
    client = app.test_client()
    body = start_body(metadata={"blob": "x" * 4096})
    response = client.post(f"{PREFIX}/start", json=body, headers=KEY)
    assert_error(response, 413, 8)
    assert client.get("/_simulator/resources?vendor=hiveon").get_json()["count"] == 0


def test_validation_errors_list_every_field_violation(hiveon):
    body = start_body(machine_id="", container_config={"image": "", "ports": [{"host_port": 0}]})
    error = assert_error(hiveon.start(body), 400, 3)
    fields = {v["field"] for v in error["details"][0]["field_violations"]}
    assert {"machine_id", "container_config.image", "container_config.ports.0.host_port",
            "container_config.ports.0.protocol"} <= fields


def test_a_map_key_named_like_a_request_location_stays_in_the_field_path(hiveon, control):
    # "json", "path" and "headers" are webargs' locations only at the top of its messages; a client's
    # own metadata key of that name is part of the field that is wrong.
    error = assert_error(hiveon.start(start_body(metadata={"json": 1, "headers": 2, "team": "a"})), 400, 3)
    assert error["details"][0]["field_violations"] == [
        {"field": "metadata.json.value", "description": "Not a valid string."},
        {"field": "metadata.headers.value", "description": "Not a valid string."},
    ]
    assert control.client.get("/_simulator/resources?vendor=hiveon").get_json()["count"] == 0


def test_field_violations_stop_at_twenty(hiveon):
    body = start_body(metadata={f"k{i}": i for i in range(50)})
    violations = assert_error(hiveon.start(body), 400, 3)["details"][0]["field_violations"]
    assert [v["field"] for v in violations] == [f"metadata.k{i}.value" for i in range(20)]

def test_the_legacy_error_shape_is_a_setting(hiveon, client):
    hiveon.load(settings={"hiveon": {"error_shape": "legacy"}}, auth={"hiveon": {"keys": ["demo-key"]}})
    cases = [
        (hiveon.get("nope"), 404),
        (hiveon.get("nope", headers={}), 401),
        (hiveon.start({}), 400),
        (client.put(f"{PREFIX}/start", headers=KEY), 405),
    ]
    for response, status in cases:
        assert response.status_code == status
        body = response.get_json()
        assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]


def test_an_unknown_error_shape_is_refused(client):
    scenario = {"name": "bad", "settings": {"hiveon": {"error_shape": "xml"}}}
    response = client.post("/_simulator/scenarios", json=scenario)
    assert response.status_code == 400
    assert [d["path"] for d in response.get_json()["details"]] == ["settings.hiveon.error_shape"]
