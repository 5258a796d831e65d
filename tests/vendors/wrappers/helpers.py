"""Shared request bodies and calls for the wrappers tests."""
from __future__ import annotations

import io

ADMIN = {"Authorization": "Bearer admin-token"}
BASE = "/resources/wrappers"
METADATA = {
    "name": "Overnight stays", "domain": "Economy", "subdomain": "Tourism", "description": "Stays",
    "unit": "stays", "source": "INE", "scale": "regional", "governance_indicator": False, "periodicity": "monthly",
}
API_ID = "5d6e7f80-91a2-4b3c-8d4e-5f60718293a4"
CSV_ID = "1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081"
FILE_ID = "0f0c8a3e-2b7d-4c1e-9a55-3d2f4e6a7b81"
RESOURCE_ID = "65f1a2b3c4d5e6f708192a3b"


def api_body(**overrides) -> dict:
    body = {"source_type": "API", "source_config": {"location": "https://api.example.com/v1/x"}, "metadata": METADATA}
    return {**body, **overrides}


def generate(client, body: dict | None = None, headers=ADMIN) -> dict:
    response = client.post(f"{BASE}/generate", json=body or api_body(), headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def upload(client, content: bytes = b"date,value\n2026-01-01,1.5\n2026-01-02,2.5\n", name: str = "data.csv"):
    return client.post(f"{BASE}/files/upload", data={"file": (io.BytesIO(content), name)}, headers=ADMIN,
                       content_type="multipart/form-data")


def get(client, wrapper_id: str) -> dict:
    response = client.get(f"{BASE}/{wrapper_id}", headers=ADMIN)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def stop(client, wrapper_id: str):
    return client.post(f"{BASE}/{wrapper_id}/stop", headers=ADMIN)


def execute(client, wrapper_id: str):
    return client.post(f"{BASE}/{wrapper_id}/execute", headers=ADMIN)


def load(control, *resources, settings: dict | None = None, auth: dict | None = None, name: str = "test") -> None:
    scenario: dict = {"name": name, "resources": list(resources)}
    if settings is not None:
        scenario["settings"] = {"wrappers": settings}
    if auth is not None:
        scenario["auth"] = {"wrappers": auth}
    control.load(scenario)


def api_running(ran_for: str = "10m", **fields) -> dict:
    return {"vendor": "wrappers", "kind": "wrapper", "id": API_ID, "state": "executing",
            "fields": {"source_type": "API", "ran_for": ran_for, "resource_id": RESOURCE_ID, **fields}}


def csv_completed(**fields) -> dict:
    return {"vendor": "wrappers", "kind": "wrapper", "id": CSV_ID, "state": "completed",
            "fields": {"source_type": "CSV", "ran_for": "1h", **fields}}


def marks(wrapper: dict) -> dict:
    keys = ("data_points_count", "last_data_sent", "high_water_mark", "low_water_mark", "phase")
    return {key: wrapper[key] for key in keys}
