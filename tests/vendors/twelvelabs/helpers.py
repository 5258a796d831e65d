"""Shared request builders for the TwelveLabs tests."""
from __future__ import annotations

from datetime import datetime
from typing import Any

KEY = {"x-api-key": "test-key"}
BASE = "/v1.3/analyze/batches"


def asset(n: int) -> str:
    return f"{0x66a000000000000000000000 + n:024x}"


def general_body(n: int = 3, **extra: Any) -> dict[str, Any]:
    body = {
        "model_name": "pegasus1.5",
        "analysis_mode": "general",
        "defaults": {"prompt": {"input_text": "Summarise the video."}},
        "requests": [{"video": {"type": "asset_id", "asset_id": asset(i)}, "custom_id": f"item-{i}"}
                     for i in range(n)],
    }
    body.update(extra)
    return body


def segments_body(n: int = 2) -> dict[str, Any]:
    return {
        "model_name": "pegasus1.5",
        "analysis_mode": "time_based_metadata",
        "defaults": {"response_format": {"type": "segment_definitions", "segment_definitions": [
            {"id": "goals", "description": "A goal is scored"}]}},
        "requests": [{"video": {"type": "asset_id", "asset_id": asset(i)}} for i in range(n)],
    }


def create(client, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None):
    return client.post(BASE, json=general_body() if body is None else body, headers=KEY if headers is None else headers)


def create_ok(client, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = create(client, body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def retrieve(client, batch_id: str):
    return client.get(f"{BASE}/{batch_id}", headers=KEY)


def batch(client, batch_id: str) -> dict[str, Any]:
    response = retrieve(client, batch_id)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def results(client, batch_id: str) -> list[dict[str, Any]]:
    import json

    response = client.get(f"{BASE}/{batch_id}/results", headers=KEY)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/jsonl"
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def cancel(client, batch_id: str):
    return client.post(f"{BASE}/{batch_id}/cancel", headers=KEY)


def listing(client, query: str = "") -> dict[str, Any]:
    response = client.get(f"{BASE}{query}", headers=KEY)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def counters(body: dict[str, Any]) -> dict[str, int]:
    return {status: body[f"{status}_items"] for status in ("queued", "processing", "ready", "failed", "canceled")}


def ts(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def error_of(response) -> tuple[str, str]:
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}, body
    return body["error"]["code"], body["error"]["message"]


def settings(control, **values: Any) -> None:
    control.load({"name": "test-settings", "settings": {"twelvelabs": values}})
