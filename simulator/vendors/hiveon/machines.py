"""The machine and price catalogue: `machine` resources a scenario seeds (id = machine_id).

With no machine in the scenario, any machine and price id is accepted, so a new user can start
a deployment at once. Once one is seeded, a start must name a listed machine and one of its
prices, else 404 (INFERRED, reference section 2.1).
"""
from __future__ import annotations

from ...engine import Resource, ResourceSpec, Transaction

VENDOR = "hiveon"
KIND = "machine"


def seed(tx: Transaction, spec: ResourceSpec) -> Resource:
    fields = {"prices": list(spec.fields.get("prices", []))}
    tx.data(VENDOR)["catalogue"] = True  # O(1) "is there a catalogue?" for every start
    return tx.create(VENDOR, KIND, spec.id, fields=fields, state=spec.state, cause="seeded")


def refusal(tx: Transaction, machine_id: str, price_id: str) -> str | None:
    """None when the pair may be used; otherwise the name of the error (codes.ERROR_CODES)."""
    if not tx.data(VENDOR).get("catalogue"):
        return None
    machine = tx.get(VENDOR, KIND, machine_id)
    if machine is None:
        return "machine_not_found"
    if price_id not in machine.fields["prices"]:
        return "price_not_found"
    return None
