"""How wrappers, their processes and uploaded files look on the wire (reference sections 3-6)."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ...engine import Resource, Transaction
from ...engine.timefmt import naive_utc, to_datetime
from . import codes, feed

MAX_LOG_LINES = 1000  # INFERRED: the log file keeps its newest lines


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


def wrapper(resource: Resource, now: float) -> dict[str, Any]:
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


def log_lines(resource: Resource, now: float, limit: int) -> list[str]:
    limit = min(limit, MAX_LOG_LINES)
    entries = [(at, text) for at, text in resource.fields["log"]] + feed.batch_lines(resource.fields, now, limit)
    entries.sort(key=lambda entry: entry[0])
    return [f"{naive_utc(at)} - {text}" for at, text in entries[-limit:]] if limit else []


def stop_result(wrapper_id: str, success: bool, message: str) -> dict[str, Any]:
    return {"wrapper_id": wrapper_id, "success": success, "message": message}


def health(wrapper_id: str, status: str, live: bool) -> dict[str, Any]:
    return {"wrapper_id": wrapper_id, "health_status": status, "is_actively_executing": live}


def logs(wrapper_id: str, lines: list[str]) -> dict[str, Any]:
    return {"wrapper_id": wrapper_id, "logs": lines, "total_lines": len(lines)}


def monitoring(wrapper_id: str, status: str, details: dict[str, Any]) -> dict[str, Any]:
    return {"wrapper_id": wrapper_id, "health_status": status, "monitoring_details": details}


def file_info(resource: Resource, message: str) -> dict[str, Any]:
    fields = resource.fields
    return {
        "file_id": resource.id,
        "filename": fields["filename"],
        "file_size": fields["file_size"],
        "preview_data": fields["preview_data"],
        "validation_status": fields["validation_status"],
        "validation_errors": fields["validation_errors"],
        "message": message,
    }


def message(text: str) -> dict[str, str]:
    return {"message": text}


def resource_deleted(resource_id: str) -> dict[str, Any]:
    return {"id": resource_id, "deleted": True}


def dashboard_wrapper(tx: Transaction, resource: Resource) -> dict[str, Any]:
    return wrapper(resource, tx.now)


def dashboard_file(tx: Transaction, resource: Resource) -> dict[str, Any]:
    return file_info(resource, codes.FILE_INFO)
