"""What the dashboard reads from the server: its page and assets, the paged resource listing,
the vendor-JSON view of one resource, and a state colour for every lifecycle state."""
from __future__ import annotations

from importlib import resources as package_files

import pytest

from simulator.dashboard.families import FAMILIES, state_families
from simulator.vendors import discover
from tests.conftest import SCENARIOS

SPARROW = {"Authorization": "Bearer any-key"}


@pytest.fixture
def default(client, control):
    response = client.post("/_simulator/scenarios", data=(SCENARIOS / "default.yaml").read_text(),
                           content_type="application/yaml")
    assert response.status_code == 201, response.get_data(as_text=True)
    return client


# --- the page ------------------------------------------------------------------------------------

def test_the_page_and_its_assets_ship_in_the_package(client):
    static = package_files.files("simulator.dashboard") / "static"
    for name in ("index.html", "dashboard.js", "dashboard.css", "favicon.svg"):
        assert (static / name).is_file(), name
    page = client.get("/_simulator/ui")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "/_simulator/ui/dashboard.js" in html and "/_simulator/ui/dashboard.css" in html
    assert "http://" not in html and "https://" not in html  # nothing from elsewhere
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "connect-src 'self'" in page.headers["Content-Security-Policy"]
    script = client.get("/_simulator/ui/dashboard.js")
    assert script.status_code == 200 and script.mimetype in ("text/javascript", "application/javascript")
    assert client.get("/_simulator/ui/").status_code == 200


def test_an_unknown_asset_is_a_json_404(client):
    response = client.get("/_simulator/ui/nothing-here.js")
    assert response.status_code == 404
    assert "error" in response.get_json()


def test_meta_lists_vendors_operations_and_state_families(client):
    meta = client.get("/_simulator/ui/meta.json").get_json()
    assert meta["families"] == list(FAMILIES)
    sparrow = next(v for v in meta["vendors"] if v["name"] == "sparrow")
    assert sparrow["kinds"] == ["analysis"]
    assert {200, 401} <= set(sparrow["operations"]["getAnalysis"])
    assert [v["name"] for v in meta["vendors"]] == ["feldera", "hiveon", "sparrow", "twelvelabs", "wrappers"]


def test_every_lifecycle_state_has_exactly_one_colour_family():
    declared = {lc.key: set(lc.states) for vendor in discover().values() for lc in vendor.lifecycles}
    STATE_FAMILIES = state_families(discover())
    assert set(STATE_FAMILIES) == set(declared)
    for key, states in declared.items():
        assert set(STATE_FAMILIES[key]) == states, key
        assert set(STATE_FAMILIES[key].values()) <= set(FAMILIES), key


# --- the paged resource listing ------------------------------------------------------------------

def test_resources_are_grouped_paged_and_counted_per_kind(default):
    every = default.get("/_simulator/resources").get_json()
    assert every["count"] == every["total"] == 47 and every["limit"] is None and every["offset"] == 0
    keys = [(r["vendor"], r["kind"]) for r in every["resources"]]
    assert keys == sorted(keys)  # grouped by vendor, then kind
    kinds = {(k["vendor"], k["kind"]): k for k in every["kinds"]}
    assert kinds[("sparrow", "analysis")]["count"] == 8
    assert kinds[("sparrow", "analysis")]["states"] == {
        "INIT": 1, "READY": 1, "PRE_PROCESS": 1, "ANALYSIS": 1, "POST_PROCESS": 1, "COMPLETE": 2, "STOP": 1}
    assert sum(k["count"] for k in every["kinds"]) == 47

    page = default.get("/_simulator/resources?limit=5&offset=10").get_json()
    assert page["resources"] == every["resources"][10:15]
    assert (page["count"], page["total"], page["offset"], page["limit"]) == (5, 47, 10, 5)
    assert page["kinds"] == every["kinds"]  # the counts cover every match, not the page
    empty = default.get("/_simulator/resources?limit=0").get_json()
    assert (empty["resources"], empty["total"]) == ([], 47)
    past = default.get("/_simulator/resources?offset=500").get_json()
    assert (past["resources"], past["total"]) == ([], 47)


def test_each_listed_resource_carries_its_next_due_transition(default, control):
    control.freeze()
    listed = {r["id"]: r for r in default.get("/_simulator/resources?vendor=sparrow").get_json()["resources"]}
    assert listed["1004"]["next"] == control.resource("sparrow", "analysis", 1004)["next"]
    assert listed["1004"]["next"]["state"] == "POST_PROCESS"
    assert listed["1006"]["next"] is None  # COMPLETE waits for nothing
    control.advance(3600)
    after = default.get("/_simulator/resources?vendor=sparrow&kind=analysis").get_json()["resources"]
    assert {r["id"]: (r["state"], r["next"]) for r in after}["1004"] == ("COMPLETE", None)


@pytest.mark.parametrize("query", ["limit=-1", "limit=ten", "offset=1.5", "offset=-3", "limit="])
def test_bad_paging_is_a_400_in_the_control_envelope(default, query):
    response = default.get(f"/_simulator/resources?{query}")
    assert response.status_code == 400
    assert "whole number" in response.get_json()["error"]


def test_paging_keeps_the_work_per_page_bounded_with_thousands(client, control):
    many = {"name": "many", "resources": [
        {"vendor": "sparrow", "kind": "analysis", "id": i, "state": "ANALYSIS", "remaining": "1h"}
        for i in range(1, 5001)]}
    control.load(many)
    page = client.get("/_simulator/resources?limit=100&offset=4950").get_json()
    assert (page["count"], page["total"]) == (50, 5000)
    assert [r["id"] for r in page["resources"]] == [str(i) for i in range(4951, 5001)]
    assert len(client.get("/_simulator/resources?limit=100").get_data()) < 30_000


# --- one resource as its vendor returns it --------------------------------------------------------

@pytest.mark.parametrize(("vendor", "kind", "id", "path", "headers"), [
    ("sparrow", "analysis", "1004", "/api/v3/analysis/1004", SPARROW),
    ("twelvelabs", "batch", "66d000000000000000000002", "/v1.3/analyze/batches/66d000000000000000000002",
     {"x-api-key": "any-key"}),
    ("hiveon", "deployment", "2c9e4f1a-8b3d-4a6e-9f0c-5d7b1e3a6c02",
     "/vendors/v1/machines/deployments/2c9e4f1a-8b3d-4a6e-9f0c-5d7b1e3a6c02", {"X-API-Key": "any-key"}),
    ("feldera", "pipeline", "orders-running", "/v0/pipelines/orders-running", {}),
    ("wrappers", "wrapper", "5d6e7f80-91a2-4b3c-8d4e-5f60718293a4",
     "/resources/wrappers/5d6e7f80-91a2-4b3c-8d4e-5f60718293a4", {"Authorization": "Bearer any-key"}),
])
def test_the_vendor_view_is_the_body_a_client_gets(default, control, vendor, kind, id, path, headers):
    control.freeze()
    journal_before = default.get("/_simulator/requests/count").get_json()["count"]
    view = default.get(f"/_simulator/resources/{vendor}/{kind}/{id}/vendor")
    assert view.status_code == 200, view.get_data(as_text=True)
    assert view.get_json()["path"] == path
    assert default.get("/_simulator/requests/count").get_json()["count"] == journal_before  # not journalled
    client_view = default.get(path, headers=headers)
    assert client_view.status_code == 200, client_view.get_data(as_text=True)
    assert view.get_json()["body"] == client_view.get_json()


def test_a_pipelines_program_and_storage_show_the_whole_pipeline(default):
    pipeline = default.get("/_simulator/resources/feldera/pipeline/orders-running/vendor").get_json()
    for part in ("program", "storage"):
        assert default.get(f"/_simulator/resources/feldera/{part}/orders-running/vendor").get_json() == pipeline


def test_the_vendor_view_is_not_met_by_fault_rules(default):
    rule = {"match": {"vendor": "sparrow"}, "when": {"every": True}, "respond": {"status": 500}}
    assert default.post("/_simulator/faults", json=rule).status_code == 201
    assert default.get("/api/v3/analysis/1004", headers=SPARROW).status_code == 500
    view = default.get("/_simulator/resources/sparrow/analysis/1004/vendor")
    assert view.status_code == 200 and view.get_json()["body"]["analysisId"] == 1004


@pytest.mark.parametrize(("path", "message"), [
    ("/_simulator/resources/sparrow/analysis/9999/vendor", "no sparrow analysis with id '9999'"),
    ("/_simulator/resources/sparrow/nothing/1/vendor", "unknown resource type sparrow/nothing"),
    ("/_simulator/resources/hiveon/machine/9a3f1c52-6b7e-4d28-a1f0-3c5e7b9d2e41/vendor",
     "the hiveon API has no call that returns one machine"),
])
def test_the_vendor_view_of_nothing_is_a_404(default, path, message):
    response = default.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"] == message
