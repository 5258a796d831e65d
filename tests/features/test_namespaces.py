"""Namespaces: own resources, clock, faults and journal; picked by header or by credential."""
from simulator.app import create_app
from simulator.settings import Settings
from tests.conftest import SCENARIOS
from tests.features.conftest import AUTH, new_analysis

NS_A = {"X-Simulator-Namespace": "team-a"}
NS_B = {"X-Simulator-Namespace": "team-b"}
SEEDED = {"name": "same-ids", "clock": {"frozen": True},
          "resources": [{"vendor": "sparrow", "kind": "analysis", "id": 1, "state": "READY", "remaining": "10s"}]}


def test_two_namespaces_run_the_same_ids_side_by_side(client):
    for ns in (NS_A, NS_B):
        assert client.post("/_simulator/scenarios", json=SEEDED, headers=ns).status_code == 201
    assert client.post("/api/v2/analysis/1/stop", headers={**AUTH, **NS_A}).get_json()["status"] == "STOP"
    assert client.get("/api/v3/analysis/1", headers={**AUTH, **NS_B}).get_json()["status"] == "READY"
    client.post("/_simulator/clock/advance", json={"seconds": 10}, headers=NS_B)
    assert client.get("/api/v3/analysis/1", headers={**AUTH, **NS_B}).get_json()["status"] == "PRE_PROCESS"
    assert client.get("/api/v3/analysis/1", headers={**AUTH, **NS_A}).get_json()["status"] == "STOP"
    assert client.get("/api/v3/analysis/1", headers=AUTH).status_code == 400  # not in the default namespace
    clock_a = client.get("/_simulator/clock", headers=NS_A).get_json()["now"]
    clock_b = client.get("/_simulator/clock", headers=NS_B).get_json()["now"]
    assert clock_b > clock_a


def test_faults_and_journal_belong_to_their_namespace(client):
    for ns in (NS_A, NS_B):
        client.post("/_simulator/scenarios", json=SEEDED, headers=ns)
    rule = {"match": {"vendor": "sparrow", "operation": "getAnalysis"}, "respond": {"status": 500}}
    assert client.post("/_simulator/faults", json=rule, headers=NS_A).status_code == 201
    assert client.get("/api/v3/analysis/1", headers={**AUTH, **NS_A}).status_code == 500
    assert client.get("/api/v3/analysis/1", headers={**AUTH, **NS_B}).status_code == 200
    assert client.get("/_simulator/requests/count", headers=NS_A).get_json()["count"] == 1
    assert client.get("/_simulator/requests/count", headers=NS_B).get_json()["count"] == 1
    assert client.get("/_simulator/requests", headers=NS_A).get_json()["requests"][0]["namespace"] == "team-a"
    assert client.get("/_simulator/faults", headers=NS_B).get_json()["count"] == 0


def test_resetting_one_namespace_leaves_the_others_untouched():
    client = create_app(Settings(scenarios=[str(SCENARIOS / "default.yaml")])).test_client()
    client.post("/api/v2/analysis/1002/stop", headers={**AUTH, **NS_A})
    client.post("/api/v2/analysis/1002/stop", headers={**AUTH, **NS_B})
    reset = client.post("/_simulator/reset", headers=NS_A)
    assert reset.status_code == 200 and reset.get_json()["namespace"] == "team-a"
    assert client.get("/api/v3/analysis/1002", headers={**AUTH, **NS_A}).get_json()["status"] == "READY"
    assert client.get("/api/v3/analysis/1002", headers={**AUTH, **NS_B}).get_json()["status"] == "STOP"


def test_a_new_namespace_starts_from_the_startup_scenarios():
    client = create_app(Settings(scenarios=[str(SCENARIOS / "default.yaml")])).test_client()
    assert client.get("/api/v3/analysis/1006", headers={**AUTH, **NS_A}).get_json()["status"] == "COMPLETE"


def test_credential_isolation_gives_each_key_its_own_namespace():
    client = create_app(Settings(isolation="credential")).test_client()
    key_one, key_two = {"Authorization": "Bearer one"}, {"Authorization": "Bearer two"}
    analysis_id = new_analysis(client, key_one)
    assert client.get(f"/api/v3/analysis/{analysis_id}", headers=key_one).status_code == 200
    assert client.get(f"/api/v3/analysis/{analysis_id}", headers=key_two).status_code == 400
    # the control API takes the same credential, and never shows it
    health = client.get("/_simulator/health", headers=key_one).get_json()
    assert health["resources"] == 1 and health["namespace"].startswith("key-") and "one" not in health["namespace"]
    assert client.get("/_simulator/health", headers=key_two).get_json()["resources"] == 0
    # an explicit header still wins
    assert client.get("/_simulator/health", headers={**key_one, **NS_A}).get_json()["namespace"] == "team-a"


def test_namespace_count_is_bounded_least_recently_used_first():
    client = create_app(Settings(max_namespaces=3)).test_client()
    for name in ("n1", "n2", "n3", "n4"):
        client.get("/_simulator/health", headers={"X-Simulator-Namespace": name})
    names = {n["name"] for n in client.get("/_simulator/namespaces").get_json()["namespaces"]}
    assert names == {"default", "n3", "n4"}
    assert client.delete("/_simulator/namespaces/n3").status_code == 204
    assert client.delete("/_simulator/namespaces/n3").status_code == 404


def test_a_malformed_namespace_header_is_400(client):
    assert client.get("/_simulator/health", headers={"X-Simulator-Namespace": "bad name!"}).status_code == 400
    response = client.get("/api/v3/analysis/1", headers={**AUTH, "X-Simulator-Namespace": "x" * 65})
    assert response.status_code == 400 and "X-Simulator-Namespace" in response.get_json()["message"]
