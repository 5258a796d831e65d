"""Wrappers: creation from a generate request, seeding from a scenario, and how they look on the wire."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ...engine import Resource, ResourceSpec, Transaction
from ...engine.timefmt import naive_utc, to_datetime
from . import feed, files, redact
from .codes import FILE_NOT_FOUND_FOR_GENERATE
from .errors import ERRORS
from .ids import VENDOR, new_object_id, new_uuid
from .lifecycle import COMPLETED, ERROR, EXECUTING, NOT_STARTED, PENDING, RETRY_LIMIT, fault_kind, hangs
from .profiles import is_code
from .schemas import FEED_DEFAULTS, WrapperFields

KIND = "wrapper"
CRASH_AFTER = 30.0  # INFERRED: a crash fault's default run time before each crash

DEMO_METADATA = {
    "name": "Demo indicator", "domain": "Environment", "subdomain": "Air quality",
    "description": "A sustainability indicator fed by a simulated wrapper", "unit": "µg/m3",
    "source": "Simulator", "scale": "local", "governance_indicator": False, "carrying_capacity": None,
    "periodicity": "hourly",
}


def resources(tx: Transaction) -> dict[str, str | None]:
    """resource_id -> wrapper_id of the linked resources (reference 3.1 auto_create_resource)."""
    return tx.data(VENDOR).setdefault("resources", {})


# --- creation ------------------------------------------------------------------------------------

def _fields(tx: Transaction, source_type: str, metadata: dict, config: dict, resource_id: str | None,
            fault: dict | None, feed_overrides: Mapping[str, Any]) -> dict[str, Any]:
    settings = tx.settings(VENDOR)
    return {
        "source_type": source_type,
        "metadata": metadata,
        "source_config": redact.config(config),
        "resource_id": resource_id,
        "feed": {**FEED_DEFAULTS, **settings["feed"], **feed_overrides},
        "fault": fault,
        "retry_limit": RETRY_LIMIT if is_code(settings, "retrying") else 0,
        "stop_error": None,
        "generated": False,
        "retry_count": 0,
        "crashes": 0,
        "error_message": None,
        "completed_at": None,
        "execution_result": None,
        "last_health_check": None,
        "log": [],
        "totals": feed.empty_totals(),
        "origin": None,
        "process": None,
    }


def _fault_timing(fault: Mapping[str, Any] | None) -> dict[str, float]:
    if not fault:
        return {}
    if fault["kind"] == "crash":
        return {EXECUTING: fault.get("after", CRASH_AFTER)}
    if fault["kind"] == "timeout" and "after" in fault:
        return {COMPLETED: fault["after"]}
    return {}


def _link_resource(tx: Transaction, resource_id: str | None, wrapper_id: str) -> None:
    if resource_id is not None:
        resources(tx)[resource_id] = wrapper_id


def generate(tx: Transaction, body: dict[str, Any]) -> Resource:
    """POST /generate: a new wrapper in `pending` (its resource created at once if asked)."""
    source_type, config = body["source_type"], dict(body["source_config"])
    if source_type != "API":
        upload = tx.get(VENDOR, files.KIND, config["file_id"])
        if upload is None:
            raise ERRORS.error(400, FILE_NOT_FOUND_FOR_GENERATE.format(file_id=config["file_id"]))
        config["location"] = f"/app/uploads/{upload.id}/{upload.fields['filename']}"
    wrapper_id = new_uuid(tx, KIND)
    resource_id = new_object_id(tx) if body["auto_create_resource"] else None
    fault = tx.settings(VENDOR)["fault"]
    fields = _fields(tx, source_type, body["metadata"], config, resource_id, fault, {})
    resource = tx.create(VENDOR, KIND, wrapper_id, fields=fields, timing=_fault_timing(fault))
    _link_resource(tx, resource_id, wrapper_id)
    return resource


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
    fields = _fields(tx, source_type, {**DEMO_METADATA, **given.get("metadata", {})},
                     given.get("source_config") or _default_config(source_type), resource_id, fault,
                     given.get("feed", {}))
    fields.update(retry_count=given.get("retry_count", 0), stop_error=given.get("stop_error"))
    now = tx.now
    failed_generation = state == ERROR and fault_kind(fields) == "generation_failure"
    if state not in NOT_STARTED and not failed_generation:
        started = now - given.get("ran_for", 0.0)
        fields["generated"] = True
        feed.start(fields, started, hang=hangs(fields))
        fields["log"] = [[started, f"Wrapper process started successfully in {fields['process']['mode']} mode"]]
        if not given.get("live", state == EXECUTING):
            feed.kill(fields, now)
    if state in (COMPLETED, ERROR):
        fields["completed_at"] = now
    if state == ERROR:
        fields["error_message"] = given.get("error_message") or (
            "Wrapper generation failed" if failed_generation else "Wrapper process crashed")
    elif "error_message" in given:
        fields["error_message"] = given["error_message"]
    old = tx.store.get(VENDOR, KIND, spec.id)
    if old is not None and old.fields.get("resource_id"):
        resources(tx).pop(old.fields["resource_id"], None)
    resource = tx.create(VENDOR, KIND, spec.id, fields=fields, state=state, remaining=spec.remaining,
                         route=spec.route, timing={**_fault_timing(fault), **spec.timing}, cause="seeded")
    _link_resource(tx, resource_id, resource.id)
    return resource


def seed(tx: Transaction, spec: ResourceSpec) -> Resource:
    return files.seed_file(tx, spec) if spec.kind == files.KIND else seed_wrapper(tx, spec)


# --- rendering -----------------------------------------------------------------------------------

def _ts(at: float | None) -> str | None:
    return None if at is None else naive_utc(at)


def _log_line(at: float, text: str) -> str:
    return f"{text} at {to_datetime(at).replace(tzinfo=None).isoformat(sep=' ', timespec='microseconds')}"


def _generated_code(resource: Resource) -> str:
    fields = resource.fields
    return (f'"""Wrapper {resource.id}: {fields["source_type"]} source for '
            f'{fields["metadata"].get("name", "an indicator")!r} (simulated)."""\n'
            "async def run(send):\n    ...\n")


def pid(resource: Resource) -> int:
    return 20000 + int(hashlib.sha256(resource.id.encode()).hexdigest(), 16) % 10000


def monitoring_details(resource: Resource, now: float) -> dict[str, Any]:
    fields = resource.fields
    if not feed.alive(fields, now):
        return {"process_running": False}
    current = feed.derive(fields, now)
    process = fields["process"]
    return {
        "process_running": True,
        "pid": pid(resource),
        "execution_mode": process["mode"],
        "uptime_seconds": round(now - process["started_at"], 3),
        "data_points_sent": current.data_points_count,
        "last_data_sent": _ts(current.last_data_sent),
    }


def execution_result(result: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {**result, "execution_time": naive_utc(result["execution_time"])}


def render(resource: Resource, now: float) -> dict[str, Any]:
    fields = resource.fields
    current = feed.derive(fields, now)
    return {
        "wrapper_id": resource.id,
        "resource_id": fields["resource_id"],
        "metadata": fields["metadata"],
        "source_type": fields["source_type"],
        "source_config": fields["source_config"],
        "generated_code": _generated_code(resource) if fields["generated"] else None,
        "created_at": naive_utc(resource.created_at),
        "updated_at": naive_utc(fields.get("updated_at", resource.entered_at)),
        "completed_at": _ts(fields["completed_at"]),
        "status": resource.state,
        "error_message": fields["error_message"],
        "execution_log": [_log_line(at, text) for at, text in fields["log"]],
        "last_health_check": _ts(fields["last_health_check"]),
        "last_data_sent": _ts(current.last_data_sent),
        "data_points_count": current.data_points_count,
        "monitoring_details": monitoring_details(resource, now),
        "phase": current.phase,
        "high_water_mark": _ts(current.high_water_mark),
        "low_water_mark": _ts(current.low_water_mark),
        "retry_count": fields["retry_count"],
        "execution_result": execution_result(fields["execution_result"]),
    }


MAX_LOG_LINES = 1000  # INFERRED: the log file keeps its newest lines


def log_lines(resource: Resource, now: float, limit: int) -> list[str]:
    limit = min(limit, MAX_LOG_LINES)
    entries = [(at, text) for at, text in resource.fields["log"]] + feed.batch_lines(resource.fields, now, limit)
    entries.sort(key=lambda entry: entry[0])
    return [f"{naive_utc(at)} - {text}" for at, text in entries[-limit:]] if limit else []


__all__ = ["KIND", "generate", "log_lines", "monitoring_details", "render", "resources", "seed"]
