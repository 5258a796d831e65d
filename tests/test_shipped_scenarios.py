"""Shipped scenarios by name: the control API's listing and `?name=`, and runtime start-up by name."""
from __future__ import annotations

import pytest
import yaml

from simulator.app import create_app
from simulator.settings import Settings
from simulator.shipped import ScenariosRefused

from .conftest import SCENARIOS


def test_the_listing_names_every_file_in_scenarios_with_its_description(client):
    response = client.get("/_simulator/scenarios/shipped")
    assert response.status_code == 200
    body = response.get_json()
    names = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    assert [item["name"] for item in body["scenarios"]] == names
    assert body["count"] == len(names)
    default = next(item for item in body["scenarios"] if item["name"] == "default")
    expected = " ".join(yaml.safe_load((SCENARIOS / "default.yaml").read_text())["description"].split())
    assert default["description"] == expected


def test_a_shipped_scenario_loads_by_name_into_the_callers_namespace_only(client):
    headers = {"X-Simulator-Namespace": "mine"}
    response = client.post("/_simulator/scenarios?name=sparrow-init-stop", headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "sparrow-init-stop"
    assert body["source"] == "scenarios/sparrow-init-stop.yaml"
    mine = client.get("/_simulator/resources", headers=headers).get_json()
    assert mine["count"] == len(body["resources"]) > 0
    assert client.get("/_simulator/resources").get_json()["count"] == 0  # the default namespace is untouched
    assert client.get("/_simulator/health", headers=headers).get_json()["scenarios"] == ["sparrow-init-stop"]


@pytest.mark.parametrize("name", ["nope", "../scenarios/default", "default.yaml", ""])
def test_an_unknown_name_is_404_with_the_allowed_names_and_loads_nothing(client, name):
    response = client.post(f"/_simulator/scenarios?name={name}")
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"] == f"no shipped scenario {name!r}"
    assert "default" in body["details"]["allowed"]
    assert client.get("/_simulator/resources").get_json()["count"] == 0


def test_health_tells_the_package_version(client):
    from simulator import __version__

    body = client.get("/_simulator/health").get_json()
    assert body["version"] == __version__


def test_the_server_starts_from_a_shipped_name_when_no_such_file_exists(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./default file here
    app = create_app(Settings(scenarios=["default"]))
    health = app.test_client().get("/_simulator/health").get_json()
    assert health["scenarios"] == ["default"]
    assert health["resources"] > 0


def test_a_file_wins_over_a_shipped_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "default").write_text("name: mine\nresources: []\n")
    app = create_app(Settings(scenarios=["default"]))
    assert app.test_client().get("/_simulator/health").get_json()["scenarios"] == ["mine"]


def test_every_bad_startup_scenario_is_reported_at_once(tmp_path):
    missing = tmp_path / "missing.yaml"
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ScenariosRefused) as caught:
        create_app(Settings(scenarios=[str(missing), "default", str(latin1), "no-such-name"]))
    lines = caught.value.lines()
    assert lines == [
        f"{missing}: (document): cannot read the file: No such file or directory",
        f"{latin1}: (document): not UTF-8 text (byte 0xe9 at offset 9); save the file as UTF-8",
        "no-such-name: (document): no such file, and no shipped scenario of that name; shipped: "
        + ", ".join(sorted(p.stem for p in SCENARIOS.glob("*.yaml"))),
    ]
