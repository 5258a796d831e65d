"""Hiveon resources from a scenario entry: catalogue machines and deployments (export uses the
engine's default entry)."""
from __future__ import annotations

from ...engine import Resource, ResourceSpec, Transaction
from .model import KIND, MACHINE, VENDOR, external_index, public_metadata

SEEDED_MACHINE_ID = "5f0b7f6e-1c3a-4a53-9d2e-7c1e2a4b8f10"  # machine of a scenario entry naming none


def seed(tx: Transaction, spec: ResourceSpec) -> Resource:
    """A scenario entry: a machine of the catalogue, or a deployment."""
    return (seed_machine if spec.kind == MACHINE else seed_deployment)(tx, spec)


def seed_machine(tx: Transaction, spec: ResourceSpec) -> Resource:
    fields = {"prices": list(spec.fields.get("prices", []))}
    return tx.create(VENDOR, MACHINE, spec.id, fields=fields, state=spec.state, cause="seeded")


def seed_deployment(tx: Transaction, spec: ResourceSpec) -> Resource:
    """Fields may name machine_id, machine_price_id, external_deployment_id, image, metadata,
    fail_reason and container."""
    fields = dict(spec.fields)
    fields.setdefault("machine_id", SEEDED_MACHINE_ID)
    fields.setdefault("external_deployment_id", "")
    fields["metadata"] = public_metadata(fields.get("metadata"))
    index = external_index(tx)
    old = tx.store.get(VENDOR, KIND, spec.id)
    if old is not None and index.get(old.fields["external_deployment_id"]) == old.id:
        del index[old.fields["external_deployment_id"]]
    resource = tx.create(
        VENDOR, KIND, spec.id, fields=fields, state=spec.state, remaining=spec.remaining,
        route=spec.route, timing=spec.timing, cause="seeded",
    )
    if fields["external_deployment_id"]:
        index[fields["external_deployment_id"]] = resource.id
    return resource
