"""GET /_simulator/scenario: the live state as a scenario that loads back to the same state."""
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
