"""Start (reference section 2.1): validation, catalogue, duplicate external id, the new deployment."""
import re

import pytest

from .conftest import MACHINE, assert_error, start_body

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _config(**overrides):
    return {"image": "nginx:1.27", **overrides}


def test_start_answers_a_uuid_and_the_deployment_is_pending_then_running(hiveon, control):
    response = hiveon.start()
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"deployment_id"} and UUID4.match(body["deployment_id"])
    deployment_id = body["deployment_id"]

    got = hiveon.get(deployment_id).get_json()
    assert got == {
        "deployment_id": deployment_id,
        "machine_id": MACHINE,
        "external_deployment_id": "",
        "status": "STATUS_PENDING",
        "metadata": {"team": "demo"},
    }
    control.advance(2.9)
    assert hiveon.status(deployment_id) == "STATUS_PENDING"
    control.advance(0.1)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"
    control.advance(3600)  # RUNNING has no timer of its own: it stays until stopped
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"
    assert hiveon.history(deployment_id) == ["STATUS_PENDING", "STATUS_RUNNING"]
    assert hiveon.resource(deployment_id)["next"] is None


def test_the_pending_duration_is_settable_by_scenario(hiveon, control):
    hiveon.load(timing={"hiveon.deployment": {"STATUS_PENDING": "20s"}})
    deployment_id = hiveon.new()
    control.advance(19)
    assert hiveon.status(deployment_id) == "STATUS_PENDING"
    control.advance(1)
    assert hiveon.status(deployment_id) == "STATUS_RUNNING"


def test_a_minimal_body_is_accepted(hiveon):
    body = {"machine_id": "m", "machine_price_id": "p", "container_config": {"image": "i"}}
    response = hiveon.start(body)
    assert response.status_code == 200
    got = hiveon.get(response.get_json()["deployment_id"]).get_json()
    assert got["external_deployment_id"] == "" and got["metadata"] == {} and "fail_reason" not in got


def test_every_documented_field_is_accepted(hiveon):
    body = start_body(
        external_deployment_id="vendor-42",
        ssh_pub_keys=["ssh-ed25519 AAAA demo"],
        container_config={
            "image": "ghcr.io/example/app:1",
            "docker_auth": {"server": "ghcr.io", "login": "me", "password": "docker-secret"},
            "ports": [{"host_port": 1, "protocol": "PORT_PROTOCOL_TCP"},
                      {"host_port": 65535, "protocol": "PORT_PROTOCOL_HTTPS"}],
            "startup_script": "echo hi",
            "environment_variables": {"A": "1", "B": ""},
        },
        metadata={"team": "demo", "CLORE_API_KEY": "clore-secret"},
    )
    response = hiveon.start(body)
    assert response.status_code == 200
    got = hiveon.get("vendor-42").get_json()
    assert got["deployment_id"] == response.get_json()["deployment_id"]
    assert got["external_deployment_id"] == "vendor-42"
    assert got["metadata"] == {"team": "demo"}  # the CLORE_API_KEY is never shown


INVALID = {
    "machine_id missing": (lambda b: b.pop("machine_id"), "machine_id"),
    "machine_id empty": (lambda b: b.update(machine_id=""), "machine_id"),
    "machine_id not a string": (lambda b: b.update(machine_id=7), "machine_id"),
    "machine_price_id missing": (lambda b: b.pop("machine_price_id"), "machine_price_id"),
    "machine_price_id empty": (lambda b: b.update(machine_price_id=""), "machine_price_id"),
    "container_config missing": (lambda b: b.pop("container_config"), "container_config"),
    "container_config not an object": (lambda b: b.update(container_config="nginx"), "container_config"),
    "image missing": (lambda b: b.update(container_config={}), "container_config.image"),
    "image empty": (lambda b: b.update(container_config=_config(image="")), "container_config.image"),
    "port 0": (lambda b: b.update(container_config=_config(ports=[{"host_port": 0, "protocol": "PORT_PROTOCOL_TCP"}])),
               "container_config.ports.0.host_port"),
    "port 65536": (lambda b: b.update(container_config=_config(
        ports=[{"host_port": 65536, "protocol": "PORT_PROTOCOL_TCP"}])), "container_config.ports.0.host_port"),
    "port as a string": (lambda b: b.update(container_config=_config(
        ports=[{"host_port": "80", "protocol": "PORT_PROTOCOL_TCP"}])), "container_config.ports.0.host_port"),
    "port without protocol": (lambda b: b.update(container_config=_config(ports=[{"host_port": 80}])),
                              "container_config.ports.0.protocol"),
    "unspecified protocol": (lambda b: b.update(container_config=_config(
        ports=[{"host_port": 80, "protocol": "PORT_PROTOCOL_UNSPECIFIED"}])), "container_config.ports.0.protocol"),
    "unknown protocol": (lambda b: b.update(container_config=_config(
        ports=[{"host_port": 80, "protocol": "udp"}])), "container_config.ports.0.protocol"),
    "ports as plain integers (Salad variant)": (lambda b: b.update(container_config=_config(ports=[80])),
                                                "container_config.ports.0"),
    "101 ports": (lambda b: b.update(container_config=_config(
        ports=[{"host_port": 1000 + i, "protocol": "PORT_PROTOCOL_TCP"} for i in range(101)])),
        "container_config.ports"),
    "env value not a string": (lambda b: b.update(container_config=_config(environment_variables={"A": 1})),
                               "container_config.environment_variables"),
    "env not a map": (lambda b: b.update(container_config=_config(environment_variables=["A=1"])),
                      "container_config.environment_variables"),
    "metadata value not a string": (lambda b: b.update(metadata={"n": 1}), "metadata"),
    "empty ssh key": (lambda b: b.update(ssh_pub_keys=[""]), "ssh_pub_keys.0"),
    "docker_auth unknown field": (lambda b: b.update(container_config=_config(docker_auth={"token": "x"})),
                                  "container_config.docker_auth.token"),
    "unknown top-level field": (lambda b: b.update(colour="blue"), "colour"),
    "external id not a string": (lambda b: b.update(external_deployment_id=5), "external_deployment_id"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_each_broken_rule_is_400_invalid_argument_and_creates_nothing(hiveon, control, case):
    mutate, field = INVALID[case]
    body = start_body()
    mutate(body)
    response = hiveon.start(body)
    error = assert_error(response, 400, 3, contains="invalid argument")
    [detail] = error["details"]
    assert detail["@type"] == "type.googleapis.com/google.rpc.BadRequest"
    assert any(v["field"].startswith(field) for v in detail["field_violations"]), detail
    assert control.client.get("/_simulator/resources?vendor=hiveon").get_json()["count"] == 0


def test_exactly_100_ports_are_accepted(hiveon):
    ports = [{"host_port": 1000 + i, "protocol": "PORT_PROTOCOL_TCP"} for i in range(100)]
    assert hiveon.start(start_body(container_config=_config(ports=ports))).status_code == 200


@pytest.mark.parametrize("raw", ["", "not json", "[1, 2]", "null"])
def test_a_body_that_is_not_a_json_object_is_400(hiveon, client, raw):
    response = client.post("/vendors/v1/machines/deployments/start", data=raw,
                           content_type="application/json", headers={"X-API-Key": "k"})
    assert_error(response, 400, 3)


def test_a_duplicate_external_id_is_400_and_the_first_deployment_keeps_it(hiveon, control):
    first = hiveon.new(external_deployment_id="order-7")
    response = hiveon.start(start_body(external_deployment_id="order-7"))
    assert_error(response, 400, 3, contains="external_deployment_id")
    assert hiveon.get("order-7").get_json()["deployment_id"] == first
    assert control.client.get("/_simulator/resources?vendor=hiveon&kind=deployment").get_json()["count"] == 1


def test_an_empty_external_id_means_none_and_is_never_a_duplicate(hiveon):
    first = hiveon.new(external_deployment_id="")
    second = hiveon.new(external_deployment_id="")
    assert first != second
    assert hiveon.get(first).get_json()["external_deployment_id"] == ""


def test_an_external_id_stays_taken_after_its_deployment_stopped(hiveon, control):
    deployment_id = hiveon.new(external_deployment_id="job-1")
    assert hiveon.stop(deployment_id).status_code == 200
    control.advance(10)
    assert hiveon.status("job-1") == "STATUS_STOPPED"
    assert_error(hiveon.start(start_body(external_deployment_id="job-1")), 400, 3)


# --- the machine and price catalogue -------------------------------------------------------------

CATALOGUE = [
    {"vendor": "hiveon", "kind": "machine", "id": "m-1", "fields": {"prices": ["p-1a", "p-1b"]}},
    {"vendor": "hiveon", "kind": "machine", "id": "m-2", "fields": {"prices": ["p-2"]}},
]


def test_without_a_catalogue_any_machine_and_price_id_is_accepted(hiveon):
    assert hiveon.start(start_body(machine_id="anything", machine_price_id="whatever")).status_code == 200


@pytest.mark.parametrize(("machine", "price"), [("m-1", "p-1a"), ("m-1", "p-1b"), ("m-2", "p-2")])
def test_with_a_catalogue_a_listed_machine_and_price_start(hiveon, machine, price):
    hiveon.load(resources=CATALOGUE)
    deployment_id = hiveon.new(machine_id=machine, machine_price_id=price)
    assert hiveon.get(deployment_id).get_json()["machine_id"] == machine


@pytest.mark.parametrize(("machine", "price", "message"), [
    ("m-9", "p-1a", "machine not found"),
    ("m-1", "p-9", "machine price not found"),
    ("m-2", "p-1a", "machine price not found"),  # a price of another machine
])
def test_with_a_catalogue_an_unknown_machine_or_price_is_404(hiveon, control, machine, price, message):
    hiveon.load(resources=CATALOGUE)
    response = hiveon.start(start_body(machine_id=machine, machine_price_id=price))
    assert_error(response, 404, 5, contains=message)
    assert control.client.get("/_simulator/resources?vendor=hiveon&kind=deployment").get_json()["count"] == 0


def test_validation_comes_before_the_catalogue(hiveon):
    hiveon.load(resources=CATALOGUE)
    assert_error(hiveon.start(start_body(machine_id="m-9", container_config={})), 400, 3)


def test_the_catalogue_comes_before_the_duplicate_external_id(hiveon):
    hiveon.load(resources=CATALOGUE)
    hiveon.new(machine_id="m-1", machine_price_id="p-1a", external_deployment_id="x")
    response = hiveon.start(start_body(machine_id="m-9", machine_price_id="p-1a", external_deployment_id="x"))
    assert_error(response, 404, 5)


def test_the_catalogue_is_visible_in_the_control_api(hiveon, control):
    hiveon.load(resources=CATALOGUE)
    machine = control.resource("hiveon", "machine", "m-1")
    assert machine["state"] == "AVAILABLE" and machine["fields"] == {"prices": ["p-1a", "p-1b"]}


def test_the_external_id_index_holds_among_many_deployments(hiveon):
    """The duplicate check and the lookup by external id use an index kept beside the store."""
    for index in range(200):
        hiveon.new(external_deployment_id=f"bulk-{index}")
    assert_error(hiveon.start(start_body(external_deployment_id="bulk-199")), 400, 3)
    assert hiveon.get("bulk-0").status_code == 200
