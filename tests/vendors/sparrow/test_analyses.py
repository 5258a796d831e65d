"""Create, read, lifecycle, result download and error envelopes."""
import io
import json
import zipfile

import pytest

from simulator.app import create_app
from simulator.settings import Settings
from tests.vendors.sparrow.conftest import AUTH, BODIES


@pytest.mark.parametrize("tool", ["sast", "sca", "dast"])
def test_create_returns_one_analysis_in_init(sparrow, control, tool):
    response = sparrow.create(tool)
    assert response.status_code == 200
    body = response.get_json()
    assert body["result"] == "SUCCESS"
    [item] = body["analysisList"]
    assert item["status"] == "INIT" and item["toolType"] == tool.upper()
    assert item["requestId"] == body["requestId"]
    assert item["memo"] == BODIES[tool].get("memo")
    assert control.state("sparrow", "analysis", item["analysisId"]) == "INIT"


def test_ids_come_from_separate_increasing_counters(sparrow):
    first = sparrow.create().get_json()
    second = sparrow.create("dast").get_json()
    assert second["requestId"] == first["requestId"] + 1
    assert second["analysisList"][0]["analysisId"] == first["analysisList"][0]["analysisId"] + 1
    assert first["requestId"] != first["analysisList"][0]["analysisId"]


@pytest.mark.parametrize(("tool", "body"), [
    ("sast", {}),
    ("sast", {"dastOptions": {"crawlerTargetSeedUrls": ["https://x/"]}}),
    ("sast", {"sastOptions": {"analysisSource": {"type": "VCS", "vcsInfo": {}}}}),
    ("sca", {"scaOptions": {"analysisSource": {"type": "ZIP", "vcsInfo": {"url": "https://x.git"}}}}),
    ("dast", {"dastOptions": {"crawlerTargetSeedUrls": []}}),
    ("dast", {"dastOptions": {"crawlerTargetSeedUrls": ["https://x/"]}, "resultVersion": "2"}),
    ("sast", {**BODIES["sast"], "unexpected": True}),
])
def test_invalid_create_body_is_400_invalid_parameter_and_creates_nothing(sparrow, client, tool, body):
    response = sparrow.create(tool, body=body)
    assert response.status_code == 400
    assert response.get_json()["resultCode"] == "INVALID_PARAMETER"
    assert client.get("/_simulator/resources?vendor=sparrow").get_json()["count"] == 0


def test_non_json_body_is_400_invalid_parameter(client):
    response = client.post("/api/v1/analysis/tool/sast", data="{not json", content_type="application/json",
                           headers=AUTH)
    assert response.status_code == 400
    assert response.get_json()["resultCode"] == "INVALID_PARAMETER"


def test_create_without_key_is_401(sparrow, client):
    response = sparrow.create(headers={})
    assert response.status_code == 401 and response.get_json()["resultCode"] == "UNAUTHORIZED"
    assert client.get("/_simulator/resources?vendor=sparrow").get_json()["count"] == 0


def test_lifecycle_runs_on_the_virtual_clock_with_growing_issue_counts(sparrow, control):
    analysis_id = sparrow.new_analysis()
    seen = []
    for step in [0, 2, 2, 2, 2.5, 2.5, 2]:
        control.advance(step)
        body = sparrow.get(analysis_id).get_json()
        seen.append((body["status"], body["issueCount"], body["result"]))
    assert [s for s, _, _ in seen] == ["INIT", "READY", "PRE_PROCESS", "ANALYSIS", "ANALYSIS", "POST_PROCESS",
                                       "COMPLETE"]
    counts = [c for _, c, _ in seen]
    assert counts[:4] == [0, 0, 0, 0] and 0 < counts[4] < counts[5] == counts[6]
    assert [r for _, _, r in seen] == [None] * 6 + ["SUCCESS"]
    final = sparrow.get(analysis_id).get_json()
    assert final["issueCount"] == sum(final[f"issueCountRisk{n}"] for n in range(1, 6))
    assert final["endTime"] > final["startTime"]
    history = control.resource("sparrow", "analysis", analysis_id)["history"]
    assert [h["state"] for h in history] == ["INIT", "READY", "PRE_PROCESS", "ANALYSIS", "POST_PROCESS", "COMPLETE"]


def test_get_request_shows_each_analysis_current_status(sparrow, client, control):
    created = sparrow.create().get_json()
    control.advance(3)
    response = client.get(f"/api/v1/request/{created['requestId']}", headers=AUTH)
    assert response.status_code == 200
    body = response.get_json()
    assert body["requestId"] == created["requestId"] and body["analysisList"][0]["status"] == "READY"
    unknown = client.get("/api/v1/request/424242", headers=AUTH)
    assert unknown.status_code == 400 and unknown.get_json()["resultCode"] == "REQUEST_NOT_FOUND"


def test_get_unknown_analysis_is_400(sparrow):
    response = sparrow.get(777777)
    assert response.status_code == 400 and response.get_json()["resultCode"] == "ANALYSIS_NOT_FOUND"


def test_result_zip_only_for_complete_success(sparrow, control):
    analysis_id = sparrow.new_analysis()
    running = sparrow.result(analysis_id)
    assert running.status_code == 400 and running.get_json()["resultCode"] == "ANALYSIS_NOT_SUCCESS"
    control.advance(13)
    response = sparrow.result(analysis_id)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "result.zip" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        summary = json.loads(archive.read("summary.json"))
    assert summary["analysisId"] == analysis_id
    assert summary["status"] == "COMPLETE" and summary["result"] == "SUCCESS"
    assert summary["source"]["url"] == "https://example.com/app.git"


def test_result_of_a_stopped_or_failed_analysis_is_400(sparrow, control):
    stopped = sparrow.in_state("READY")
    sparrow.stop(stopped)
    assert sparrow.result(stopped).get_json()["resultCode"] == "ANALYSIS_NOT_SUCCESS"
    control.load({"name": "fail", "resources": [
        {"vendor": "sparrow", "kind": "analysis", "id": 50, "state": "READY", "remaining": "1s",
         "fields": {"failIn": "READY"}}]})
    control.advance(1)
    failed = sparrow.get(50).get_json()
    assert failed["status"] == "COMPLETE" and failed["result"] == "FAIL" and failed["resultCode"] == "ANALYSIS_FAILED"
    response = sparrow.result(50)
    assert response.status_code == 400 and response.get_json()["resultCode"] == "ANALYSIS_NOT_SUCCESS"


def test_unknown_route_and_wrong_method_answer_in_the_envelope(client):
    missing = client.get("/api/v9/nothing", headers=AUTH)
    assert missing.status_code == 404 and set(missing.get_json()) == {"resultCode", "message"}
    wrong = client.delete("/api/v3/analysis/1", headers=AUTH)
    assert wrong.status_code == 405 and set(wrong.get_json()) == {"resultCode", "message"}
    assert "GET" in wrong.headers["Allow"]


def test_oversized_body_is_413_in_the_envelope():
    client = create_app(Settings(max_body_bytes=1024)).test_client()
    body = {**BODIES["sast"], "memo": "x" * 5000}
    response = client.post("/api/v1/analysis/tool/sast", json=body, headers=AUTH)
    assert response.status_code == 413
    assert response.get_json()["resultCode"] == "PAYLOAD_TOO_LARGE"


def test_misspelled_request_key_is_a_setting(sparrow, control):
    control.load({"name": "quirk", "settings": {"sparrow": {"misspelled_request_key": True}}})
    item = sparrow.create().get_json()["analysisList"][0]
    assert item["reqestId"] == item["requestId"]


def test_shipped_post_process_scenario(client, control, sparrow):
    with open("scenarios/sparrow-post-process.yaml") as handle:
        response = client.post("/_simulator/scenarios", data=handle.read(), content_type="application/yaml")
    assert response.status_code == 201
    assert sparrow.stop(2001).get_json()["status"] == "POST_PROCESS"
    control.advance(29)
    assert sparrow.status(2001) == "POST_PROCESS"
    control.advance(1)
    assert sparrow.get(2001).get_json()["result"] == "SUCCESS"


def test_shipped_init_stop_scenario(client, control, sparrow):
    with open("scenarios/sparrow-init-stop.yaml") as handle:
        assert client.post("/_simulator/scenarios", data=handle.read(),
                           content_type="application/yaml").status_code == 201
    assert sparrow.stop(2101).get_json()["status"] == "INIT"
    control.advance(19)
    assert sparrow.status(2101) == "INIT"
    control.advance(1)
    assert sparrow.status(2101) == "STOP"
