"""List, get, regenerate, health, logs, monitoring, files and the error shapes (reference 1 and 3)."""
from __future__ import annotations

import pytest

from .helpers import (
    ADMIN,
    API_ID,
    BASE,
    CSV_ID,
    FILE_ID,
    METADATA,
    RESOURCE_ID,
    api_body,
    api_running,
    csv_completed,
    generate,
    get,
    load,
    marks,
    upload,
)

UNKNOWN = "00000000-0000-4000-8000-00000000beef"


def test_list_pages_in_insertion_order(client):
    ids = [generate(client)["wrapper_id"] for _ in range(4)]
    answer = client.get(f"{BASE}/", headers=ADMIN)
    assert answer.status_code == 200 and [w["wrapper_id"] for w in answer.get_json()] == ids
    page = client.get(f"{BASE}/?skip=1&limit=2", headers=ADMIN).get_json()
    assert [w["wrapper_id"] for w in page] == ids[1:3]
    assert [w["wrapper_id"] for w in client.get(f"{BASE}/?limit=0", headers=ADMIN).get_json()] == ids  # Mongo: no limit
    assert client.get(f"{BASE}/?skip=9", headers=ADMIN).get_json() == []


def test_list_defaults_to_ten(client):
    for _ in range(11):
        generate(client)
    assert len(client.get(f"{BASE}/", headers=ADMIN).get_json()) == 10


def test_list_query_validation_is_a_fastapi_422(client):
    answer = client.get(f"{BASE}/?limit=ten", headers=ADMIN)
    assert answer.status_code == 422
    assert answer.get_json() == {"detail": [{
        "type": "int_parsing", "loc": ["query", "limit"],
        "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "ten"}]}
    negative = client.get(f"{BASE}/?skip=-1", headers=ADMIN).get_json()["detail"][0]
    assert (negative["type"], negative["loc"], negative["input"]) == ("greater_than_equal", ["query", "skip"], "-1")


def test_code_list_without_slash_is_the_resource_lookup(client):
    generate(client)
    answer = client.get(BASE)  # no token needed: the resource lookup is public
    assert (answer.status_code, answer.get_json()) == (400, {"detail": "Invalid resource ID"})


def test_docs_list_without_slash_lists(client, control):
    load(control, settings={"profile": "docs"})
    wid = generate(client)["wrapper_id"]
    answer = client.get(BASE, headers=ADMIN)
    assert answer.status_code == 200 and [w["wrapper_id"] for w in answer.get_json()] == [wid]
    assert client.get(BASE).status_code == 401  # and it needs a token like every wrapper route
    assert client.get(f"{BASE}?limit=x", headers=ADMIN).get_json()["detail"][0]["loc"] == ["query", "limit"]


def test_get_unknown_wrapper_is_404(client):
    answer = client.get(f"{BASE}/{UNKNOWN}", headers=ADMIN)
    assert (answer.status_code, answer.get_json()) == (404, {"detail": "Wrapper not found"})


def test_the_wrapper_object_has_every_field_and_no_secret(client):
    body = api_body(source_config={
        "location": "https://user:hunter2@api.example.com/v1", "auth_type": "api_key", "api_key": "sk-live-123",
        "bearer_token": "tok-456", "custom_headers": {"Authorization": "Bearer tok-789"},
        "query_params": {"apikey": "k-000", "region": "north"}})
    created = generate(client, body)
    assert list(created) == [
        "wrapper_id", "resource_id", "metadata", "source_type", "source_config", "generated_code", "created_at",
        "updated_at", "completed_at", "status", "error_message", "execution_log", "last_health_check",
        "last_data_sent", "data_points_count", "monitoring_details", "phase", "high_water_mark", "low_water_mark",
        "retry_count", "execution_result"]
    assert created["metadata"] == {**METADATA, "carrying_capacity": None}
    config = created["source_config"]
    assert config["location"] == "https://user:********@api.example.com/v1"
    assert (config["api_key"], config["bearer_token"], config["password"]) == ("********", "********", None)
    assert config["custom_headers"] == {"Authorization": "********"}
    assert config["query_params"] == {"apikey": "********", "region": "north"}
    assert (config["auth_type"], config["api_key_header"], config["timeout_seconds"]) == ("api_key", "X-API-Key", 30)
    shown = str(client.get(f"/_simulator/resources/wrappers/wrapper/{created['wrapper_id']}").get_json())
    for secret in ("hunter2", "sk-live-123", "tok-456", "tok-789", "k-000"):
        assert secret not in shown and secret not in str(created)
    assert created["created_at"][10] == "T" and len(created["created_at"]) == 26  # naive, microseconds


def test_generate_without_auto_resource(client):
    created = generate(client, api_body(auto_create_resource=False))
    assert created["resource_id"] is None


def test_generate_validation_points_into_the_body(client):
    metadata = {k: v for k, v in METADATA.items() if k != "unit"}
    answer = client.post(f"{BASE}/generate", json=api_body(metadata=metadata), headers=ADMIN)
    assert answer.status_code == 422
    assert answer.get_json() == {"detail": [
        {"type": "missing", "loc": ["body", "metadata", "unit"], "msg": "Field required", "input": metadata}]}
    bad = client.post(f"{BASE}/generate", json={**api_body(), "source_type": "FTP"}, headers=ADMIN).get_json()
    assert bad["detail"] == [{"type": "enum", "loc": ["body", "source_type"],
                              "msg": "Input should be 'API', 'CSV' or 'XLSX'", "input": "FTP"}]
    csv = client.post(f"{BASE}/generate", json={**api_body(), "source_type": "CSV", "source_config": {}}, headers=ADMIN)
    assert csv.get_json()["detail"][0]["loc"] == ["body", "source_config", "file_id"]
    url = client.post(f"{BASE}/generate", json=api_body(source_config={"location": "ftp://x"}), headers=ADMIN)
    assert url.get_json()["detail"][0]["type"] == "string_pattern_mismatch"
    strict = client.post(f"{BASE}/generate", json=api_body(auto_create_resource="yes"), headers=ADMIN).get_json()
    assert strict["detail"][0] == {"type": "bool_type", "loc": ["body", "auto_create_resource"],
                                   "msg": "Input should be a valid boolean", "input": "yes"}
    assert client.get(f"{BASE}/", headers=ADMIN).get_json() == []  # nothing was created


def test_generate_ignores_unknown_fields_like_pydantic(client):
    created = generate(client, {**api_body(), "colour": "blue"})
    assert created["status"] == "pending" and "colour" not in created


def test_generate_with_malformed_json_is_a_json_invalid_422(client):
    answer = client.post(f"{BASE}/generate", data="{oops", content_type="application/json", headers=ADMIN)
    assert answer.status_code == 422
    assert answer.get_json()["detail"][0]["type"] == "json_invalid"
    assert answer.get_json()["detail"][0]["msg"] == "JSON decode error"


def test_generate_with_a_file_never_uploaded_is_400(client):
    answer = client.post(f"{BASE}/generate", json={**api_body(), "source_type": "CSV",
                                                   "source_config": {"file_id": "nope"}}, headers=ADMIN)
    assert (answer.status_code, answer.get_json()) == (400, {"detail": "File not found: nope"})


def test_an_oversized_body_is_413_in_the_envelope(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    answer = client.post(f"{BASE}/generate", json=api_body(metadata={**METADATA, "description": "x" * 2000}),
                         headers=ADMIN)
    assert (answer.status_code, answer.get_json()) == (413, {"detail": "Request body too large"})


def test_unknown_routes_and_methods_answer_in_the_envelope(client):
    assert client.get("/resources/nothing/here", headers=ADMIN).get_json() == {"detail": "Not Found"}
    answer = client.get(f"{BASE}/generate", headers=ADMIN)
    assert (answer.status_code, answer.get_json()) == (405, {"detail": "Method Not Allowed"})
    assert "POST" in answer.headers["Allow"] and "GET" not in answer.headers["Allow"]


def test_code_regenerate_resets_to_pending_and_runs_the_flow_again(client, control):
    load(control, api_running())
    assert get(client, API_ID)["data_points_count"] == 1200
    answer = client.post(f"{BASE}/{API_ID}/regenerate", headers=ADMIN)
    assert answer.status_code == 200
    reset = answer.get_json()
    assert (reset["status"], reset["generated_code"], reset["data_points_count"], reset["phase"]) == (
        "pending", None, 0, "historical")
    assert (reset["high_water_mark"], reset["low_water_mark"], reset["last_data_sent"]) == (None, None, None)
    assert (reset["execution_log"], reset["execution_result"], reset["completed_at"]) == ([], None, None)
    assert reset["resource_id"] == RESOURCE_ID
    control.advance(4)
    assert get(client, API_ID)["status"] == "executing"
    missing = client.post(f"{BASE}/{UNKNOWN}/regenerate", headers=ADMIN)
    assert (missing.status_code, missing.get_json()) == (404, {"detail": f"Wrapper {UNKNOWN} not found"})


def test_docs_has_no_regenerate(client, control):
    load(control, api_running(), settings={"profile": "docs"})
    answer = client.post(f"{BASE}/{API_ID}/regenerate", headers=ADMIN)
    assert (answer.status_code, answer.get_json()) == (404, {"detail": "Not Found"})
    assert client.post(f"{BASE}/{API_ID}/regenerate").status_code == 404  # like any unknown path: no auth first
    assert get(client, API_ID)["status"] == "executing"


def test_health_logs_and_monitoring_of_a_running_wrapper(client, control):
    load(control, api_running(ran_for="20s"))
    health = client.get(f"{BASE}/{API_ID}/health", headers=ADMIN)
    assert health.get_json() == {"wrapper_id": API_ID, "health_status": "healthy", "is_actively_executing": True}
    assert get(client, API_ID)["last_health_check"] is not None
    logs = client.get(f"{BASE}/{API_ID}/logs?limit=3", headers=ADMIN).get_json()
    assert logs["total_lines"] == 3 and logs["logs"][-1].endswith("Sent batch 4: 10 data points (continuous)")
    everything = client.get(f"{BASE}/{API_ID}/logs", headers=ADMIN).get_json()
    assert everything["total_lines"] == 5 and "Wrapper process started" in everything["logs"][0]
    monitoring = client.get(f"{BASE}/{API_ID}/monitoring", headers=ADMIN).get_json()
    assert monitoring["health_status"] == "healthy"
    details = monitoring["monitoring_details"]
    assert (details["process_running"], details["execution_mode"]) == (True, "continuous")
    assert details["data_points_sent"] == 40
    assert details["uptime_seconds"] == 20


def test_health_logs_and_monitoring_of_an_unknown_wrapper_are_not_errors(client):
    assert client.get(f"{BASE}/{UNKNOWN}/health", headers=ADMIN).get_json() == {
        "wrapper_id": UNKNOWN, "health_status": "UNKNOWN", "is_actively_executing": False}
    assert client.get(f"{BASE}/{UNKNOWN}/logs", headers=ADMIN).get_json() == {
        "wrapper_id": UNKNOWN, "logs": [f"Wrapper {UNKNOWN} not found"], "total_lines": 1}
    assert client.get(f"{BASE}/{UNKNOWN}/monitoring", headers=ADMIN).get_json() == {
        "wrapper_id": UNKNOWN, "health_status": "UNKNOWN", "monitoring_details": {"error": "Wrapper not found"}}


GENERATING = {"vendor": "wrappers", "kind": "wrapper", "id": API_ID, "state": "generating", "remaining": "3s",
              "fields": {"source_type": "API"}}


def test_docs_health_only_reads(client, control):
    load(control, GENERATING)
    health = client.get(f"{BASE}/{API_ID}/health", headers=ADMIN).get_json()
    assert health["health_status"] == "crashed"
    assert get(client, API_ID)["status"] == "generating"


def test_code_health_flips_a_wrapper_without_a_live_process_to_error(client, control):
    load(control, GENERATING, settings={"behaviours": {"health_side_effect": "code"}})
    monitoring = client.get(f"{BASE}/{API_ID}/monitoring", headers=ADMIN).get_json()
    assert monitoring["health_status"] == "crashed"
    flipped = get(client, API_ID)
    assert flipped["status"] == "error" and flipped["error_message"].startswith("Process crashed")
    control.advance(10)
    assert get(client, API_ID)["status"] == "error"


def test_upload_get_and_delete_a_file(client):
    answer = upload(client)
    assert answer.status_code == 200
    info = answer.get_json()
    assert info["filename"] == "data.csv" and info["file_size"] == 41
    assert (info["validation_status"], info["validation_errors"], info["message"]) == (
        "valid", None, "File uploaded successfully")
    assert info["preview_data"].splitlines()[0].split() == ["date", "value"]
    got = client.get(f"{BASE}/files/{info['file_id']}", headers=ADMIN)
    assert got.get_json() == {**info, "message": "File information retrieved successfully"}
    deleted = client.delete(f"{BASE}/files/{info['file_id']}", headers=ADMIN)
    assert (deleted.status_code, deleted.get_json()) == (200, {"message": "File deleted successfully"})
    gone = client.get(f"{BASE}/files/{info['file_id']}", headers=ADMIN)
    assert (gone.status_code, gone.get_json()) == (404, {"detail": "File not found"})
    assert client.delete(f"{BASE}/files/{info['file_id']}", headers=ADMIN).status_code == 404


@pytest.mark.parametrize("content,name,errors", [
    (b"date\n2026-01-01\n", "one-column.csv", ["File must have at least 2 columns for time series data"]),
    (b"", "empty.csv", ["File is empty"]),
    (b"not a zip", "book.xlsx", ["Error reading file: not a valid Excel workbook"]),
    (b"\xff\xfe\xfa", "binary.csv", ["Error reading file: invalid start byte"]),
])
def test_an_upload_that_fails_the_checks_is_stored_as_invalid(client, content, name, errors):
    info = upload(client, content, name).get_json()
    assert (info["validation_status"], info["validation_errors"]) == ("invalid", errors)
    assert info["message"] == "File uploaded but has validation errors"


@pytest.mark.parametrize("name,detail", [
    ("notes.txt", "File type not supported. Allowed: .csv, .xlsx, .xls"),
    ("", "No file provided"),
])
def test_upload_refusals(client, name, detail):
    answer = upload(client, b"a,b\n1,2\n", name)
    assert (answer.status_code, answer.get_json()) == (400, {"detail": detail})


def test_upload_without_a_file_part_is_422(client):
    answer = client.post(f"{BASE}/files/upload", data={"other": "x"}, headers=ADMIN, content_type="multipart/form-data")
    assert answer.status_code == 422
    assert answer.get_json()["detail"][0] == {"type": "missing", "loc": ["body", "file"], "msg": "Field required",
                                              "input": None}


def test_upload_over_the_size_limit_is_400_and_nothing_is_stored(client, control):
    load(control, settings={"max_upload_bytes": 100})
    answer = upload(client, b"a,b\n" + b"1,2\n" * 50)
    detail = f"File too large. Maximum size: {100 / 1024 / 1024}MB"
    assert (answer.status_code, answer.get_json()) == (400, {"detail": detail})
    assert control.client.get("/_simulator/resources?vendor=wrappers&kind=file").get_json()["count"] == 0


def test_a_large_upload_keeps_only_its_preview(client):
    info = upload(client, b"date,value\n" + b"2026-01-01,1.0\n" * 20000).get_json()
    assert info["file_size"] == 11 + 15 * 20000 and info["validation_status"] == "valid"
    assert len(info["preview_data"].splitlines()) == 6  # header and five rows
    stored = client.get(f"/_simulator/resources/wrappers/file/{info['file_id']}").get_json()["fields"]
    assert len(str(stored)) < 1000


@pytest.mark.parametrize("operation,path,method", [
    ("generate", f"{BASE}/generate", "post"), ("list", f"{BASE}/", "get"),
    ("execute", f"{BASE}/{API_ID}/execute", "post"), ("regenerate", f"{BASE}/{API_ID}/regenerate", "post"),
    ("health", f"{BASE}/{API_ID}/health", "get"), ("monitoring", f"{BASE}/{API_ID}/monitoring", "get"),
])
def test_a_backend_outage_is_503(client, control, operation, path, method):
    load(control, api_running(), settings={"unavailable": [operation]})
    answer = getattr(client, method)(path, headers=ADMIN, **({"json": api_body()} if operation == "generate" else {}))
    assert answer.status_code == 503 and answer.get_json()["detail"].startswith(("Service unavailable", "Database"))
    assert get(client, API_ID)["status"] == "executing"


def test_scenario_files_put_wrappers_where_they_say(client, control):
    load(control, csv_completed(), api_running(), {"vendor": "wrappers", "kind": "file", "id": FILE_ID})
    completed = get(client, CSV_ID)
    assert (completed["status"], completed["data_points_count"], completed["phase"]) == ("completed", 100, "historical")
    streaming = get(client, API_ID)
    assert marks(streaming)["phase"] == "continuous" and streaming["high_water_mark"] is not None
    assert client.get(f"{BASE}/files/{FILE_ID}", headers=ADMIN).get_json()["filename"] == "data.csv"
