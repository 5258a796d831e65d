"""The engine knows no vendor and no HTTP: resources, time, scenarios and export only. Fault rules
and the journal are the HTTP layer's (simulator/traffic); the kit's strict schemas are plain
marshmallow and the one thing the engine borrows from above."""
from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

ENGINE = ROOT / "simulator" / "engine"
MODULES = sorted(ENGINE.glob("*.py"))
FORBIDDEN_TOP = {"flask", "werkzeug", "flask_smorest", "webargs", "waitress"}
ALLOWED_ABOVE = {"kit.schema"}  # `from ..kit.schema import ...`


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_the_engine_imports_nothing_from_above(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [(0, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [(node.level, node.module or "")]
        else:
            continue
        for level, name in names:
            assert name.split(".")[0] not in FORBIDDEN_TOP, f"{module.name}: imports {name}"
            if level >= 2 or name.startswith("simulator."):
                above = name.removeprefix("simulator.")
                assert above in ALLOWED_ABOVE, f"{module.name}: imports {'.' * level}{name} from outside the engine"


def test_faults_and_the_journal_live_outside_the_engine():
    assert not (ENGINE / "faults.py").exists() and not (ENGINE / "journal.py").exists()
    from simulator.engine import Simulation
    from simulator.namespace import Namespace

    plain = Simulation({})
    assert not hasattr(plain, "faults") and not hasattr(plain, "journal")
    namespace = Namespace({})
    assert namespace.faults.rules() == [] and namespace.journal.size > 0
