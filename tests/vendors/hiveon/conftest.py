import pytest

KEY = {"X-API-Key": "demo-key"}
PREFIX = "/vendors/v1/machines/deployments"
STOP_BODY = {"metadata": {"CLORE_API_KEY": "clore-secret-123"}}
MACHINE = "6f1c2b8e-0a4d-4b7e-9c3f-5e2d1a0b9c87"
PRICE = "price-1"


def start_body(**overrides):
    body = {
        "machine_id": MACHINE,
        "machine_price_id": PRICE,
        "container_config": {
            "image": "nginx:1.27",
            "ports": [{"host_port": 8080, "protocol": "PORT_PROTOCOL_HTTPS"}],
            "environment_variables": {"MODE": "demo"},
        },
        "metadata": {"team": "demo"},
    }
    body.update(overrides)
    return body


class Hiveon:
    """Hiveon's API through the test client, plus the control API for the clock and state."""

    def __init__(self, client, control):
        self.client = client
        self.control = control

    def start(self, body=None, headers=KEY):
        return self.client.post(f"{PREFIX}/start", json=start_body() if body is None else body, headers=headers)

    def new(self, **overrides) -> str:
        response = self.start(start_body(**overrides))
        assert response.status_code == 200, response.get_json()
        return response.get_json()["deployment_id"]

    def get(self, some_id, headers=KEY):
        return self.client.get(f"{PREFIX}/{some_id}", headers=headers)

    def stop(self, deployment_id, body=STOP_BODY, headers=KEY, **kwargs):
        if body is not None:
            kwargs["json"] = body
        return self.client.post(f"{PREFIX}/{deployment_id}/stop", headers=headers, **kwargs)

    def status(self, some_id) -> str:
        response = self.get(some_id)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["status"]

    def resource(self, deployment_id) -> dict:
        return self.control.resource("hiveon", "deployment", deployment_id)

    def history(self, deployment_id) -> list[str]:
        return [h["state"] for h in self.resource(deployment_id)["history"]]

    def load(self, name="hiveon-test", **sections) -> dict:
        return self.control.load({"name": name, **sections})


def assert_error(response, status: int, code: int, *, contains: str = ""):
    """The gRPC-gateway envelope {code, message, details}, with the gRPC code for the status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["details"], list)
    assert contains in body["message"]
    return body


@pytest.fixture
def hiveon(client, control):
    return Hiveon(client, control)
