"""GET /_simulator/scenario: the live state as a scenario that loads back to the same state."""
import json
import math

import yaml

from tests.conftest import SCENARIOS

AUTH = {"Authorization": "Bearer k"}
A = {"X-Simulator-Namespace": "original"}
B = {"X-Simulator-Namespace": "replayed"}


def _same(left, right) -> bool:
    """Equal, but virtual times (floats) only to the microsecond: the export writes RFC 3339 times."""
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=0, abs_tol=1e-5)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    return left == right


def _snapshot(client, headers):
    listed = client.get("/_simulator/resources", headers=headers).get_json()["resources"]
    detail = {}
    for item in listed:
        body = client.get(f"/_simulator/resources/{item['vendor']}/{item['kind']}/{item['id']}",
                          headers=headers).get_json()
        detail[(item["vendor"], item["kind"], item["id"])] = {
            k: body[k] for k in ("state", "pending", "fields", "next", "created_at")}
    return detail


def test_export_round_trips_into_a_fresh_namespace(client):
    default = (SCENARIOS / "default.yaml").read_text()
    assert client.post("/_simulator/scenarios", data=default, content_type="application/yaml",
                       headers=A).status_code == 201
    client.put("/_simulator/clock", json={"frozen": True}, headers=A)
    client.post("/_simulator/clock/advance", json={"seconds": 30}, headers=A)
    client.post("/api/v2/analysis/1001/stop", headers={**AUTH, **A})  # INIT: a deferred stop is pending
    client.post("/api/v2/analysis/1002/stop", headers={**AUTH, **A})
    client.post("/_simulator/faults", headers=A, json={
        "id": "later", "match": {"vendor": "sparrow", "operation": "getAnalysis"},
        "when": {"window": {"from": "+10s", "until": "+20s"}}, "respond": {"status": 500}})

    exported = client.get("/_simulator/scenario", headers=A)
    assert exported.status_code == 200 and exported.mimetype == "application/yaml"
    document = yaml.safe_load(exported.data)
    assert document["name"] == "export-original"
    pending = [r for r in document["resources"] if r.get("pending")]
    assert [(r["id"], r["pending"]) for r in pending] == [("1001", ["stop"])]

    loaded = client.post("/_simulator/scenarios", data=exported.data, content_type="application/yaml", headers=B)
    assert loaded.status_code == 201, loaded.get_data(as_text=True)
    original, replayed = _snapshot(client, A), _snapshot(client, B)
    assert _same(replayed, original), [k for k in original if not _same(original[k], replayed.get(k))]
    clocks = [client.get("/_simulator/clock", headers=h).get_json() for h in (A, B)]
    assert clocks[0] == clocks[1]
    faults = [client.get("/_simulator/faults", headers=h).get_json()["faults"][0] for h in (A, B)]
    assert faults[1]["id"] == "later" and faults[1]["when"] == faults[0]["when"]

    # and both go on the same way
    for headers in (A, B):
        client.post("/_simulator/clock/advance", json={"seconds": 120}, headers=headers)
    original, replayed = _snapshot(client, A), _snapshot(client, B)
    assert _same(replayed, original), [k for k in original if not _same(original[k], replayed.get(k))]
    assert client.get("/api/v3/analysis/1001", headers={**AUTH, **B}).get_json()["status"] == "STOP"


def test_export_as_json_and_auth_only_on_request(client, control):
    control.load({"name": "keys", "auth": {"sparrow": {"keys": ["k"]}}})
    as_json = client.get("/_simulator/scenario", headers={"Accept": "application/json"})
    assert as_json.mimetype == "application/json" and "auth" not in as_json.get_json()
    with_auth = client.get("/_simulator/scenario?auth=include", headers={"Accept": "application/json"}).get_json()
    assert with_auth["auth"] == {"sparrow": {"keys": ["k"]}}


SECRETS = ("hv-1", "pw-2", "tk-3", "hv-4")


def _analysis_with_secrets(client, url: str, header: str, memo: str) -> str:
    body = {"callbacks": [{"type": ["ANALYSIS_COMPLETE"], "url": url,
                           "headers": [{"key": "Authorization", "value": header}]}],
            "memo": memo, "sastOptions": {"analysisSource": {"type": "VCS", "vcsInfo": {
                "type": "git", "url": "https://example.com/app.git"}}}}
    created = client.post("/api/v1/analysis/tool/sast", json=body, headers=AUTH)
    assert created.status_code == 200, created.get_data(as_text=True)
    return str(created.get_json()["analysisList"][0]["analysisId"])


def test_every_secret_is_masked_in_both_formats_and_only_auth_include_keeps_them(client, control):
    control.load({"name": "many", "resources": [
        {"vendor": "sparrow", "kind": "analysis", "id": 2_000_000 + n, "state": "ANALYSIS", "remaining": "1d"}
        for n in range(450)]})  # the secrets' entries come in a later batch, among plain ones
    ids = [_analysis_with_secrets(client, "https://user:pw-2@cb.example/x?token=tk-3", "Bearer hv-1", "façade ✓"),
           _analysis_with_secrets(client, "https://cb.example/y", "hv-4", "plain")]  # only the header map's name tells
    as_yaml = client.get("/_simulator/scenario").get_data(as_text=True)
    as_json = client.get("/_simulator/scenario", headers={"Accept": "application/json"}).get_data(as_text=True)
    for text in (as_yaml, as_json):
        assert not [secret for secret in SECRETS if secret in text]
    document = yaml.safe_load(as_yaml)
    assert document == json.loads(as_json)
    written = {entry["id"]: entry for entry in document["resources"]}
    assert len(written) == 452
    callbacks = [written[id]["fields"]["callbacks"][0] for id in ids]
    assert [callback["url"] for callback in callbacks] == ["https://user:***@cb.example/x?token=***",
                                                           "https://cb.example/y"]
    assert [callback["headers"] for callback in callbacks] == [[{"key": "Authorization", "value": "***"}]] * 2
    assert written[ids[0]]["fields"]["memo"] == "façade ✓"

    with_auth = client.get("/_simulator/scenario?auth=include").get_data(as_text=True)
    with_auth_json = client.get("/_simulator/scenario?auth=include", headers={"Accept": "application/json"})
    assert yaml.safe_load(with_auth) == with_auth_json.get_json()
    assert all(secret in with_auth and secret in with_auth_json.get_data(as_text=True) for secret in SECRETS)
