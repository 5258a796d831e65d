"""Inputs the vendor's own spec forbids get the vendor's 400 envelope and change nothing (issue 13, item 3).

For every operation the simulator serves (read from the app's routes, matched to the vendor's spec),
the request body and query parameters are mutated from the vendor's schemas (tests/vendorspec/mutate.py)
and sent to a fresh app. Each answer must be 400, valid under the vendor's spec for that status (its
error envelope), and leave the vendor's state exactly as it was.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.vendors.feldera.conftest import COMPILE, SQL
from tests.vendors.twelvelabs.helpers import KEY, general_body

from .mutate import Mutator
from .oracle import Exchange, Oracle, _escape
from .plugin import oracle
from .recorder import Ledger, record_app

QUERY_CANDIDATES = ("not-a-valid-value", "-1", "1.5", "99999999999999999999")
QUERY_MUTANTS_PER_PARAMETER = 2
BODY_LIMIT = 250  # mutants per request body (deterministic order); about 2 ms each on the test client
PIPELINE = "neg"


def _example(spec: Oracle, method: str, template: str) -> Any:
    media = spec.document["paths"][template][method.lower()]["requestBody"]["content"]["application/json"]
    return media["example"]


def _twelvelabs_body(_spec: Oracle, _method: str, _template: str) -> dict[str, Any]:
    body = general_body(2)
    body["defaults"].update({"temperature": 0.2, "max_tokens": 512})
    return body


# A valid base body per body-taking operation we serve: Feldera's spec carries its own examples.
BASE_BODIES = {
    ("feldera", "POST", "/v0/pipelines"): _example,
    ("feldera", "PUT", "/v0/pipelines/{pipeline_name}"): lambda s, m, t: {**_example(s, m, t), "name": PIPELINE},
    # PATCH's own example leaves both configs null; the POST example's are set so they get mutated too.
    ("feldera", "PATCH", "/v0/pipelines/{pipeline_name}"): lambda s, m, t: {
        **_example(s, m, t), "name": None,
        **{k: _example(s, "POST", "/v0/pipelines")[k] for k in ("runtime_config", "program_config")}},
    ("twelvelabs", "POST", "/analyze/batches"): _twelvelabs_body,
}


@dataclass
class Target:
    vendor: str
    method: str
    template: str  # the spec's
    path: str  # concrete, with the vendor's prefix

    @property
    def id(self) -> str:
        return f"{self.vendor} {self.method} {self.template}"


def _served(app, vendor: str) -> list[Target]:
    """The vendor operations the app routes, as the vendor's spec names them."""
    spec = oracle(vendor)
    targets: dict[str, Target] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(spec.prefix + "/") or rule.endpoint.startswith("_simulator"):
            continue
        concrete = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: {"pipeline_name": PIPELINE}.get(m.group(1), "x"),
                          rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = spec.operation(method, concrete)
            if operation is not None:
                target = Target(vendor, method, operation.template, concrete)
                targets.setdefault(target.id, target)
    return sorted(targets.values(), key=lambda t: t.id)


@pytest.fixture
def world(app):
    ledger = Ledger()
    record_app(app, ledger)
    world = World(app, app.test_client(), ledger)
    world.seed()
    return world


class World:
    """A fresh app with one stopped, compiled Feldera pipeline and one TwelveLabs batch in it."""

    def __init__(self, app, client, ledger: Ledger) -> None:
        self.app, self.client, self.ledger = app, client, ledger
        self.batch_id = ""

    def seed(self) -> None:
        assert self.client.put("/_simulator/clock", json={"frozen": True}).status_code == 200
        assert self.client.post("/v0/pipelines", json={"name": PIPELINE, "program_code": SQL}).status_code == 201
        assert self.client.post("/_simulator/clock/advance", json={"seconds": COMPILE}).status_code == 200
        created = self.client.post("/v1.3/analyze/batches", json=general_body(2), headers=KEY)
        assert created.status_code == 201
        self.batch_id = created.get_json()["batch_id"]

    def restore(self) -> None:
        """After an input that changed something: back to the seeded state for the next one."""
        assert self.client.post("/_simulator/reset").status_code == 200
        self.seed()

    def state(self, vendor: str) -> Any:
        response = self.client.get(f"/_simulator/resources?vendor={vendor}")
        assert response.status_code == 200
        return response.get_json()

    def path(self, target: Target) -> str:
        return target.path.replace("/x", f"/{self.batch_id}") if target.vendor == "twelvelabs" else target.path

    def send(self, target: Target, *, body: Any = None, query: dict[str, str] | None = None) -> Exchange:
        url = self.path(target) + (f"?{urlencode(query)}" if query else "")
        headers = KEY if target.vendor == "twelvelabs" else {}
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        self.client.open(url, method=target.method, headers=headers, **kwargs)
        return self.ledger.exchanges[-1]


def _query_mutants(spec: Oracle, target: Target, world: World) -> list[tuple[str, dict[str, str]]]:
    """Per query parameter of the operation, the first values its schema rejects."""
    operation = spec.operation(target.method, target.path)
    mutants = []
    for _, parameter in operation.parameters:
        if parameter["in"] != "query":
            continue
        kept = 0
        for candidate in QUERY_CANDIDATES:
            probe = Exchange(target.vendor, target.method, world.path(target), [(parameter["name"], candidate)],
                             dict(KEY), b"", 0, "", b"")
            if kept < QUERY_MUTANTS_PER_PARAMETER and spec.request_problems(probe):
                kept += 1
                mutants.append((f"?{parameter['name']}={candidate}", {parameter["name"]: candidate}))
    return mutants


def _body_mutants(spec: Oracle, target: Target) -> list[tuple[str, Any]]:
    operation = spec.operation(target.method, target.path)
    if "requestBody" not in operation.spec:
        return []
    base = BASE_BODIES[(target.vendor, target.method, target.template)]
    pointer = f"{operation.pointer}/requestBody/content/{_escape('application/json')}/schema"
    return [(m.label, m.body) for m in Mutator(spec, pointer, BODY_LIMIT).mutants(base(spec, target.method,
                                                                                         target.template))]


def _check(world: World, spec: Oracle, target: Target, label: str, **request: Any) -> str | None:
    before = world.state(target.vendor)
    exchange = world.send(target, **request)
    after = world.state(target.vendor)
    problems = []
    if exchange.status != 400:
        problems.append("expected 400")
    response_problems, _ = spec.response_problems(exchange)
    problems += response_problems
    if after != before:
        problems.append("the vendor's state changed")
        world.restore()
    if not problems:
        return None
    answer = exchange.body.decode("utf-8", "replace")[:160]
    return f"{target.id} [{label}] -> {exchange.status} {answer} -> {'; '.join(problems)}"


# Operations whose parameters or body the vendor's schema constrains (the others take only free
# strings in their path: nothing there is spec-forbidden).
GENERATED = {
    "feldera": {f"feldera {m} {t}" for m, t in (
        ("GET", "/v0/pipelines"), ("POST", "/v0/pipelines"), ("GET", "/v0/pipelines/{pipeline_name}"),
        ("PUT", "/v0/pipelines/{pipeline_name}"), ("PATCH", "/v0/pipelines/{pipeline_name}"),
        ("POST", "/v0/pipelines/{pipeline_name}/start"), ("POST", "/v0/pipelines/{pipeline_name}/stop"),
        ("POST", "/v0/pipelines/{pipeline_name}/approve"), ("POST", "/v0/pipelines/{pipeline_name}/activate"))},
    "twelvelabs": {"twelvelabs GET /analyze/batches", "twelvelabs POST /analyze/batches"},
}


@pytest.mark.parametrize("vendor", ["feldera", "twelvelabs"])
def test_every_operation_we_serve_refuses_what_the_vendor_spec_forbids(world, vendor):
    spec = oracle(vendor)
    targets = _served(world.app, vendor)
    assert targets, f"no {vendor} operation found in the app's routes"
    missing = {t.id for t in targets if "requestBody" in spec.operation(t.method, t.path).spec
               and (t.vendor, t.method, t.template) not in BASE_BODIES}
    assert not missing, f"body-taking operations without a base body in BASE_BODIES: {missing}"
    failures, tried = [], Counter()
    for target in targets:
        for label, query in _query_mutants(spec, target, world):
            tried[target.id] += 1
            failures.append(_check(world, spec, target, label, query=query))
        for label, body in _body_mutants(spec, target):
            tried[target.id] += 1
            failures.append(_check(world, spec, target, label, body=body))
    failures = [f for f in failures if f]
    assert set(tried) >= GENERATED[vendor], f"no negative input generated for {GENERATED[vendor] - set(tried)}"
    tried = sum(tried.values())
    assert not failures, f"{len(failures)} of {tried} spec-forbidden inputs were not refused as the vendor does " \
                         "(operation [input] -> answer -> what is wrong):\n" + "\n".join(failures)


def test_the_generator_is_bounded_and_deterministic():
    spec = oracle("feldera")
    pointer = f"/paths/{_escape('/v0/pipelines')}/post/requestBody/content/{_escape('application/json')}/schema"
    base = _example(spec, "POST", "/v0/pipelines")
    first = Mutator(spec, pointer, BODY_LIMIT).mutants(base)
    assert 50 < len(first) <= BODY_LIMIT
    assert Mutator(spec, pointer, 40).mutants(base) == first[:40]
    validator = spec.validator(pointer)
    assert all(not validator.is_valid(m.body) for m in first)
    labels = " | ".join(m.label for m in first)
    for kind in ("required, left out", "a string", "unknown enum value", "below minimum", "past unsigned int32"):
        assert kind in labels
    with pytest.raises(ValueError, match="base body must be valid"):
        Mutator(spec, pointer).mutants({"name": 5})
