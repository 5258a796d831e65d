"""The dashboard as a newcomer drives it: Debian's chromium against a live simulator.

Each test acts through the page (clicks, forms) and checks both what the page shows and the
server's state afterwards through the control API; changes made by a client under test must show
on the page within about a second of polling.
"""
from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import requests
import yaml
from playwright.sync_api import expect

from simulator.engine.timefmt import parse_timestamp
from tests.hardening.conftest import DEFAULT_SCENARIO

from .conftest import UI, Dashboard

SPARROW = {"Authorization": "Bearer demo-client-secret"}  # the default scenario takes any key
VENDORS = ("feldera", "hiveon", "sparrow", "twelvelabs", "wrappers")


def state_on_page(board: Dashboard, vendor: str, kind: str, id) -> str:
    return board.page.locator(f"{board.row(vendor, kind, id)} td:nth-child(2) .state").inner_text()


def test_lists_the_default_scenarios_resources_of_all_five_vendors(dashboard: Dashboard):
    page = dashboard.open()
    every = dashboard.control("GET", "/resources").json()
    assert {r["vendor"] for r in every["resources"]} == set(VENDORS)

    expect(page.locator("tr.resource")).to_have_count(every["total"])
    for vendor in VENDORS:
        expect(page.locator(f'tr.group[data-group^="{vendor}."]').first).to_be_visible()
    for resource in every["resources"]:
        row = page.locator(dashboard.row(resource["vendor"], resource["kind"], resource["id"]))
        expect(row).to_have_attribute("data-state", resource["state"])
    # State families are coloured; the next transition counts down on the (frozen) virtual clock.
    analysis = page.locator(dashboard.row("sparrow", "analysis", 1004))
    expect(analysis.locator(".state").first).to_have_class(re.compile(r"\bfam-running\b"))
    expect(analysis.locator(".next .state")).to_have_text("POST_PROCESS")
    expect(analysis.locator(".countdown")).to_have_text("in 2m 00s")
    expect(page.locator(dashboard.row("hiveon", "deployment", "2c9e4f1a-8b3d-4a6e-9f0c-5d7b1e3a6c05"))
           .locator(".state")).to_have_class(re.compile(r"\bfam-failed\b"))
    expect(page.locator('[data-kind="sparrow.analysis"] b')).to_have_text("8")


def test_advancing_one_hour_completes_analysis_1004_and_moves_every_vendor(dashboard: Dashboard):
    page = dashboard.open()
    before = dashboard.control("GET", "/clock").json()["now"]
    expect(page.locator(dashboard.row("sparrow", "analysis", 1004))).to_have_attribute("data-state", "ANALYSIS")

    page.click('button.advance[data-seconds="3600"]')

    expect(page.locator(dashboard.row("sparrow", "analysis", 1004))).to_have_attribute("data-state", "COMPLETE")
    assert state_on_page(dashboard, "sparrow", "analysis", 1004) == "COMPLETE"
    assert dashboard.control("GET", "/resources/sparrow/analysis/1004").json()["state"] == "COMPLETE"
    clock = dashboard.control("GET", "/clock").json()
    assert _seconds_between(before, clock["now"]) == 3600
    expect(page.locator("#clock-now")).to_have_text(clock["now"][:10] + " " + clock["now"][11:19] + "Z")
    # Every vendor moved with the same click.
    expect(page.locator(dashboard.row("twelvelabs", "batch", "66d000000000000000000002"))) \
        .to_have_attribute("data-state", "completed")
    expect(page.locator(dashboard.row("hiveon", "deployment", "2c9e4f1a-8b3d-4a6e-9f0c-5d7b1e3a6c01"))) \
        .to_have_attribute("data-state", "STATUS_RUNNING")
    expect(page.locator(dashboard.row("feldera", "pipeline", "orders-provisioning"))) \
        .not_to_have_attribute("data-state", "Provisioning")
    expect(page.locator(dashboard.row("wrappers", "wrapper", "9fa0b1c2-d3e4-4f50-9162-738495a6b7c8"))) \
        .not_to_have_attribute("data-state", "generating")


def test_a_resources_timeline_history_and_vendor_json(dashboard: Dashboard):
    page = dashboard.open()
    page.click(dashboard.row("sparrow", "analysis", 1004))
    expect(page.locator("#detail-title")).to_have_text("sparrow · analysis · 1004")
    expect(page.locator("#detail-summary")).to_contain_text("next: POST_PROCESS in 2m 00s")
    expect(page.locator("#history tbody tr")).to_have_count(1)
    expect(page.locator("#vendor-path")).to_have_text("GET /api/v3/analysis/1004")
    expect(page.locator("#timeline .seg.next")).to_have_count(1)

    page.click('button.advance[data-seconds="3600"]')

    expect(page.locator("#history tbody tr")).to_have_count(3)
    expect(page.locator("#history tbody tr td:first-child")).to_have_text(["ANALYSIS", "POST_PROCESS", "COMPLETE"])
    expect(page.locator("#detail-summary")).to_contain_text("no timer: waits for an action")
    expect(page.locator("#timeline .seg.next")).to_have_count(0)
    # The vendor JSON is what a client's GET returns, byte for byte as JSON.
    client = requests.get(f"{dashboard.server.url}/api/v3/analysis/1004", headers=SPARROW, timeout=10)
    assert client.status_code == 200
    expect(page.locator("#vendor-json")).to_contain_text('"status": "COMPLETE"')
    assert yaml.safe_load(page.locator("#vendor-json").inner_text()) == client.json()
    # History times are the virtual times each step was due, not when it was read.
    history = dashboard.control("GET", "/resources/sparrow/analysis/1004").json()["history"]
    cells = page.locator("#history tbody tr td:nth-child(2)").all_inner_texts()
    assert cells == [f"{h['at'][:10]} {h['at'][11:19]}Z" for h in history]


def test_a_request_from_a_client_under_test_appears_in_the_journal(dashboard: Dashboard):
    page = dashboard.open()
    expect(page.locator("#journal tbody")).to_contain_text("No requests yet.")

    sent = time.monotonic()
    response = requests.post(f"{dashboard.server.url}/api/v2/analysis/1005/stop", headers=SPARROW, timeout=10)
    assert response.status_code == 200
    row = page.locator("#journal tbody tr.request").first
    expect(row).to_contain_text("/api/v2/analysis/1005/stop", timeout=3000)
    shown_after = time.monotonic() - sent
    assert shown_after < 2.5, f"the journal showed the request after {shown_after:.2f}s"
    expect(row).to_contain_text("POST")
    expect(row.locator(".status")).to_have_text("200")

    row.click()
    detail = page.locator("#journal-detail")
    expect(detail).to_be_visible()
    expect(detail.locator("h3")).to_have_text("POST /api/v2/analysis/1005/stop → 200")
    headers = detail.locator("table.headers").inner_text()
    assert "Authorization" in headers and "demo-client-secret" not in headers  # masked
    assert yaml.safe_load(detail.locator(".response-body").inner_text()) == response.json()

    # Filters: another vendor hides it, its own vendor and status keep it.
    page.select_option("#journal-vendor", "feldera")
    expect(page.locator("#journal tbody tr.request")).to_have_count(0)
    page.select_option("#journal-vendor", "sparrow")
    page.fill("#journal-status", "200")
    expect(page.locator("#journal tbody tr.request")).to_have_count(1)
    page.fill("#journal-status", "404")
    expect(page.locator("#journal tbody tr.request")).to_have_count(0)


def test_a_fault_is_added_and_removed_from_the_form(dashboard: Dashboard):
    page = dashboard.open()
    url = f"{dashboard.server.url}/api/v3/analysis/1004"
    page.select_option("#fault-vendor", "sparrow")
    page.select_option("#fault-operation", "getAnalysis")
    page.select_option("#fault-status", "500")
    page.select_option("#fault-when", "first")
    page.fill("#fault-when-value", "2")
    page.click("#fault-add")

    item = page.locator("#faults li[data-fault-id]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("sparrow · getAnalysis")
    expect(item).to_contain_text("answers 500 · the first 2 calls")
    rules = dashboard.control("GET", "/faults").json()["faults"]
    assert [(r["match"], r["when"], r["respond"]["status"]) for r in rules] == \
        [({"vendor": "sparrow", "operation": "getAnalysis"}, {"first": 2}, 500)]
    assert requests.get(url, headers=SPARROW, timeout=10).status_code == 500
    expect(item).to_contain_text("fired 1 of 1")
    expect(page.locator("#journal .fault-tag").first).to_have_text(rules[0]["id"])

    item.locator("button.remove-fault").click()
    expect(page.locator("#faults li[data-fault-id]")).to_have_count(0)
    assert dashboard.control("GET", "/faults").json()["count"] == 0
    assert requests.get(url, headers=SPARROW, timeout=10).status_code == 200


def test_a_refused_fault_shows_the_servers_reason_and_adds_nothing(dashboard: Dashboard):
    page = dashboard.open()
    page.select_option("#fault-vendor", "sparrow")
    page.select_option("#fault-effect", "latency")
    page.fill("#fault-latency", "soon")
    page.click("#fault-add")
    expect(page.locator("#notice")).to_contain_text("The fault was refused: 400: invalid fault rule")
    assert dashboard.control("GET", "/faults").json()["count"] == 0
    expect(page.locator("#faults")).to_contain_text("No fault rules.")


def test_clock_controls_freeze_speed_and_a_custom_advance(dashboard: Dashboard):
    page = dashboard.open()
    expect(page.locator("#clock-mode")).to_have_text("frozen")
    before = dashboard.control("GET", "/clock").json()["now"]

    page.fill("#advance-value", "90s")
    page.click("#advance-form button")
    expect(page.locator(dashboard.row("sparrow", "analysis", 1004)).locator(".countdown")).to_have_text("in 30s")
    assert _seconds_between(before, dashboard.control("GET", "/clock").json()["now"]) == 90

    page.fill("#speed-value", "10")
    page.click("#speed-form button")
    page.click("#clock-freeze")
    expect(page.locator("#clock-mode")).to_have_text("10× real time")
    clock = dashboard.control("GET", "/clock").json()
    assert (clock["speed"], clock["frozen"]) == (10, False)
    # At 10x, 1004's last 30 s of ANALYSIS pass in 3 real seconds: the page follows a running clock.
    expect(page.locator(dashboard.row("sparrow", "analysis", 1004))).not_to_have_attribute("data-state", "ANALYSIS")
    assert dashboard.control("GET", "/resources/sparrow/analysis/1004").json()["state"] in ("POST_PROCESS", "COMPLETE")

    page.click("#clock-freeze")
    expect(page.locator("#clock-mode")).to_have_text("frozen")
    assert dashboard.control("GET", "/clock").json()["frozen"] is True


def test_changes_made_through_the_api_show_within_about_a_second(dashboard: Dashboard):
    page = dashboard.open()
    row = page.locator(dashboard.row("sparrow", "analysis", 1004))
    expect(row).to_have_attribute("data-state", "ANALYSIS")
    started = time.monotonic()
    assert dashboard.control("POST", "/clock/advance", json={"seconds": 3600}).status_code == 200
    expect(row).to_have_attribute("data-state", "COMPLETE", timeout=3000)
    shown_after = time.monotonic() - started
    assert shown_after < 2.5, f"the page showed the change after {shown_after:.2f}s"


def test_a_scenario_file_is_uploaded_and_the_live_state_exported(dashboard: Dashboard, tmp_path):
    page = dashboard.open()
    scenario = tmp_path / "upload.yaml"
    scenario.write_text(yaml.safe_dump({"name": "uploaded", "resources": [
        {"vendor": "sparrow", "kind": "analysis", "id": 4242, "state": "POST_PROCESS", "remaining": "30s"}]}))
    page.set_input_files("#upload-file", str(scenario))
    page.click("#upload")
    expect(page.locator("#scenario-result")).to_contain_text("uploaded: 1 resource(s)")
    expect(page.locator(dashboard.row("sparrow", "analysis", 4242))).to_have_attribute("data-state", "POST_PROCESS")
    assert dashboard.control("GET", "/resources/sparrow/analysis/4242").json()["state"] == "POST_PROCESS"

    broken = tmp_path / "broken.json"
    broken.write_text('{"resources": [{"vendor": "sparrow", "kind": "analysis", "id": 1, "state": "FLYING"}]}')
    page.set_input_files("#upload-file", str(broken))
    page.click("#upload")
    expect(page.locator("#scenario-result")).to_contain_text("Uploading broken.json failed: 400: invalid scenario")
    expect(page.locator("#scenario-result")).to_contain_text("resources[0].state")

    with page.expect_download() as download:
        page.click("#export")
    assert download.value.suggested_filename == "default-scenario.yaml"
    exported = yaml.safe_load(open(download.value.path()).read())
    by_id = {(r["vendor"], str(r["id"])): r for r in exported["resources"]}
    assert by_id[("sparrow", "4242")]["state"] == "POST_PROCESS"
    live = dashboard.control("GET", "/scenario", headers={"Accept": "application/json"}).json()
    assert len(exported["resources"]) == len(live["resources"])


def test_the_namespace_selector_shows_only_that_namespaces_world(dashboard: Dashboard):
    extra = {"name": "own", "resources": [{"vendor": "sparrow", "kind": "analysis", "id": 777, "state": "INIT"}]}
    team_a = {"X-Simulator-Namespace": "team-a"}
    response = dashboard.control("POST", "/scenarios", json=extra, headers=team_a)
    assert response.status_code == 201, response.text
    assert dashboard.control("PUT", "/clock", json={"frozen": True}, headers=team_a).status_code == 200
    page = dashboard.open()
    expect(page.locator(dashboard.row("sparrow", "analysis", 1004))).to_be_visible()
    expect(page.locator(dashboard.row("sparrow", "analysis", 777))).to_have_count(0)

    page.fill("#namespace", "team-a")
    page.press("#namespace", "Enter")
    expect(page.locator(dashboard.row("sparrow", "analysis", 777))).to_have_attribute("data-state", "INIT")
    assert "namespace=team-a" in page.url
    # Advancing from the page moves team-a's clock only.
    default_before = dashboard.control("GET", "/clock").json()["now"]
    team_a_before = dashboard.control("GET", "/clock", headers=team_a).json()["now"]
    page.click('button.advance[data-seconds="60"]')
    expect(page.locator(dashboard.row("sparrow", "analysis", 777))).not_to_have_attribute("data-state", "INIT")
    state = dashboard.control("GET", "/resources/sparrow/analysis/777", headers=team_a).json()["state"]
    expect(page.locator(dashboard.row("sparrow", "analysis", 777))).to_have_attribute("data-state", state)
    assert _seconds_between(team_a_before, dashboard.control("GET", "/clock", headers=team_a).json()["now"]) == 60
    assert dashboard.control("GET", "/clock").json()["now"] == default_before


def test_thousands_of_resources_render_one_bounded_page(dashboard: Dashboard):
    many = {"name": "many", "resources": [
        {"vendor": "sparrow", "kind": "analysis", "id": 100_000 + i, "state": "ANALYSIS", "remaining": f"{i % 600}s"}
        for i in range(3000)]}
    assert dashboard.control("POST", "/scenarios", json=many).status_code == 201
    total = dashboard.control("GET", "/resources?limit=0").json()["total"]
    assert total == 3047
    page = dashboard.open()
    expect(page.locator("#page-range")).to_have_text(f"1–100 of {total}")
    expect(page.locator("tr.resource")).to_have_count(100)
    page.click('[data-kind="sparrow.analysis"]')
    expect(page.locator("#page-range")).to_have_text("1–100 of 3008")
    page.click("#page-next")
    expect(page.locator("#page-range")).to_have_text("101–200 of 3008")
    expect(page.locator("tr.resource")).to_have_count(100)
    expect(page.locator("tr.resource").first).to_have_attribute("data-resource", "sparrow/analysis/100092")
    page.click('button.advance[data-seconds="3600"]')
    expect(page.locator("tr.resource").first).to_have_attribute("data-state", "COMPLETE")


def test_the_page_loads_offline_from_its_own_assets(dashboard: Dashboard):
    page = dashboard.open()
    page.click(dashboard.row("sparrow", "analysis", 1004))
    expect(page.locator("#vendor-json")).to_contain_text('"analysisId": 1004')
    assert dashboard.refused == []
    origin = dashboard.server.url
    assets = {url.removeprefix(origin) for url in dashboard.requested if "/_simulator/ui" in url}
    assert assets >= {"/_simulator/ui", "/_simulator/ui/dashboard.js", "/_simulator/ui/dashboard.css",
                      "/_simulator/ui/meta.json"}
    assert all(url.startswith(origin + "/_simulator/") for url in dashboard.requested)


def _seconds_between(earlier: str, later: str) -> float:
    return round(parse_timestamp(later) - parse_timestamp(earlier), 3)


def test_under_a_control_token_the_page_asks_once_and_keeps_it_for_the_tab(browser, live_server_factory):
    """Against a real `--control-token` server: the page and its assets load without the token, every
    control call needs it; the page asks once, keeps it for the tab, and sends it on every call."""
    server = live_server_factory("--scenario", DEFAULT_SCENARIO, "--control-token", "s3cret")
    assert server.control("PUT", "/clock", json={"frozen": True},
                          headers={"Authorization": "Bearer s3cret"}).status_code == 200
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    seen: list[str | None] = []  # the Authorization header of every control call the page made
    page.on("request", lambda request: seen.append(request.headers.get("authorization"))
            if "/_simulator/" in request.url and not urlsplit(request.url).path.startswith(UI) else None)
    try:
        page.goto(f"{server.url}{UI}")
        dialog = page.locator("#token-dialog")
        expect(dialog).to_be_visible()
        page.fill("#token-input", "guess")
        page.click("#token-submit")
        expect(page.locator("#token-error")).to_contain_text("That token was refused")
        expect(dialog).to_be_visible()
        page.fill("#token-input", "s3cret")
        page.click("#token-submit")
        expect(dialog).to_be_hidden()
        expect(page.locator("#connection")).to_have_class(re.compile(r"\blive\b"))
        row = 'tr[data-resource="sparrow/analysis/1004"]'
        expect(page.locator(row)).to_have_attribute("data-state", "ANALYSIS")
        assert page.evaluate("sessionStorage.getItem('simulator.controlToken')") == "s3cret"

        page.click('button.advance[data-seconds="3600"]')
        expect(page.locator(row)).to_have_attribute("data-state", "COMPLETE")
        # A reload in the same tab keeps the token: no second question, every call carries it.
        page.reload()
        expect(page.locator("#connection")).to_have_class(re.compile(r"\blive\b"))
        expect(dialog).to_be_hidden()
    finally:
        context.close()
    first_good = seen.index("Bearer s3cret")
    assert set(seen[first_good:]) == {"Bearer s3cret"}
    assert set(seen[:first_good]) <= {None, "Bearer guess"}
    answer = server.control("GET", "/resources/sparrow/analysis/1004", headers={"Authorization": "Bearer s3cret"})
    assert answer.json()["state"] == "COMPLETE"  # the page's advance really reached the server


def test_a_shipped_scenario_loads_by_name(dashboard: Dashboard):
    shipped = dashboard.control("GET", "/scenarios/shipped").json()
    page = dashboard.open()
    expect(page.locator("#shipped option")).to_have_count(shipped["count"])
    expect(page.locator(dashboard.row("sparrow", "analysis", 2001))).to_have_count(0)

    page.select_option("#shipped", "sparrow-post-process")
    description = next(s["description"] for s in shipped["scenarios"] if s["name"] == "sparrow-post-process")
    expect(page.locator("#shipped-description")).to_have_text(description)
    page.click("#shipped-load")

    expect(page.locator("#scenario-result")).to_contain_text("Loaded sparrow-post-process: 1 resource(s)")
    expect(page.locator(dashboard.row("sparrow", "analysis", 2001))).to_have_attribute("data-state", "POST_PROCESS")
    assert dashboard.control("GET", "/resources/sparrow/analysis/2001").json()["state"] == "POST_PROCESS"
    assert "sparrow-post-process" in dashboard.control("GET", "/health").json()["scenarios"]
