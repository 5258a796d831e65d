"""The app's own (flask-smorest) spec and openapi/<vendor>.yaml agree: same operations, same statuses."""
from __future__ import annotations

import re

import pytest
import yaml

from simulator.app import create_app
from simulator.vendors import discover
from tests.conftest import ROOT

VENDORS = discover()
METHODS = {"get", "put", "post", "delete", "patch"}


def _operations(paths: dict, owns) -> dict[tuple[str, str], set[str]]:
    found = {}
    for path, item in paths.items():
        if not owns(path):
            continue
        template = re.sub(r"\{[^}]+\}", "{}", path)
        for method, operation in item.items():
            if method in METHODS:
                found[(method.upper(), template)] = {str(code) for code in operation.get("responses", {})}
    return found


def test_every_documented_spec_belongs_to_a_vendor():
    files = {p.name for p in (ROOT / "openapi").glob("*.yaml")}
    assert files == {v.spec_file for v in VENDORS.values()}


@pytest.mark.parametrize("name", sorted(VENDORS))
def test_app_spec_matches_documented_spec(name):
    vendor = VENDORS[name]
    documented = yaml.safe_load((ROOT / "openapi" / vendor.spec_file).read_text())
    app_spec = create_app().extensions["simulator_api"].spec.to_dict()
    documented_ops = _operations(documented["paths"], lambda path: True)
    app_ops = _operations(app_spec["paths"], vendor.owns)
    assert sorted(app_ops) == sorted(documented_ops)
    for operation, statuses in documented_ops.items():
        assert app_ops[operation] == statuses, (
            f"{operation}: app {sorted(app_ops[operation])} vs documented {sorted(statuses)}"
        )
