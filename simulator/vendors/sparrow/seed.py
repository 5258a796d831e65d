"""Sparrow analyses from a scenario entry (export uses the engine's default entry)."""
from __future__ import annotations

from ...engine import Resource, ResourceSpec, Transaction
from .model import FIRST_REQUEST_ID, KIND, VENDOR, requests_index

# One object for every seeded analysis (100 000 of them hold ~240 B less each): nothing changes a field's
# value in place, every writer replaces the value, and every reader copies it out (render, export).
_NO_CALLBACKS: list = []
_DEMO_SOURCE = {"type": "VCS", "url": "https://example.com/demo.git"}


def seed_analysis(tx: Transaction, spec: ResourceSpec) -> Resource:
    """A scenario entry: fields may name toolType, memo, requestId, issues, and failIn."""
    fields = dict(spec.fields)
    fields.setdefault("toolType", "SAST")
    fields.setdefault("memo", None)
    fields.setdefault("resultVersion", 2)
    fields.setdefault("callbacks", _NO_CALLBACKS)
    fields.setdefault("source", _DEMO_SOURCE)
    if "requestId" in fields:
        tx.store.bump_counter(VENDOR, "request", int(fields["requestId"]))
    else:
        fields["requestId"] = tx.next_id(VENDOR, "request", FIRST_REQUEST_ID)
    analysis_id = int(spec.id)
    tx.store.bump_counter(VENDOR, "analysis", analysis_id)
    canonical = str(analysis_id)
    analysis_key = spec.id if spec.id == canonical else canonical  # the entry's own string when it is the same
    route = dict(spec.route)
    if fields.get("failIn"):
        route.setdefault(fields["failIn"], "COMPLETE")
        fields["result"] = "FAIL"
    old = tx.store.get(VENDOR, KIND, analysis_key)
    if old is not None:
        requests_index(tx).get(str(old.fields["requestId"]), []).remove(old.id)
    resource = tx.create(
        VENDOR, KIND, analysis_key, fields=fields, state=spec.state, remaining=spec.remaining,
        route=route, timing=spec.timing, cause="seeded",
    )
    index, request = requests_index(tx), str(fields["requestId"])
    if request in index:
        index[request].append(resource.id)
    else:
        index[request] = [resource.id]  # sized for one: most requests hold one analysis
    if fields["callbacks"]:
        tx.watch(resource)
    return resource
