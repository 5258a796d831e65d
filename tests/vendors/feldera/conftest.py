"""Helpers for the Feldera tests: a pipeline API over the Flask test client; every exchange checked
against Feldera's own OpenAPI spec (tests/vendorspec)."""
from __future__ import annotations

import pytest

from tests.vendorspec.recorder import record_app

SQL = "CREATE TABLE t1 (id INT);\nCREATE MATERIALIZED VIEW v1 AS SELECT * FROM t1;"
# Default durations (lifecycle.py): compile 0.5+1+0.5+2 s, provision 1 s, initialize 1 s.
COMPILE = 4.0
BOOT = 2.0


class Feldera:
    def __init__(self, client, control) -> None:
        self.client = client
        self.control = control

    def create(self, name: str = "p1", code: str = SQL, **extra) -> dict:
        response = self.client.post("/v0/pipelines", json={"name": name, "program_code": code, **extra})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def get(self, name: str = "p1", selector: str = "all") -> dict:
        response = self.client.get(f"/v0/pipelines/{name}?selector={selector}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def status(self, name: str = "p1") -> tuple:
        body = self.get(name, "status")
        return body["deployment_status"], body["deployment_desired_status"]

    def post(self, name: str, action: str, query: str = ""):
        return self.client.post(f"/v0/pipelines/{name}/{action}{'?' + query if query else ''}")

    def running(self, name: str = "p1", **extra) -> dict:
        """A compiled pipeline, started and Running."""
        self.create(name, **extra)
        self.control.advance(COMPILE)
        assert self.post(name, "start").status_code == 202
        self.control.advance(BOOT)
        assert self.status(name) == ("Running", "Running")
        return self.get(name)


@pytest.fixture(autouse=True)
def _vendor_spec_oracle(vendor_spec):
    return vendor_spec


@pytest.fixture
def app(app, vendor_spec):
    def spec_of(vendor: str) -> str:
        """The legacy API generation answers as Feldera 0.127 did: its own spec judges it."""
        with app.app_context(), app.extensions["simulator"].simulation.transaction() as tx:
            return "feldera-legacy" if tx.settings(vendor)["api_generation"] == "legacy" else vendor
    return record_app(app, vendor_spec, spec_of)


@pytest.fixture
def feldera(client, control) -> Feldera:
    return Feldera(client, control)
