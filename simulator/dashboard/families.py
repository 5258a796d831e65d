"""The colour family of every lifecycle state on the dashboard.

Five families, as a newcomer reads them: pending (waiting to start), running (doing its work),
stopping (on its way to a stop or cancel), done (at rest: finished, stopped, idle) and failed.
Each vendor declares them beside its kinds (`Vendor.views`, kit.vendor.ResourceView); a state
missing there shows as "unknown" (grey). tests/test_vendor_layout.py keeps every table complete.
"""
from __future__ import annotations

from collections.abc import Mapping

from ..kit.vendor import Vendor

FAMILIES = ("pending", "running", "stopping", "done", "failed")


def state_families(vendors: Mapping[str, Vendor]) -> dict[str, dict[str, str]]:
    """"vendor.kind" -> state -> family."""
    return {
        f"{vendor.name}.{kind}": {state: family for family, states in view.families.items() for state in states}
        for vendor in vendors.values() for kind, view in vendor.views.items()
    }
