"""Every Feldera response body: a pipeline per selector and API generation (reference sections 5
and 8), the platform's config and health, the lifecycle calls' messages, checkpoints and stats."""
from __future__ import annotations

from typing import Any

from ...engine import Resource, Transaction
from ...engine.timefmt import rfc3339
from .pipelines import Pipeline, find, generation
from .program import program_error, program_info

MESSAGES = {  # the verbatim JSON strings of successful lifecycle calls (reference 4)
    "start": "Pipeline is starting",
    "stop_force": "Pipeline is forcefully stopping",
    "stop_suspend": "Pipeline is suspending",
    "transition": "Pipeline transitioning from {old} to {new}",
    "clear": "Pipeline storage is being cleared",
    "dismiss_error": "Pipeline deployment error has been dismissed",
    "approve": "Bootstrap approved",
    "activate": "Pipeline is activating",  # INFERRED
}

# Fields only `selector=all` returns (and POST/PUT/PATCH responses).
ALL_ONLY = frozenset({"runtime_config", "program_code", "udf_rust", "udf_toml", "program_error", "program_info",
                      "deployment_resources_status_details"})
LEGACY_ALL_ONLY = ALL_ONLY | {"program_config"}


def _ts(value: float | None) -> str | None:
    return None if value is None else rfc3339(value)


def _later(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _capitalized(initial: str | None) -> str | None:
    return initial.capitalize() if initial else None


def refresh_version(p: Pipeline) -> int:
    """Edits and deployment status changes (counted on the pipeline) plus the current program's
    status changes (counted on it; an edit folds them into the pipeline's count)."""
    return p.fields["refresh_version"] + p.program.fields.get("refreshes", 0)


def storage_details(p: Pipeline) -> dict[str, Any] | None:
    checkpoints = p.storage.fields.get("checkpoints")
    return None if checkpoints is None else {"checkpoints": list(checkpoints)}


def pipeline(p: Pipeline, selector: str = "all", *, generation: str = "current") -> dict[str, Any]:
    if generation == "legacy":
        return _legacy(p, selector)
    f = p.fields
    d = p.dims()
    since = f.get("since") or {}
    status = (d["runtime"] or "Unavailable") if d["resources"] == "Provisioned" else d["resources"]
    if d["resources_desired"] == "Stopped":
        desired = "Stopped"
    else:
        desired = d["runtime_desired"] or _capitalized(f.get("deployment_initial")) or "Running"
    bootstrap = f.get("bootstrap") or {}
    body: dict[str, Any] = {
        "id": f["uuid"],
        "name": p.name,
        "description": f["description"],
        "tags": f["tags"],
        **_definition(p),
        "deployment_error": f.get("deployment_error"),
        "refresh_version": refresh_version(p),
        "storage_status": p.storage.state,
        "storage_status_details": storage_details(p),
        "deployment_id": f.get("deployment_id"),
        "deployment_initial": _capitalized(f.get("deployment_initial")),
        "deployment_status": status,
        "deployment_status_since": _ts(_later(since.get("resources"), since.get("runtime"))),
        "deployment_desired_status": desired,
        "deployment_desired_status_since": _ts(_later(since.get("resources_desired"), since.get("runtime_desired"))),
        "deployment_resources_status": d["resources"],
        "deployment_resources_status_details": None,
        "deployment_resources_status_since": _ts(since.get("resources")),
        "deployment_resources_desired_status": d["resources_desired"],
        "deployment_resources_desired_status_since": _ts(since.get("resources_desired")),
        "deployment_runtime_status": d["runtime"],
        "deployment_runtime_status_details": None,
        "deployment_runtime_status_since": _ts(since.get("runtime") if d["runtime"] else None),
        "deployment_runtime_desired_status": d["runtime_desired"],
        "deployment_runtime_desired_status_since": _ts(since.get("runtime_desired") if d["runtime_desired"] else None),
        "bootstrap_policy": bootstrap.get("bootstrap_policy"),
        "silent_bootstrap": bootstrap.get("silent_bootstrap"),
        "concurrent_bootstrap": bootstrap.get("concurrent_bootstrap"),
    }
    if selector != "all":
        body = {k: v for k, v in body.items() if k not in ALL_ONLY}
    if selector == "status_with_connectors":
        body["connectors"] = {"num_errors": 0}
    return body


def _definition(p: Pipeline) -> dict[str, Any]:
    """The fields both API generations show alike: versions, configuration, program and compilation."""
    f = p.fields
    return {
        "created_at": rfc3339(p.deployment.created_at),
        "version": f["version"],
        "platform_version": f["platform_version"],
        "runtime_config": f["runtime_config"],
        "program_code": f["program_code"],
        "udf_rust": f["udf_rust"],
        "udf_toml": f["udf_toml"],
        "program_config": f["program_config"],
        "program_version": f["program_version"],
        "program_status": p.program.state,
        "program_status_since": rfc3339(p.program.entered_at),
        "program_error": program_error(p.program),
        "program_info": program_info(p.program, f["program_code"]),
    }


def _legacy(p: Pipeline, selector: str) -> dict[str, Any]:
    """Servers 0.96-0.147: one combined status with `Suspending`, no resources/runtime split."""
    f = p.fields
    d = p.dims()
    if d["resources_desired"] == "Stopped":
        desired = "Stopped"
    else:
        desired = {"Standby": "Paused"}.get(d["runtime_desired"], d["runtime_desired"]) \
            or _capitalized(f.get("deployment_initial")) or "Running"
    body: dict[str, Any] = {
        "id": f["uuid"],
        "name": p.name,
        "description": f["description"],
        **_definition(p),
        "deployment_status": d["legacy"],
        "deployment_status_since": _ts((f.get("since") or {}).get("legacy")),
        "deployment_desired_status": desired,
        "deployment_error": f.get("deployment_error"),
        "refresh_version": refresh_version(p),
        "storage_status": p.storage.state,
    }
    if selector != "all":
        body = {k: v for k, v in body.items() if k not in LEGACY_ALL_ONLY}
    return body


_BUILD_INFO = {"build_timestamp": "", "build_cpu": "", "build_os": "", "cargo_dependencies": "", "cargo_features": "",
               "cargo_debug": "false", "cargo_opt_level": "3", "cargo_target_triple": "", "rustc_version": ""}


def config(edition: str, version: str, *, generation: str = "current") -> dict[str, Any]:
    """GET /v0/config. The legacy generation (0.127) has one `telemetry` key where 0.337 has three
    analytics keys and `build_source`."""
    analytics = {"telemetry": ""} if generation == "legacy" else {
        "posthog": "", "conceptualhq": "", "product_fruits": ""}
    body = {
        **analytics,
        "edition": "Enterprise" if edition == "enterprise" else "Open source",
        "version": version, "revision": "simulated", "runtime_revision": "simulated",
        "changelog_url": "https://docs.feldera.com/changelog",
        "build_info": dict(_BUILD_INFO),
        "license_validity": None, "update_info": None, "unstable_features": None,
    }
    if generation != "legacy":
        body["build_source"] = "simulator"
    return body


def cluster_health(now: float) -> dict[str, Any]:
    service = {"healthy": True, "message": "healthy", "unchanged_since": rfc3339(now), "checked_at": rfc3339(now)}
    return {"all_healthy": True, "api": service, "compiler": service, "runner": service}


def checkpoint(sequence: int, incarnation: str | None) -> dict[str, Any]:
    return {"checkpoint_sequence_number": sequence, "incarnation_uuid": incarnation}


def checkpoint_status(success: int | None) -> dict[str, Any]:
    return {"success": success, "failure": None}


_ZERO_METRICS = (
    "rss_bytes", "memory_pressure_epoch", "cpu_msecs", "storage_bytes", "storage_mb_secs",
    "buffered_input_records", "buffered_input_bytes", "total_input_records", "total_input_bytes",
    "total_processed_records", "total_processed_bytes", "total_completed_records", "output_stall_msecs",
    "total_initiated_steps", "total_completed_steps", "transaction_id")


def stats(p: Pipeline, now: float) -> dict[str, Any]:
    """The controller's status with zero counters: no data flows through a simulated pipeline."""
    started = p.fields.get("provisioned_at") or now
    uptime = int(max(0.0, now - started) * 1000)
    metrics = {
        **dict.fromkeys(_ZERO_METRICS, 0),
        "state": "Running" if p.dims()["runtime"] == "Running" else "Paused",
        "bootstrap_in_progress": p.deployment.state == "Bootstrapping",
        "transaction_status": "NoTransaction",
        "transaction_initiators": {"transaction_id": None, "initiated_by_api": None, "initiated_by_connectors": {}},
        "concurrent_bootstrap_phase": "Inactive",
        "memory_pressure": "low",
        "uptime_msecs": uptime,
        "runtime_elapsed_msecs": uptime,
        "start_time": int(started),
        "initial_start_time": int(started),
        "incarnation_uuid": p.fields.get("deployment_id"),
        "pipeline_complete": False,
    }
    return {"global_metrics": metrics, "inputs": [], "outputs": [], "suspend_error": None,
            "checkpoint_activity": {"status": "idle"}, "permanent_checkpoint_errors": None}


def dashboard_view(tx: Transaction, resource: Resource) -> dict[str, Any] | None:
    """A pipeline's program and storage are parts of it: each shows the whole pipeline."""
    found = find(tx, resource.id)
    return None if found is None else pipeline(found, "all", generation=generation(tx))
