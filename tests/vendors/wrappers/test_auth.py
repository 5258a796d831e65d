"""Bearer tokens mapped to roles (reference 2), in the code reading (default) and the docs reading."""
from __future__ import annotations

import pytest

from tests.conftest import SCENARIOS

from .helpers import API_ID, BASE, api_body, api_running, load

ADMIN = {"Authorization": "Bearer admin-token"}
READER = {"Authorization": "Bearer reader-token"}
TOKENS = {"tokens": {"admin-token": ["admin"], "reader-token": []}}


def _roles(control, *resources, settings=None):
    load(control, *resources, auth=TOKENS, settings=settings)


def test_without_a_token_table_any_bearer_token_is_an_admin(client):
    answer = client.post(f"{BASE}/generate", json=api_body(), headers={"Authorization": "Bearer anything"})
    assert answer.status_code == 200 and answer.get_json()["status"] == "pending"


def test_the_roles_scenario_file_has_an_admin_and_a_reader(client, control):
    control.client.post("/_simulator/scenarios", data=(SCENARIOS / "wrappers-roles.yaml").read_text(),
                        content_type="application/yaml")
    assert client.post(f"{BASE}/generate", json=api_body(), headers=ADMIN).status_code == 200
    assert client.get(f"{BASE}/", headers=READER).status_code == 200
    assert client.post(f"{BASE}/generate", json=api_body(), headers=READER).status_code == 403


@pytest.mark.parametrize("method,path", [
    ("get", f"{BASE}/"), ("get", f"{BASE}/{API_ID}"), ("get", f"{BASE}/{API_ID}/health"),
    ("get", f"{BASE}/{API_ID}/logs"), ("get", f"{BASE}/{API_ID}/monitoring"),
])
def test_a_reader_may_read(client, control, method, path):
    _roles(control, api_running())
    assert getattr(client, method)(path, headers=READER).status_code == 200


@pytest.mark.parametrize("method,path", [
    ("post", f"{BASE}/generate"), ("post", f"{BASE}/{API_ID}/execute"), ("post", f"{BASE}/{API_ID}/stop"),
    ("post", f"{BASE}/{API_ID}/regenerate"), ("post", f"{BASE}/files/upload"), ("delete", f"{BASE}/files/x"),
    ("delete", "/resources/65f1a2b3c4d5e6f708192a3b"),
])
def test_a_reader_may_not_write(client, control, method, path):
    _roles(control, api_running())
    answer = getattr(client, method)(path, headers=READER)
    assert (answer.status_code, answer.get_json()) == (403, {"detail": "Admin access required"})
    assert client.get(f"{BASE}/{API_ID}", headers=ADMIN).get_json()["status"] == "executing"  # nothing happened


@pytest.mark.parametrize("headers,status,detail", [
    ({}, 403, "Not authenticated"),
    ({"Authorization": "Bearer "}, 403, "Not authenticated"),
    ({"Authorization": "Basic YWRtaW46YWRtaW4="}, 403, "Invalid authentication credentials"),
    ({"Authorization": "Bearer stolen-token"}, 401, "Invalid or expired token"),
])
def test_code_auth_failures(client, control, headers, status, detail):
    _roles(control, api_running())
    answer = client.post(f"{BASE}/{API_ID}/stop", headers=headers)
    assert (answer.status_code, answer.get_json()) == (status, {"detail": detail})
    assert answer.headers.get("WWW-Authenticate") == ("Bearer" if status == 401 else None)
    assert "stolen-token" not in answer.get_data(as_text=True)
    assert client.get(f"{BASE}/{API_ID}", headers=ADMIN).get_json()["status"] == "executing"


@pytest.mark.parametrize("headers,detail", [
    ({}, "Not authenticated"),
    ({"Authorization": "Basic YWRtaW46YWRtaW4="}, "Invalid authentication credentials"),
    ({"Authorization": "Bearer stolen-token"}, "Invalid or expired token"),
    (READER, "Admin access required"),
])
def test_docs_every_auth_failure_is_401(client, control, headers, detail):
    _roles(control, api_running(), settings={"profile": "docs"})
    answer = client.post(f"{BASE}/{API_ID}/stop", headers=headers)
    assert (answer.status_code, answer.get_json()) == (401, {"detail": detail})
    assert answer.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("profile", ["docs", "code"])
def test_an_unreachable_identity_provider_is_503(client, control, profile):
    load(control, api_running(), auth={**TOKENS, "provider_down": True}, settings={"profile": profile})
    answer = client.get(f"{BASE}/{API_ID}", headers=ADMIN)
    assert (answer.status_code, answer.get_json()) == (503, {"detail": "Authentication service unavailable"})


def test_validation_comes_after_authentication(client, control):
    _roles(control)
    assert client.post(f"{BASE}/generate", json={}, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.post(f"{BASE}/generate", json={}, headers=ADMIN).status_code == 422
