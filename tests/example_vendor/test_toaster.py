"""The example vendor of docs/adding-a-vendor.md, served by the real app: the kit is enough on its own.

Every test drives the toaster through HTTP (the Flask test client, or a real socket) on a frozen
virtual clock, and checks the status, the body and the state afterwards.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import yaml

from simulator.cli import build_parser, settings_from
from simulator.engine.timefmt import parse_timestamp, rfc3339
from simulator.settings import Settings
from tests.conformance.test_documented_spec import _operations
from tests.example_vendor.conftest import AUTH, Toaster, toaster_app
from tests.example_vendor.toaster import VENDOR

HERE = Path(__file__).resolve().parent
SPEC = HERE / "toaster" / "openapi.yaml"
TIMEOUT = 10
OTHER = {"X-Simulator-Namespace": "replayed"}


def error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def after(toast: dict, seconds: float) -> str:
    """The toast's createdAt plus `seconds`, as the toaster writes times."""
    return rfc3339(parse_timestamp(toast["createdAt"]) + seconds)


# --- the operations ------------------------------------------------------------------------------

def test_create_get_eject_then_the_table_refuses_a_second_eject(toaster):
    created = toaster.create({"bread": "sourdough", "level": 5})
    assert created.status_code == 201, created.get_data(as_text=True)
    toast = created.get_json()
    assert {k: toast[k] for k in ("id", "bread", "level", "state", "ejected", "doneAt")} == {
        "id": "1", "bread": "sourdough", "level": 5, "state": "toasting", "ejected": False, "doneAt": None}
    assert toaster.state(1) == "toasting"

    fetched = toaster.get(1)
    assert fetched.status_code == 200 and fetched.get_json() == toast

    toaster.control.advance(10)
    ejected = toaster.eject(1)
    assert ejected.status_code == 200, ejected.get_data(as_text=True)
    assert ejected.get_json() == {**toast, "state": "done", "ejected": True, "doneAt": after(toast, 10)}
    detail = toaster.control.resource("toaster", "toast", 1)
    assert detail["state"] == "done" and detail["fields"]["ejected"] is True
    assert [h["cause"] for h in detail["history"]] == ["created", "action:eject"]

    refused = toaster.eject(1)
    assert refused.status_code == 409
    assert refused.get_json() == error("ALREADY_DONE", "The toast is done already.")
    assert toaster.control.resource("toaster", "toast", 1)["history"] == detail["history"]  # nothing moved


def test_the_timer_ends_toasting_on_the_virtual_clock(toaster):
    toast = toaster.create().get_json()
    toaster.control.advance(59.5)
    assert toaster.get(1).get_json() == toast  # still toasting half a second before the timer
    toaster.control.advance(0.5)
    assert toaster.get(1).get_json() == {**toast, "state": "done", "doneAt": after(toast, 60)}
    assert toaster.control.resource("toaster", "toast", 1)["history"][-1]["cause"] == "timer"
    assert toaster.eject(1).status_code == 409  # the timer's `done` refuses an eject like the action's


def test_unknown_toast_is_404_in_the_envelope(toaster):
    for toast_id in ("42", "abc"):
        response = toaster.get(toast_id)
        assert response.status_code == 404
        assert response.get_json() == error("TOAST_NOT_FOUND", f"No toast with id {toast_id}.")
        assert toaster.eject(toast_id).get_json() == error("TOAST_NOT_FOUND", f"No toast with id {toast_id}.")
    assert toaster.toasts() == []


@pytest.mark.parametrize(("body", "message"), [
    ({"bread": "rye", "butter": True}, "butter: Unknown field."),
    ({"bread": "rye", "level": "3"}, "level: Not a valid integer."),
    ({"bread": "rye", "level": 11}, "level: Must be greater than or equal to 1 and less than or equal to 10."),
    ({"bread": "baguette"}, "bread: Must be one of: white, rye, sourdough."),
    ({}, "bread: Missing data for required field."),
    (["rye"], "Invalid input type."),
])
def test_a_bad_body_is_400_in_the_envelope_and_creates_nothing(toaster, body, message):
    response = toaster.create(body)
    assert response.status_code == 400
    assert response.get_json() == error("INVALID_REQUEST", message)
    assert toaster.toasts() == []
    assert toaster.create().get_json()["id"] == "1"  # no id was used up


def test_a_body_that_is_not_json_is_400_in_the_envelope(toaster):
    response = toaster.client.post("/toaster/v1/toasts", data=b"{bread", content_type="application/json",
                                   headers=AUTH)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "INVALID_REQUEST"
    assert toaster.toasts() == []


def test_generic_http_errors_are_in_the_envelope(toaster):
    wrong_method = toaster.client.put("/toaster/v1/toasts", headers=AUTH)
    assert wrong_method.status_code == 405
    assert set(wrong_method.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
    assert wrong_method.get_json() == error("METHOD_NOT_ALLOWED", "Method not allowed on this endpoint.")
    no_route = toaster.client.get("/toaster/v2/toasts", headers=AUTH)
    assert no_route.status_code == 404 and no_route.get_json() == error("NOT_FOUND", "No such endpoint.")


def test_only_the_scenarios_keys_are_accepted(toaster):
    toaster.control.load({"name": "keys", "auth": {"toaster": {"keys": ["toast-key"]}}})
    for headers in ({"Authorization": "Bearer other"}, {}):
        refused = toaster.client.post("/toaster/v1/toasts", json={"bread": "rye"}, headers=headers)
        assert refused.status_code == 401
        assert refused.get_json() == error("UNAUTHENTICATED", "A bearer key is missing or unknown.")
    assert toaster.toasts() == []
    assert toaster.create().status_code == 201


# --- scenarios -----------------------------------------------------------------------------------

def test_a_scenario_puts_a_toast_in_done(toaster):
    toaster.control.load({"name": "done", "resources": [
        {"vendor": "toaster", "kind": "toast", "id": "7", "state": "done", "fields": {"bread": "white", "level": 2}}]})
    toast = toaster.get(7)
    assert toast.status_code == 200
    assert {k: toast.get_json()[k] for k in ("id", "bread", "level", "state", "ejected")} == {
        "id": "7", "bread": "white", "level": 2, "state": "done", "ejected": False}
    assert toaster.eject(7).status_code == 409
    assert toaster.create().get_json()["id"] == "8"  # seeding moved the id counter past 7


def test_scenario_timing_overrides_the_toasting_time(toaster):
    toaster.control.load({
        "name": "quick", "timing": {"toaster.toast": {"toasting": 5}},
        "resources": [{"vendor": "toaster", "kind": "toast", "id": "3", "timing": {"toasting": 2}}],
    })
    assert toaster.create().get_json()["id"] == "4"
    toaster.control.advance(2)
    assert (toaster.state(3), toaster.state(4)) == ("done", "toasting")  # the resource's own timing first
    toaster.control.advance(3)
    assert toaster.get(4).get_json()["state"] == "done"  # then the scenario's, not the default 60 s


def test_scenario_settings_give_the_default_level(toaster):
    toaster.control.load({"name": "dark", "settings": {"toaster": {"default_level": 8}}})
    assert toaster.create({"bread": "rye"}).get_json()["level"] == 8
    assert toaster.create({"bread": "rye", "level": 2}).get_json()["level"] == 2


def test_the_guides_scenario_loads_as_it_says(toaster):
    guide = (HERE.parent.parent / "docs" / "adding-a-vendor.md").read_text(encoding="utf-8")
    block = guide[guide.index("```yaml\nname: quick-toasts"):].split("\n", 1)[1].split("```", 1)[0]
    loaded = toaster.client.post("/_simulator/scenarios", data=block, content_type="application/yaml")
    assert loaded.status_code == 201, loaded.get_data(as_text=True)
    assert (toaster.get(7).get_json()["state"], toaster.get(8).get_json()["state"]) == ("done", "toasting")
    created = toaster.create({"bread": "rye"}).get_json()
    assert (created["id"], created["level"]) == ("9", 8)  # after the seeded ids; settings' default level
    toaster.control.advance(5)
    assert [toaster.state(i) for i in (8, 9)] == ["toasting", "done"]  # timing: 5 s for a new toast
    toaster.control.advance(5)
    assert toaster.state(8) == "done"  # remaining: 10
    assert toaster.client.get("/toaster/v1/toasts/7", headers={"Authorization": "Bearer other"}).status_code == 401


@pytest.mark.parametrize(("scenario", "path", "words"), [
    ({"timing": {"toaster.toast": {"done": 5}}}, "timing.toaster.toast.done", "not a timed state"),
    ({"resources": [{"vendor": "toaster", "kind": "toast", "id": "0"}]}, "resources[0].id", "positive whole number"),
    ({"resources": [{"vendor": "toaster", "kind": "toast", "id": "1", "state": "burnt"}]}, "resources[0].state",
     "allowed: toasting, done"),
    ({"resources": [{"vendor": "toaster", "kind": "toast", "id": "1", "fields": {"crust": 1}}]},
     "resources[0].fields.crust", "Unknown field."),
    ({"settings": {"toaster": {"default_level": 0}}}, "settings.toaster.default_level", "greater than or equal"),
])
def test_a_bad_scenario_is_refused_with_its_place_and_loads_nothing(toaster, scenario, path, words):
    response = toaster.client.post("/_simulator/scenarios", json={"name": "bad", **scenario})
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid scenario"
    problems = response.get_json()["details"]
    assert any(p["path"] == path and words in p["message"] for p in problems), problems
    assert toaster.toasts() == []
    assert toaster.create().get_json()["level"] == 3


def test_the_export_loads_back_to_the_same_toasts(toaster):
    for bread in ("white", "rye", "sourdough"):
        toaster.create({"bread": bread})
    toaster.control.advance(20)
    toaster.eject(2)

    exported = toaster.client.get("/_simulator/scenario")
    assert exported.status_code == 200 and exported.mimetype == "application/yaml"
    document = yaml.safe_load(exported.data)
    assert [(r["id"], r["state"], r.get("remaining")) for r in document["resources"]] == [
        ("1", "toasting", 40.0), ("2", "done", None), ("3", "toasting", 40.0)]
    assert document["counters"] == {"toaster.toast": 3}

    loaded = toaster.client.post("/_simulator/scenarios", data=exported.data, content_type="application/yaml",
                                 headers=OTHER)
    assert loaded.status_code == 201, loaded.get_data(as_text=True)
    replayed = Toaster(toaster.client, OTHER)
    assert [replayed.get(i).get_json() for i in (1, 2, 3)] == [toaster.get(i).get_json() for i in (1, 2, 3)]
    replayed.client.post("/_simulator/clock/advance", json={"seconds": 40}, headers=OTHER)
    assert [replayed.get(i).get_json()["state"] for i in (1, 2, 3)] == ["done", "done", "done"]
    assert replayed.create().get_json()["id"] == "4"  # the counter came back too
    assert [t["state"] for t in toaster.toasts()] == ["toasting", "done", "toasting"]  # the original is untouched


# --- capacity, the contract, the dashboard ---------------------------------------------------------

def test_a_create_beyond_max_resources_is_the_capacity_row_and_changes_nothing():
    settings = settings_from(build_parser().parse_args(["serve", "--max-resources", "1"]))
    toaster = Toaster(toaster_app(settings).test_client())
    assert toaster.create().status_code == 201
    refused = toaster.create({"bread": "white"})
    assert refused.status_code == 409
    assert refused.get_json() == error("TOASTER_FULL", "The toaster holds at most 1 toasts.")
    assert [t["id"] for t in toaster.toasts()] == ["1"]
    counters = toaster.client.get("/_simulator/scenario", headers={"Accept": "application/json"}).get_json()
    assert counters["counters"] == {"toaster.toast": 1}  # the refused create used no id


def test_app_spec_statuses_are_the_documented_ones():
    documented = _operations(yaml.safe_load(SPEC.read_text())["paths"], lambda path: True)
    app_spec = toaster_app().extensions["simulator_api"].spec.to_dict()
    served = _operations(app_spec["paths"], VENDOR.owns)
    assert served == documented
    assert served[("POST", "/toaster/v1/toasts")] == {"201", "400", "401", "409", "413", "500"}


def test_the_dashboard_view_is_the_vendors_get(toaster):
    toaster.create()
    view = VENDOR.views["toast"]
    simulation = toaster.client.application.extensions["simulator"].simulation
    with simulation.transaction() as tx:
        body = view.render(tx, tx.get("toaster", "toast", "1"))
    assert view.path.format(id="1") == "/toaster/v1/toasts/1"
    assert body == toaster.get(1).get_json()
    # what the dashboard shows: the same body through the control API, and the state's colour
    shown = toaster.client.get("/_simulator/resources/toaster/toast/1/vendor")
    assert shown.status_code == 200
    assert shown.get_json() == {"path": "/toaster/v1/toasts/1", "body": body}
    meta = toaster.client.get("/_simulator/ui/meta.json").get_json()
    assert meta["states"]["toaster.toast"] == {"toasting": "running", "done": "done"}
    assert toaster.client.get("/_simulator/resources/toaster/toast/9/vendor").status_code == 404


# --- a real socket ---------------------------------------------------------------------------------

def test_on_a_real_socket(toaster_server_factory):
    settings = settings_from(build_parser().parse_args(["serve", "--max-resources", "2"]))
    server = toaster_server_factory(settings)

    def call(method, path, **kwargs):
        return requests.request(method, f"{server.url}{path}", headers=AUTH, timeout=TIMEOUT, **kwargs)

    assert call("PUT", "/_simulator/clock", json={"frozen": True}).status_code == 200
    created = call("POST", "/toaster/v1/toasts", json={"bread": "rye", "level": 4})
    assert created.status_code == 201 and created.json()["state"] == "toasting"
    assert call("POST", "/toaster/v1/toasts", json={"bread": "rye", "crust": 1}).json() == error(
        "INVALID_REQUEST", "crust: Unknown field.")
    assert call("POST", "/_simulator/clock/advance", json={"seconds": 60}).status_code == 200
    assert call("GET", "/toaster/v1/toasts/1").json() == {**created.json(), "state": "done",
                                                          "doneAt": after(created.json(), 60)}
    refused = call("POST", "/toaster/v1/toasts/1/eject")
    assert refused.status_code == 409 and refused.json() == error("ALREADY_DONE", "The toast is done already.")

    assert call("POST", "/toaster/v1/toasts", json={"bread": "white"}).status_code == 201
    full = call("POST", "/toaster/v1/toasts", json={"bread": "white"})
    assert full.status_code == 409 and full.json() == error("TOASTER_FULL", "The toaster holds at most 2 toasts.")
    listed = call("GET", "/_simulator/resources", params={"vendor": "toaster"}).json()["resources"]
    assert [(t["id"], t["state"]) for t in listed] == [("1", "done"), ("2", "toasting")]
    journal = call("GET", "/_simulator/requests", params={"vendor": "toaster", "status": 409}).json()["requests"]
    assert [entry["operation"] for entry in journal] == ["ejectToast", "createToast"]


def test_schemathesis_finds_no_failure(toaster_server_factory):
    """tests/conformance/test_schemathesis.py's run, against the toaster's openapi.yaml."""
    server = toaster_server_factory(Settings(scenarios=[str(HERE / "toaster.scenario.yaml")]))
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--no-color", "--config-file", str(HERE / "toaster.toml"),
        "run", str(SPEC), "--url", server.url, "--checks", "all", "--seed", "20261122", "--workers", "1",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    summary = result.stdout[result.stdout.rfind("SUMMARY"):]
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert "Stateful" in summary, "the stateful phase did not run"
    assert "Tested: 3" in summary, summary
