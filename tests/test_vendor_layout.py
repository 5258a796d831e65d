"""Every vendor package has the same shape, built on simulator/kit (docs/adding-a-vendor.md).

__init__.py  the declaration only (VENDOR)      model.py    one function per operation, no Flask
lifecycle.py states, timers, actions, guards     render.py   every response body and notification
seed.py      scenario seeding (and export)        codes.py    the error-code table and envelope
schemas.py   request schemas, scenario sections   routes.py   parse -> model -> render
Other modules are named domain modules; like model.py they know no Flask.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from marshmallow import Schema

from simulator.kit.envelope import Envelope
from simulator.kit.vendor import Vendor
from simulator.vendors import discover
from tests.conftest import ROOT

VENDOR_DIR = ROOT / "simulator" / "vendors"
EXAMPLE_DIR = ROOT / "tests" / "example_vendor" / "toaster"
PACKAGES = sorted(p for p in VENDOR_DIR.iterdir() if (p / "__init__.py").exists()) + [EXAMPLE_DIR]
REQUIRED = {"__init__.py", "lifecycle.py", "model.py", "render.py", "seed.py", "codes.py", "schemas.py", "routes.py"}
# Only the HTTP face may import the web framework or the HTTP layer: routes.py, and codes.py (the envelope).
WEB_MODULES = ("flask", "werkzeug", "flask_smorest", "webargs")
MAY_USE_WEB = {"routes.py", "codes.py"}


def _ids(paths):
    return [p.name for p in paths]


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(tree: ast.Module) -> list[str]:
    """Absolute module names, and relative ones as written (dots kept)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append("." * node.level + (node.module or ""))
    return found


def _vendor_of(package: Path) -> Vendor:
    if package == EXAMPLE_DIR:
        from tests.example_vendor.toaster import VENDOR
        return VENDOR
    return discover()[package.name]


@pytest.mark.parametrize("package", PACKAGES, ids=_ids(PACKAGES))
def test_the_same_files_for_the_same_jobs(package):
    present = {p.name for p in package.glob("*.py")}
    assert REQUIRED <= present, f"{package.name} lacks {sorted(REQUIRED - present)}"


@pytest.mark.parametrize("package", PACKAGES, ids=_ids(PACKAGES))
def test_init_is_the_declaration_only(package):
    tree = _tree(package / "__init__.py")
    for node in tree.body:
        assert isinstance(node, (ast.Import, ast.ImportFrom, ast.Expr, ast.Assign)), (
            f"{package.name}/__init__.py line {node.lineno}: only imports and the VENDOR declaration")
        if isinstance(node, ast.Assign):
            assert [t.id for t in node.targets if isinstance(t, ast.Name)] == ["VENDOR"], node.lineno
    assert isinstance(_vendor_of(package), Vendor)


@pytest.mark.parametrize("package", PACKAGES, ids=_ids(PACKAGES))
def test_only_the_http_face_knows_the_web(package):
    for module in sorted(package.glob("*.py")):
        if module.name in MAY_USE_WEB:
            continue
        for name in _imports(_tree(module)):
            top = name.lstrip(".").split(".")[0]
            assert top not in WEB_MODULES, f"{package.name}/{module.name} imports {name}"
            assert not name.lstrip(".").startswith("http") or not name.startswith("..."), (
                f"{package.name}/{module.name} imports the HTTP layer ({name})")


@pytest.mark.parametrize("package", PACKAGES, ids=_ids(PACKAGES))
def test_kit_helpers_are_used_not_copied(package):
    for module in sorted(package.glob("*.py")):
        text = module.read_text(encoding="utf-8")
        where = f"{package.name}/{module.name}"
        assert "unknown = RAISE" not in text, f"{where}: derive from kit.schema.StrictSchema"
        assert "alt_response" not in text, f"{where}: document error statuses with kit.docs.ErrorDocs"
        assert "ApiError" not in text, f"{where}: raise kit.errors.VendorError; the app answers it"
        moves = "tx.move(" in text or ".move(resource" in text
        assert not moves, f"{where}: state moves belong in lifecycle tables"
        assert "@dataclass" not in text or module.name != "codes.py", f"{where}: rows are kit.codes.ErrorCode"
        # Handlers return finished JSON; a response schema would check nothing: openapi/ is the contract.
        assert not re.search(r"\.response\(\s*\d+\s*,\s*schemas\.", text), f"{where}: a decorative response schema"


@pytest.mark.parametrize("package", PACKAGES, ids=_ids(PACKAGES))
def test_errors_come_from_one_table_in_one_envelope(package):
    vendor = _vendor_of(package)
    assert isinstance(vendor.errors, Envelope)
    codes = vendor.errors.codes
    assert vendor.capacity in codes and codes[vendor.capacity].status, "the capacity answer is a row with a status"
    assert vendor.errors.invalid_code in codes
    for status in (404, 405, 413, 500):
        assert vendor.errors.http_codes[status] in codes, f"{package.name}: no row for HTTP {status}"


@pytest.mark.parametrize("package", PACKAGES, ids=_ids(PACKAGES))
def test_every_schema_is_used(package):
    """No decorative schemas: each one parses a request, a scenario section, or is another's base/part."""
    tree = _tree(package / "schemas.py")
    defined = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    module = __import__(f"{_vendor_of(package).blueprints[0].import_name.rsplit('.', 1)[0]}.schemas",
                        fromlist=["_"])
    schemas = [name for name in defined if isinstance(getattr(module, name), type)
               and issubclass(getattr(module, name), Schema)]
    others = "\n".join(p.read_text(encoding="utf-8") for p in package.glob("*.py") if p.name != "schemas.py")
    own = (package / "schemas.py").read_text(encoding="utf-8")
    for name in schemas:
        used_elsewhere = f"schemas.{name}" in others or f" {name}" in others
        used_inside = own.count(name) > 1  # a base, or nested in another schema
        assert used_elsewhere or used_inside, f"{package.name}/schemas.py: {name} is used nowhere"


@pytest.mark.parametrize("package", PACKAGES, ids=_ids(PACKAGES))
def test_every_kind_is_shown_on_the_dashboard(package):
    vendor = _vendor_of(package)
    kinds = {lifecycle.kind for lifecycle in vendor.lifecycles}
    assert set(vendor.views) == kinds
    for lifecycle in vendor.lifecycles:
        coloured = {state for states in vendor.views[lifecycle.kind].families.values() for state in states}
        assert coloured == set(lifecycle.states), f"{vendor.name}.{lifecycle.kind}: every state has one family"
