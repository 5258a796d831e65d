"""Wrappers and uploaded files from a scenario entry (export uses the engine's default entry)."""
from __future__ import annotations

from typing import Any

from ...engine import Resource, ResourceSpec, Transaction
from . import codes, feed, files
from .lifecycle import COMPLETED, ERROR, EXECUTING, NOT_STARTED, PENDING, fault_kind, hangs
from .model import FILE, VENDOR, WRAPPER, fault_timing, link_resource, new_fields, new_object_id, resources, store_file
from .schemas import WrapperFields

DEMO_METADATA = {
    "name": "Demo indicator", "domain": "Environment", "subdomain": "Air quality",
    "description": "A sustainability indicator fed by a simulated wrapper", "unit": "µg/m3",
    "source": "Simulator", "scale": "local", "governance_indicator": False, "carrying_capacity": None,
    "periodicity": "hourly",
}
SAMPLE_CSV = "date,value\n2026-01-01,10.5\n2026-01-02,11.0\n2026-01-03,9.8\n"


def _default_config(source_type: str) -> dict[str, Any]:
    if source_type == "API":
        return {"location": "https://api.example.com/v1/indicators", "auth_type": "none",
                "api_key_header": "X-API-Key", "timeout_seconds": 30}
    return {"file_id": "00000000-0000-4000-8000-000000000000", "location": "/app/uploads/demo/data.csv"}


def seed_wrapper(tx: Transaction, spec: ResourceSpec) -> Resource:
    """A scenario entry; `fields` as schemas.WrapperFields (all optional)."""
    given = WrapperFields().load(spec.fields)
    source_type = given.get("source_type", "API")
    state = spec.state or PENDING
    resource_id = given["resource_id"].lower() if given.get("resource_id") else None
    if "resource_id" not in given:
        resource_id = new_object_id(tx)
    fault = given.get("fault")
    fields = new_fields(tx, source_type, {**DEMO_METADATA, **given.get("metadata", {})},
                        given.get("source_config") or _default_config(source_type), resource_id, fault,
                        given.get("feed", {}))
    fields.update(retry_count=given.get("retry_count", 0), stop_error=given.get("stop_error"))
    now = tx.now
    failed_generation = state == ERROR and fault_kind(fields) == "generation_failure"
    if state not in NOT_STARTED and not failed_generation:
        started = now - given.get("ran_for", 0.0)
        fields["generated"] = True
        feed.start(fields, started, hang=hangs(fields))
        fields["log"] = [[started, codes.EXECUTE_STARTED.format(mode=fields["process"]["mode"])]]
        if not given.get("live", state == EXECUTING):
            feed.kill(fields, now)
    if state in (COMPLETED, ERROR):
        fields["completed_at"] = now
    if state == ERROR:
        fields["error_message"] = given.get("error_message") or (
            "Wrapper generation failed" if failed_generation else codes.CRASHED)
    elif "error_message" in given:
        fields["error_message"] = given["error_message"]
    old = tx.store.get(VENDOR, WRAPPER, spec.id)
    if old is not None and old.fields.get("resource_id"):
        resources(tx).pop(old.fields["resource_id"], None)
    resource = tx.create(VENDOR, WRAPPER, spec.id, fields=fields, state=state, remaining=spec.remaining,
                         route=spec.route, timing={**fault_timing(fault), **spec.timing}, cause="seeded")
    link_resource(tx, resource_id, resource.id)
    return resource


def seed_file(tx: Transaction, spec: ResourceSpec) -> Resource:
    """A scenario entry: `filename`, `content` (its size and preview come from it) or `file_size`."""
    filename = spec.fields.get("filename", "data.csv")
    content = spec.fields.get("content", SAMPLE_CSV).encode()
    size = spec.fields.get("file_size", len(content))
    checked = files.inspect(filename, content[:files.PREVIEW_BYTES], len(content) <= files.PREVIEW_BYTES)
    return store_file(tx, filename, size, checked, file_id=spec.id, cause="seeded")


def seed(tx: Transaction, spec: ResourceSpec) -> Resource:
    return seed_file(tx, spec) if spec.kind == FILE else seed_wrapper(tx, spec)
