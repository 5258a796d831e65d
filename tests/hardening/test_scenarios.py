"""Issue 11 item 4: hostile scenario documents are refused before they cost memory or change anything.

Alias bombs, recursive anchors and runaway nesting are caught on the composed YAML graph, before
construction; free-form `fields` are bounded; `restore: exact` entries are checked against what the
vendor's seeding gives; a file that is not UTF-8 is named.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import ROOT
from tests.hardening.conftest import SPARROW_AUTH, TIMEOUT, assert_healthy, journal, snapshot, vm_kib

BOMB_LEVELS = 9  # 9 ** 9 = 387 million strings once expanded; the document is about 600 bytes
MEMORY_SLACK_KIB = 4 * 1024  # what one refused document may add to the server's peak memory


def billion_laughs() -> str:
    lines = ["name: lol", 'description: &l0 "lol"']
    for level in range(1, BOMB_LEVELS + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    lines.append(f"resources: [{{vendor: sparrow, kind: analysis, id: 1, fields: {{x: *l{BOMB_LEVELS}}}}}]")
    return "\n".join(lines) + "\n"


def post_scenario(server, text: str, content_type: str = "application/yaml") -> requests.Response:
    return requests.post(f"{server.url}/_simulator/scenarios", data=text.encode(),
                         headers={"Content-Type": content_type}, timeout=TIMEOUT)


def problems_of(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid scenario"
    return {problem["path"]: problem["message"] for problem in body["details"]}


def assert_unharmed(server, before: dict) -> None:
    assert snapshot(server) == before
    response = requests.get(f"{server.url}/api/v3/analysis/1001", headers=SPARROW_AUTH, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    assert journal(server, path="/api/v3/analysis/1001")[-1]["status"] == 200
    assert_healthy(server)


def test_a_billion_laughs_document_is_refused_in_little_time_and_memory(shared):
    document = billion_laughs()
    assert len(document) < 700
    before, peak_before = snapshot(shared), vm_kib(shared)
    started = time.monotonic()
    response = post_scenario(shared, document)
    elapsed = time.monotonic() - started
    problems = problems_of(response)
    assert any("alias" in message and "10000 nodes" in message for message in problems.values()), problems
    assert elapsed < 2.0, f"took {elapsed:.2f}s"
    assert vm_kib(shared) - peak_before < MEMORY_SLACK_KIB
    assert_unharmed(shared, before)


@pytest.mark.parametrize("document", [
    "name: loop\nresources: [{vendor: sparrow, kind: analysis, id: 1, fields: &f {self: *f}}]\n",
    "name: loop\nsettings: &s {sparrow: [*s]}\n",
    "&doc {name: loop, description: *doc}\n",
], ids=["mapping", "sequence", "document"])
def test_a_recursive_anchor_is_refused(shared, document):
    before = snapshot(shared)
    problems = problems_of(post_scenario(shared, document))
    assert any("recursive anchor" in message for message in problems.values()), problems
    assert_unharmed(shared, before)


def test_yaml_nested_100_000_levels_is_refused(shared):
    before = snapshot(shared)
    problems = problems_of(post_scenario(shared, "name: deep\ndescription: " + "[" * 100_000 + "]" * 100_000))
    assert any("nested deeper than 100 levels" in message for message in problems.values()), problems
    assert_unharmed(shared, before)


def test_a_yaml_integer_of_5000_digits_is_refused(shared):
    before = snapshot(shared)
    problems = problems_of(post_scenario(shared, "name: big\nresources: [{vendor: sparrow, kind: analysis, id: 1, "
                                                  "fields: {n: " + "9" * 5000 + "}}]\n"))
    assert any("not valid YAML" in message for message in problems.values()), problems
    assert_unharmed(shared, before)


def _nested(levels: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(levels - 1):
        value = {"x": value}
    return value


@pytest.mark.parametrize(("fields", "allowed"), [
    (_nested(33), "nested at most 32 levels deep"),
    ({"many": list(range(10_001))}, "at most 10000 values"),
    ({"text": "x" * (1024 * 1024 + 1)}, "at most 1048576 characters"),
], ids=["depth", "values", "text"])
def test_free_form_fields_are_bounded(shared, fields, allowed):
    document = {"name": "big-fields", "resources": [{"vendor": "sparrow", "kind": "analysis", "id": 77,
                                                     "fields": fields}]}
    before = snapshot(shared)
    problems = problems_of(post_scenario(shared, json.dumps(document), "application/json"))
    assert allowed in problems.get("resources[0].fields", ""), problems
    assert_unharmed(shared, before)


def test_free_form_fields_within_the_bounds_load(live):
    record = {"toolType": "SAST", "requestId": 1, "resultVersion": 2, "callbacks": [], "memo": "x" * 1000,
              "source": {"type": "VCS", "url": "https://example.com/a.git"}}
    fields = {**record, "deep": _nested(30), "list": list(range(1000))}
    document = {"name": "fits", "resources": [{"vendor": "sparrow", "kind": "analysis", "id": 77, "restore": "exact",
                                               "fields": fields}]}
    response = post_scenario(live, json.dumps(document), "application/json")
    assert response.status_code == 201, response.text
    assert live.control("GET", "/resources/sparrow/analysis/77").json()["fields"]["deep"] == _nested(30)


@pytest.mark.parametrize(("entry", "path", "needed"), [
    ({"vendor": "sparrow", "kind": "analysis", "id": "5", "restore": "exact", "fields": {"toolType": "SAST"}},
     "resources[0].fields", "missing: callbacks, requestId, resultVersion, source"),
    ({"vendor": "hiveon", "kind": "deployment", "id": "d1", "restore": "exact", "fields": {}},
     "resources[0].fields", "missing: external_deployment_id, machine_id, metadata"),
    ({"vendor": "sparrow", "kind": "analysis", "id": "5", "restore": "exact",
      "fields": {"toolType": "SAST", "requestId": 1, "resultVersion": 2, "callbacks": [], "memo": None,
                 "source": "https://example.com/a.git"}},
     "resources[0].fields.source", "a mapping in a restored record"),
    ({"vendor": "feldera", "kind": "storage", "id": "p1", "restore": "exact"},
     "resources[0]", "comes with entries for feldera.pipeline 'p1', feldera.program 'p1'"),
], ids=["sparrow-missing", "hiveon-empty", "wrong-kind", "feldera-alone"])
def test_restore_exact_entries_are_validated_like_seeded_ones(shared, entry, path, needed):
    before = snapshot(shared)
    problems = problems_of(post_scenario(shared, json.dumps({"name": "exact", "resources": [entry]}),
                                         "application/json"))
    assert needed in problems.get(path, ""), problems
    assert_unharmed(shared, before)


def test_an_export_still_restores_exactly(live):
    exported = live.control("GET", "/scenario", headers={"Accept": "application/json"})
    assert exported.status_code == 200
    live.control("POST", "/reset")
    loaded = post_scenario(live, exported.text, "application/json")
    assert loaded.status_code == 201, loaded.text
    again = live.control("GET", "/scenario", headers={"Accept": "application/json"}).json()
    assert again["resources"] == exported.json()["resources"]


def test_a_scenario_file_that_is_not_utf8_is_named_at_startup(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    result = subprocess.run([sys.executable, "-m", "simulator", "serve", "--port", "0", "--scenario", str(path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f"{path}: (document): not UTF-8 text (byte 0xe9 at offset 9)" in result.stderr
    assert "Traceback" not in result.stderr
