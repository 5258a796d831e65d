"""Feldera checks pipeline bodies as the server does: configs against RuntimeConfig / ProgramConfig,
description and tags against the server's limits; a refused body changes nothing (reference 4;
server source pipeline-manager db/types/utils.rs and db/operations/pipeline.rs)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from simulator.vendors.feldera import configs
from tests.conftest import ROOT
from tests.vendorspec.specs import spec_path

from .conftest import COMPILE, SQL

VENDOR_SPEC = spec_path("feldera")  # the vendored copy (tests/vendor-specs), checked against shared/

# (runtime_config, the field the error names, what the reason says)
BAD_RUNTIME_CONFIGS = [
    ({"workers": -1}, "runtime_config.workers", "expected an integer >= 0"),
    ({"workers": "eight"}, "runtime_config.workers", 'invalid type: string "eight"'),
    ({"workers": 2.5}, "runtime_config.workers", "expected an integer"),
    ({"workers": 65536}, "runtime_config.workers", "expected an integer <= 65535"),
    ({"fault_tolerance": {"model": "sometimes"}}, "runtime_config.fault_tolerance.model", "unknown variant"),
    ({"cpu_profiler": "yes"}, "runtime_config.cpu_profiler", "expected a boolean"),
    ({"storage": {"backend": {"name": "tape"}}}, "runtime_config.storage.backend.name", "`file`"),
    ({"storage": {"backend": {"name": "file"}}}, "runtime_config.storage.backend.config", "missing field"),
    ({"storage": {"backend": {"name": "file", "config": {"sync": {"endpoint": "x"}}}}},
     "runtime_config.storage.backend.config.sync.bucket", "missing field"),
    ({"storage": {"compression": "zip"}}, "runtime_config.storage.compression", "unknown variant"),
    ({"pin_cpus": [-2]}, "runtime_config.pin_cpus[0]", "expected an integer >= 0"),
    ({"pin_cpus": 3}, "runtime_config.pin_cpus", "expected an array"),
    ({"resources": {"memory_mb_max": "1G"}}, "runtime_config.resources.memory_mb_max", "expected an integer"),
    ({"resources": 5}, "runtime_config.resources", "expected an object"),
    ({"env": {"A": 1}}, "runtime_config.env.A", "expected a string"),
    ({"dev_tweaks": {"merger": "fast"}}, "runtime_config.dev_tweaks.merger", "unknown variant"),
    ("eight workers", "runtime_config", "expected an object"),
]
BAD_PROGRAM_CONFIGS = [
    ({"profile": "fastest"}, "program_config.profile", "unknown variant"),
    ({"cache": "no"}, "program_config.cache", "expected a boolean"),
    ({"runtime_version": 3}, "program_config.runtime_version", "expected a string"),
    ([1], "program_config", "expected an object"),
]


def _assert_config_error(response, code: str, field: str, reason: str, value) -> None:
    assert response.status_code == 400
    body = response.get_json()
    assert set(body) == {"message", "error_code", "details"}
    assert body["error_code"] == code
    assert body["details"]["value"] == value
    text = body["details"]["error"]["DeserializationFailed"]
    assert text.startswith(f"{field}: ") and reason in text
    kind = "runtime_config" if code == "InvalidRuntimeConfig" else "program_config"
    assert body["message"].startswith(f"JSON for '{kind}' field:\n")
    assert body["message"].endswith(f"... is not valid due to: could not deserialize due to: {text}")


def test_config_schemas_are_the_vendor_spec_subset():
    committed = json.loads(Path(configs.__file__).with_name("config_schemas.json").read_text())
    assert {"RuntimeConfig", "ProgramConfig", "StorageBackendConfig", "FtConfig"} <= set(committed)
    if VENDOR_SPEC.exists():  # the spec lives outside the package; regenerate with configs.extract
        assert committed == configs.extract(json.loads(VENDOR_SPEC.read_text()))


@pytest.mark.parametrize("config,field,reason", BAD_RUNTIME_CONFIGS)
@pytest.mark.vendor_invalid_request
def test_post_with_a_bad_runtime_config_creates_nothing(client, config, field, reason):
    response = client.post("/v0/pipelines", json={"name": "p1", "program_code": SQL, "runtime_config": config})
    _assert_config_error(response, "InvalidRuntimeConfig", field, reason, config)
    assert client.get("/v0/pipelines").get_json() == []
    response = client.put("/v0/pipelines/p1", json={"name": "p1", "program_code": SQL, "runtime_config": config})
    _assert_config_error(response, "InvalidRuntimeConfig", field, reason, config)
    assert client.get("/v0/pipelines/p1").status_code == 404


@pytest.mark.parametrize("config,field,reason", BAD_PROGRAM_CONFIGS)
@pytest.mark.vendor_invalid_request
def test_post_with_a_bad_program_config_creates_nothing(client, config, field, reason):
    response = client.post("/v0/pipelines", json={"name": "p1", "program_code": SQL, "program_config": config})
    _assert_config_error(response, "InvalidProgramConfig", field, reason, config)
    assert client.get("/v0/pipelines").get_json() == []


@pytest.mark.parametrize("config,field,reason", BAD_RUNTIME_CONFIGS[:8])
@pytest.mark.vendor_invalid_request
def test_put_and_patch_with_a_bad_runtime_config_change_nothing(feldera, client, control, config, field, reason):
    feldera.create("p1", runtime_config={"workers": 3})
    control.advance(COMPILE)
    before = feldera.get("p1")
    for call in (client.patch, lambda url, json: client.put(url, json={"name": "p1", "program_code": "x", **json})):
        response = call("/v0/pipelines/p1", json={"runtime_config": config})
        _assert_config_error(response, "InvalidRuntimeConfig", field, reason, config)
        assert feldera.get("p1") == before
        assert client.get("/v0/pipelines").get_json()[0]["runtime_config"]["workers"] == 3


@pytest.mark.vendor_invalid_request
def test_patch_with_a_bad_program_config_changes_nothing(feldera, client, control):
    feldera.create("p1")
    control.advance(COMPILE)
    before = feldera.get("p1")
    response = client.patch("/v0/pipelines/p1", json={"program_config": {"profile": "turbo"}, "program_code": "x"})
    _assert_config_error(response, "InvalidProgramConfig", "program_config.profile", "unknown variant",
                         {"profile": "turbo"})
    assert feldera.get("p1") == before


def test_configs_are_stored_with_the_server_defaults(feldera, client):
    body = feldera.create("p1", runtime_config={"workers": 2, "resources": {"namespace": "team"}, "unknown": 1,
                                                "storage": {"backend": {"name": "file", "config": {}}}},
                          program_config={"profile": "dev"})
    config = body["runtime_config"]
    assert config["workers"] == 2 and config["hosts"] == 1 and "unknown" not in config
    assert config["resources"] == {"cpu_cores_min": None, "cpu_cores_max": None, "memory_mb_min": None,
                                   "memory_mb_max": None, "storage_mb_max": None, "storage_class": None,
                                   "service_account_name": None, "namespace": "team"}
    assert config["storage"]["backend"] == {"name": "file", "config": {"async_threads": None, "ioop_delay": None,
                                                                        "sync": None}}
    assert config["fault_tolerance"] == {"model": "none", "checkpoint_interval_secs": 60}
    assert config["tracing_endpoint_jaeger"] == "127.0.0.1:6831"
    assert body["program_config"] == {"profile": "dev", "cache": True, "runtime_version": None,
                                      "use_platform_compiler": False}
    assert feldera.get("p1")["runtime_config"] == config


@pytest.mark.parametrize("env,names", [
    ({"FELDERA_HOST": "x", "MY_VAR": "y"}, "FELDERA_HOST"),
    ({"RUST_LOG": "debug", "TOKIO_WORKER_THREADS": "2"}, "RUST_LOG, TOKIO_WORKER_THREADS"),
    ({"KUBERNETES_SERVICE_HOST": "h"}, "KUBERNETES_SERVICE_HOST"),
    ({"HOSTNAME": "h"}, "HOSTNAME"),
])
def test_reserved_env_names_are_refused(client, env, names):
    config = {"env": env}
    response = client.post("/v0/pipelines", json={"name": "p1", "program_code": SQL, "runtime_config": config})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error_code"] == "InvalidRuntimeConfig"
    reason = "the following environment variable(s) are reserved and cannot be overridden: " + names
    assert body["details"] == {"value": config, "error": {"InvalidPipelineEnv": reason}}
    assert body["message"].endswith("... is not valid due to: invalid pipeline environment: " + reason)
    assert client.get("/v0/pipelines").get_json() == []


def test_fault_tolerance_is_an_enterprise_feature(client, control):
    config = {"fault_tolerance": {"model": "exactly_once"}}
    control.load({"name": "community", "settings": {"feldera": {"edition": "community"}}})
    response = client.post("/v0/pipelines", json={"name": "p1", "program_code": SQL, "runtime_config": config})
    assert response.status_code == 400
    assert response.get_json()["details"] == {"value": config, "error": {"EnterpriseFeature": "fault tolerance"}}
    assert client.get("/v0/pipelines").get_json() == []
    control.load({"name": "enterprise", "settings": {"feldera": {"edition": "enterprise"}}})
    response = client.post("/v0/pipelines", json={"name": "p1", "program_code": SQL, "runtime_config": config})
    assert response.status_code == 201
    assert response.get_json()["runtime_config"]["fault_tolerance"]["model"] == "exactly_once"


@pytest.mark.parametrize("extra,code,details", [
    ({"description": "d" * 301}, "TooLongDescription", {"length": 301, "maximum": 300}),
    ({"tags": ["ok"] * 51}, "TooManyTags", {"count": 51, "maximum": 50}),
    ({"tags": ["ok", ""]}, "InvalidTag", {"tag": "", "reason": "it cannot be empty"}),
    ({"tags": ["t" * 51]}, "InvalidTag",
     {"tag": "t" * 51, "reason": "it is 51 characters long, but the maximum is 50"}),
    ({"tags": ["bad,tag"]}, "InvalidTag", {"tag": "bad,tag", "reason": (
        "it may contain only ASCII letters (a-z, A-Z), numbers (0-9), or one of space, '.', '_', '/', '|', '\\', "
        "':', '=' and '-'")}),
])
def test_client_metadata_limits(feldera, client, extra, code, details):
    response = client.post("/v0/pipelines", json={"name": "p1", "program_code": SQL, **extra})
    assert response.status_code == 400
    assert (response.get_json()["error_code"], response.get_json()["details"]) == (code, details)
    assert client.get("/v0/pipelines").get_json() == []
    feldera.create("p1", description="d" * 300, tags=["team:a/b|c\\d=e f.g_h-i"] * 50)
    before = feldera.get("p1")
    response = client.patch("/v0/pipelines/p1", json=extra)
    assert (response.status_code, response.get_json()["error_code"]) == (400, code)
    assert feldera.get("p1") == before


def test_bad_scenario_configs_are_refused(client):
    response = client.post("/_simulator/scenarios", json={"name": "bad", "resources": [
        {"vendor": "feldera", "kind": "pipeline", "id": "p1", "fields": {"runtime_config": {"workers": -1}}}]})
    assert response.status_code == 400
    assert any("workers" in str(d) for d in response.get_json()["details"])


def test_the_documented_config_schemas_are_the_enforced_ones():
    documented = yaml.safe_load((ROOT / "openapi" / "feldera.yaml").read_text())["components"]["schemas"]
    for name in configs.SCHEMAS:
        assert documented[name] == configs.documented(name), name
    assert documented["RuntimeConfig"]["properties"]["workers"]["maximum"] == 65535


# Bodies and queries the vendor's schema forbids, per simulated operation: (method, path, json body
# or None, error_code). Wrong types, out-of-range numbers, unknown enums, missing required fields.
NEGATIVE_INPUTS = [
    ("POST", "/v0/pipelines", {"program_code": SQL}, "BadRequest"),  # missing name
    ("POST", "/v0/pipelines", {"name": "n1"}, "BadRequest"),  # missing program_code
    ("POST", "/v0/pipelines", {"name": 5, "program_code": SQL}, "BadRequest"),
    ("POST", "/v0/pipelines", {"name": "n1", "program_code": SQL, "tags": "a"}, "BadRequest"),
    ("POST", "/v0/pipelines", {"name": "n1", "program_code": SQL, "description": 1}, "BadRequest"),
    ("POST", "/v0/pipelines", {"name": "n1", "program_code": SQL, "udf_rust": []}, "BadRequest"),
    ("POST", "/v0/pipelines", {"name": "n1", "program_code": SQL, "runtime_config": {"hosts": -1}},
     "InvalidRuntimeConfig"),
    ("POST", "/v0/pipelines", {"name": "n1", "program_code": SQL,
                               "runtime_config": {"storage": {"min_storage_bytes": 2**64}}}, "InvalidRuntimeConfig"),
    ("POST", "/v0/pipelines", {"name": "n1", "program_code": SQL, "program_config": {"profile": 1}},
     "InvalidProgramConfig"),
    ("PUT", "/v0/pipelines/p1", {"name": "p1"}, "BadRequest"),
    ("PUT", "/v0/pipelines/p1", {"name": "p1", "program_code": ["x"]}, "BadRequest"),
    ("PUT", "/v0/pipelines/p1", {"name": "p1", "program_code": SQL, "runtime_config": {"max_rss_mb": "big"}},
     "InvalidRuntimeConfig"),
    ("PUT", "/v0/pipelines/p1", {"name": "p1", "program_code": SQL, "tags": ["no,comma"]}, "InvalidTag"),
    ("PATCH", "/v0/pipelines/p1", {"program_code": 3}, "BadRequest"),
    ("PATCH", "/v0/pipelines/p1", {"tags": [1]}, "BadRequest"),
    ("PATCH", "/v0/pipelines/p1", {"runtime_config": {"storage": {"backend": {"name": "object", "config": {}}}}},
     "InvalidRuntimeConfig"),  # missing url
    ("PATCH", "/v0/pipelines/p1", {"runtime_config": {"io_workers": 1.5}}, "InvalidRuntimeConfig"),
    ("PATCH", "/v0/pipelines/p1", {"program_config": {"use_platform_compiler": "yes"}}, "InvalidProgramConfig"),
    ("PATCH", "/v0/pipelines/p1", {"description": "x" * 301}, "TooLongDescription"),
    ("GET", "/v0/pipelines?selector=everything", None, "BadRequest"),
    ("GET", "/v0/pipelines/p1?selector=1", None, "BadRequest"),
    ("POST", "/v0/pipelines/p1/start?bootstrap_policy=sometimes", None, "BadRequest"),
    ("POST", "/v0/pipelines/p1/start?dismiss_error=yes", None, "BadRequest"),
    ("POST", "/v0/pipelines/p1/stop?force=1", None, "BadRequest"),
    ("POST", "/v0/pipelines/p1/approve?silent_bootstrap=maybe", None, "BadRequest"),
    ("POST", "/v0/pipelines/p1/activate?initial=Flying", None, "BadRequest"),
    ("GET", "/v0/pipelines/p1/checkpoint_status?incarnation_uuid=7", None, "BadRequest"),
]


@pytest.mark.parametrize("method,path,body,code", NEGATIVE_INPUTS,
                         ids=[f"{m} {p} {i}" for i, (m, p, _, _) in enumerate(NEGATIVE_INPUTS)])
@pytest.mark.vendor_invalid_request
def test_inputs_the_vendor_schema_forbids_get_400_and_change_nothing(feldera, client, control, method, path, body,
                                                                      code):
    feldera.running("p1")
    before = client.get("/v0/pipelines").get_json()
    response = client.open(path, method=method, json=body)
    assert response.status_code == 400, response.get_json()
    error = response.get_json()
    assert set(error) == {"message", "error_code", "details"} and error["error_code"] == code
    assert isinstance(error["message"], str) and error["message"]
    control.advance(0.5)
    after = client.get("/v0/pipelines").get_json()
    assert [p["name"] for p in after] == ["p1"]
    assert [(p["version"], p["runtime_config"], p["description"], p["tags"], p["deployment_desired_status"])
            for p in after] == [(p["version"], p["runtime_config"], p["description"], p["tags"],
                                 p["deployment_desired_status"]) for p in before]
