"""Sparrow analyses from a scenario entry (export uses the engine's default entry)."""
from __future__ import annotations

from ...engine import Resource, ResourceSpec, Transaction
from .model import FIRST_REQUEST_ID, KIND, VENDOR, requests_index


def seed_analysis(tx: Transaction, spec: ResourceSpec) -> Resource:
    """A scenario entry: fields may name toolType, memo, requestId, issues, and failIn."""
    fields = dict(spec.fields)
    fields.setdefault("toolType", "SAST")
    fields.setdefault("memo", None)
    fields.setdefault("resultVersion", 2)
    fields.setdefault("callbacks", [])
    fields.setdefault("source", {"type": "VCS", "url": "https://example.com/demo.git"})
    if "requestId" in fields:
        tx.store.bump_counter(VENDOR, "request", int(fields["requestId"]))
    else:
        fields["requestId"] = tx.next_id(VENDOR, "request", FIRST_REQUEST_ID)
    tx.store.bump_counter(VENDOR, "analysis", int(spec.id))
    route = dict(spec.route)
    if fields.get("failIn"):
        route.setdefault(fields["failIn"], "COMPLETE")
        fields["result"] = "FAIL"
    old = tx.store.get(VENDOR, KIND, str(int(spec.id)))
    if old is not None:
        requests_index(tx).get(str(old.fields["requestId"]), []).remove(old.id)
    resource = tx.create(
        VENDOR, KIND, str(int(spec.id)), fields=fields, state=spec.state, remaining=spec.remaining,
        route=route, timing=spec.timing, cause="seeded",
    )
    requests_index(tx).setdefault(str(fields["requestId"]), []).append(resource.id)
    if fields["callbacks"]:
        tx.watch(resource)
    return resource
