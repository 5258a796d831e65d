"""Feldera pipelines: create, edit, delete, the lifecycle calls and scenario seeding.

A pipeline is three engine resources named after it (see lifecycle.py). `find` reads all three,
caught up to now, and `_settle` tells each what the others did, at the virtual time it happened:
the compiler finished while a start waited (the table provisions, or stops with an error), and the
first provisioning puts the storage in use.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ...engine import LifecycleError, Move, Reject, Resource, ResourceSpec, Transaction
from .codes import BODIES, ENTERPRISE_FEATURES, HINTS
from .errors import ERRORS
from .lifecycle import (
    COMPILE_ERRORS,
    DEPLOYMENT,
    NOT_PROVISIONED,
    PROVISIONED,
    VENDOR,
    VIEW,
    dims,
)
from .program import outcome_fields
from .schemas import INITIALS, NAME_PATTERN

MAX_NAME = 63
VERSIONS = {"current": "0.337.0", "legacy": "0.127.0"}  # the reference's server releases
DEFAULT_PROGRAM_CONFIG = {"profile": "optimized", "cache": True, "runtime_version": None,
                          "use_platform_compiler": False}
DEFAULT_RUNTIME_CONFIG: dict[str, Any] = {  # the spec's RuntimeConfig defaults
    "workers": 8, "max_rss_mb": None, "datafusion_memory_mb": None, "hosts": 1,
    "storage": {"backend": {"name": "default"}, "min_storage_bytes": None, "min_step_storage_bytes": None,
                "compression": "default", "cache_mib": None},
    "fault_tolerance": {"model": "none", "checkpoint_interval_secs": 60},
    "cpu_profiler": True, "tracing": False, "tracing_endpoint_jaeger": "", "min_batch_size_records": 0,
    "max_buffering_delay_usecs": 0,
    "resources": {"cpu_cores_min": None, "cpu_cores_max": None, "memory_mb_min": None, "memory_mb_max": None,
                  "storage_mb_max": None, "storage_class": None, "service_account_name": None, "namespace": None},
    "clock_resolution_usecs": 1000000, "clock_timezone_offset": None, "pin_cpus": [],
    "provisioning_timeout_secs": None, "max_parallel_connector_init": None, "init_containers": None,
    "checkpoint_during_suspend": True, "http_workers": None, "io_workers": None, "env": {}, "dev_tweaks": {},
    "logging": None, "pipeline_template_configmap": None,
}
PROGRAM_FIELDS = ("program_code", "udf_rust", "udf_toml", "program_config")
CORE_FIELDS = PROGRAM_FIELDS + ("runtime_config",)  # with the name: edits only while fully stopped


def _path(config: Mapping[str, Any] | None, *keys: str, default: Any = None) -> Any:
    for key in keys:
        if not isinstance(config, Mapping):
            return default
        config = config.get(key, default)
    return config


# Edits refused while storage is in use (server: EditRestrictedToClearedStorage).
STORAGE_BOUND: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "`runtime_config.workers`": lambda f: _path(f["runtime_config"], "workers"),
    "`runtime_config.hosts`": lambda f: _path(f["runtime_config"], "hosts", default=1),
    "`runtime_config.fault_tolerance`": lambda f: _path(f["runtime_config"], "fault_tolerance"),
    "`runtime_config.resources.storage_mb_max`": lambda f: _path(f["runtime_config"], "resources", "storage_mb_max"),
}


@dataclass
class Pipeline:
    deployment: Resource
    program: Resource
    storage: Resource

    @property
    def name(self) -> str:
        return self.deployment.id

    @property
    def fields(self) -> dict[str, Any]:
        return self.deployment.fields

    @property
    def fully_stopped(self) -> bool:
        return self.deployment.state == "Stopped"

    def dims(self) -> dict[str, str | None]:
        return dims(self.deployment)


# --- reading ------------------------------------------------------------------------------------

def find(tx: Transaction, name: str) -> Pipeline | None:
    deployment = tx.get(VENDOR, "pipeline", name)
    if deployment is None:
        return None
    pipeline = Pipeline(deployment, tx.get(VENDOR, "program", name), tx.get(VENDOR, "storage", name))
    _settle(tx, pipeline)
    return pipeline


def require(tx: Transaction, name: str) -> Pipeline:
    pipeline = find(tx, name)
    if pipeline is None:
        raise ERRORS.named("UnknownPipelineName", {"pipeline_name": name}, pipeline_name=name)
    return pipeline


def list_all(tx: Transaction) -> list[Pipeline]:
    names = sorted(r.id for r in tx.store.of_kind(VENDOR, "pipeline"))
    return [p for p in (find(tx, name) for name in names) if p is not None]


def _settle(tx: Transaction, p: Pipeline) -> None:
    """Rules across the three resources, which no one resource's table can see (each is read apart)."""
    deployment, program, storage = p.deployment, p.program, p.storage
    if deployment.state == "StartPending" and program.state in ("Success", *COMPILE_ERRORS):
        tx.act(deployment, "compiled", {"program": program.state}, at=max(program.entered_at, deployment.entered_at),
               cause=f"program:{program.state}")
    provisioned_at = p.fields.get("provisioned_at")
    if storage.state == "Cleared" and provisioned_at is not None and provisioned_at >= storage.entered_at:
        tx.act(storage, "provisioned", at=provisioned_at, cause="provisioned")


# --- create, edit, delete -----------------------------------------------------------------------

def check_name(name: str) -> None:
    if name == "":
        raise ERRORS.named("EmptyName")
    if len(name) > MAX_NAME:
        details = {"name": name, "length": len(name), "maximum": MAX_NAME}
        raise ERRORS.named("TooLongName", details, **details)
    if not re.fullmatch(NAME_PATTERN, name):
        raise ERRORS.named("NameDoesNotMatchPattern", {"name": name}, name=name)


def _normalized(body: Mapping[str, Any], *, full: bool) -> dict[str, Any]:
    """The stored form of the editable fields: every one for POST/PUT, the given ones for PATCH."""
    defaults = {"description": "", "tags": [], "udf_rust": "", "udf_toml": "", "program_config": None,
                "runtime_config": None}
    values = {}
    for name in ("description", "tags", "program_code", "udf_rust", "udf_toml", "program_config", "runtime_config"):
        if body.get(name) is not None:
            values[name] = body[name]
        elif full:
            values[name] = defaults.get(name, "")
    if "program_config" in values:
        values["program_config"] = {**DEFAULT_PROGRAM_CONFIG, **(values["program_config"] or {})}
    if "runtime_config" in values:
        values["runtime_config"] = {**DEFAULT_RUNTIME_CONFIG, **(values["runtime_config"] or {})}
    if "tags" in values:
        values["tags"] = list(values["tags"])
    return values


def _settings(tx: Transaction) -> dict[str, Any]:
    return tx.settings(VENDOR)


def platform_version(tx: Transaction) -> str:
    settings = _settings(tx)
    return settings.get("version") or VERSIONS[settings["api_generation"]]


def _compile(tx: Transaction, name: str, code: str) -> Resource:
    return tx.create(VENDOR, "program", name, fields=outcome_fields(code, _settings(tx)["compile_errors"]))


def _new_uuid(tx: Transaction) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"feldera:pipeline:{tx.next_id(VENDOR, 'pipeline')}"))


def _create(tx: Transaction, name: str, values: dict[str, Any]) -> Pipeline:
    fields = {"uuid": _new_uuid(tx), **values, "version": 1, "refresh_version": 1, "program_version": 1,
              "platform_version": platform_version(tx), "deployment_error": None, "deployment_initial": None,
              "runtime_desired": None, "bootstrap": None, "checkpoints": 0}
    deployment = tx.create(VENDOR, "pipeline", name, fields=fields)
    return Pipeline(deployment, _compile(tx, name, values["program_code"]), tx.create(VENDOR, "storage", name))


def create(tx: Transaction, body: Mapping[str, Any]) -> Pipeline:
    name = body["name"]
    check_name(name)
    if tx.get(VENDOR, "pipeline", name) is not None:
        raise ERRORS.named("DuplicateName")
    return _create(tx, name, _normalized(body, full=True))


def upsert(tx: Transaction, path_name: str, body: Mapping[str, Any]) -> tuple[Pipeline, bool]:
    """PUT: (pipeline, created)."""
    existing = find(tx, path_name)
    if existing is None:
        if body["name"] != path_name:
            raise ERRORS.named("CannotRenameNonExistingPipeline")
        return create(tx, body), True
    _edit(tx, existing, body["name"], _normalized(body, full=True))
    return existing, False


def patch(tx: Transaction, name: str, body: Mapping[str, Any]) -> Pipeline:
    pipeline = require(tx, name)
    _edit(tx, pipeline, body.get("name"), _normalized(body, full=False))
    return pipeline


def _edit(tx: Transaction, p: Pipeline, new_name: str | None, values: dict[str, Any]) -> None:
    current = p.fields
    renaming = new_name is not None and new_name != p.name
    if renaming:
        check_name(new_name)
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    if not changed and not renaming:
        return
    if (renaming or any(k in CORE_FIELDS for k in changed)) and not p.fully_stopped:
        raise ERRORS.named("UpdateRestrictedToStopped")
    if p.storage.state != "Cleared":
        after = {**current, **changed}
        runtime_changes = [label for label, read in STORAGE_BOUND.items()
                           if "runtime_config" in changed and read(after) != read(current)]
        not_allowed = (["`name`"] if renaming else []) + runtime_changes
        if not_allowed:
            raise ERRORS.named("EditRestrictedToClearedStorage", {"not_allowed": not_allowed},
                               fields=", ".join(not_allowed))
    if renaming:
        if tx.get(VENDOR, "pipeline", new_name) is not None:
            raise ERRORS.named("DuplicateName")
        _rename(tx, p, new_name)
    current.update(changed)
    current["version"] += 1
    current["refresh_version"] += 1
    if any(k in PROGRAM_FIELDS for k in changed):
        current["program_version"] += 1
        current["platform_version"] = platform_version(tx)
        p.program = _compile(tx, p.name, current["program_code"])


def _rename(tx: Transaction, p: Pipeline, new_name: str) -> None:
    for resource in (p.deployment, p.program, p.storage):
        tx.delete(VENDOR, resource.kind, resource.id)
        resource.id = new_name
        tx.store.put(resource)


def delete(tx: Transaction, name: str) -> None:
    p = require(tx, name)
    if not p.fully_stopped:
        raise ERRORS.named("DeleteRestrictedToFullyStopped")
    if p.storage.state != "Cleared":
        raise ERRORS.named("DeleteRestrictedToClearedStorage")
    for kind in ("pipeline", "program", "storage"):
        tx.delete(VENDOR, kind, name)


# --- lifecycle calls ----------------------------------------------------------------------------

def _legacy(tx: Transaction) -> bool:
    return _settings(tx)["api_generation"] == "legacy"


def enterprise_only(tx: Transaction, feature: str) -> None:
    """Community edition: 501 before the pipeline is even looked up (reference 1)."""
    if _settings(tx)["edition"] == "community":
        name = ENTERPRISE_FEATURES[feature]
        raise ERRORS.named("EnterpriseFeature", {"feature": name}, feature=name)


def check_bootstrap_flags(silent: bool, concurrent: bool) -> None:
    if silent and concurrent:
        reason = "silent_bootstrap and concurrent_bootstrap cannot both be enabled"
        raise ERRORS.named("InvalidBootstrapConfig", {"reason": reason}, reason=reason)


def check_start_params(query: Mapping[str, Any]) -> None:
    """Checks 1 and 2 of /start, made before the lookup (reference 6.2)."""
    check_bootstrap_flags(query["silent_bootstrap"], query["concurrent_bootstrap"])
    if query["initial"] not in INITIALS:
        action = f"/start?initial={query['initial']}"
        reason = "the initial desired runtime status must be 'running', 'paused' or 'standby'"
        raise ERRORS.named("UnsupportedPipelineAction", {"action": action, "reason": reason},
                           action=action, reason=reason)


def _refusal(tx: Transaction, p: Pipeline, error: str, requested: str) -> Exception:
    """The response for a Reject of the deployment table, with the details the reference gives."""
    d = p.dims()
    if error == "IllegalPipelineAction":
        hint = HINTS.get(p.deployment.state, HINTS["NotSuspendable"])
        if _legacy(tx):
            legacy_desired = "Stopped" if d["resources_desired"] == "Stopped" else (d["runtime_desired"] or "Running")
            details = {"pipeline_status": d["legacy"], "current_desired_status": legacy_desired,
                       "new_desired_status": requested, "hint": hint}
            return ERRORS.named("LegacyIllegalPipelineAction", details, error_code="IllegalPipelineAction", **details)
        details = {"status": d["resources"], "current_desired_status": d["resources_desired"],
                   "new_desired_status": "Provisioned" if requested != "Suspended" else "Stopped", "hint": hint}
        return ERRORS.named("IllegalPipelineAction", details, **details)
    if error == "PipelineInteractionNotDeployed":
        details = {"pipeline_name": p.name, "status": d["resources"], "desired_status": d["resources_desired"]}
        return ERRORS.named(error, details, status_lower=d["resources"].lower(),
                            pipeline_id=p.fields["uuid"], pipeline_name=p.name)
    if error == "PipelineUnavailable":
        return ERRORS.named(error, {"pipeline_name": p.name}, pipeline_name=p.name)
    if error == "InvalidTransition":
        current = d["runtime"] if p.deployment.state != "Suspending" else "Suspending"
        details = {"pipeline_name": p.name, "current": current, "requested": requested}
        return ERRORS.named(error, details, current=current, requested=requested)
    return ERRORS.named(error)


def _outcome(tx: Transaction, p: Pipeline, action: str, requested: str):
    outcome = DEPLOYMENT.outcome(action, p.deployment.state)
    if isinstance(outcome, Reject):
        raise _refusal(tx, p, outcome.error, requested)
    return outcome


def _act(tx: Transaction, p: Pipeline, action: str, requested: str, params: Mapping[str, Any]):
    """Apply a guarded action of the deployment table; a refusal as the vendor answers it."""
    try:
        return tx.act(p.deployment, action, params)
    except LifecycleError as refused:
        raise _refusal(tx, p, refused.error, requested) from None


def _standby_allowed(runtime_config: Mapping[str, Any]) -> bool:
    backend = _path(runtime_config, "storage", "backend") or {}
    return backend.get("name") == "file" and _path(backend, "config", "sync") is not None


def start(tx: Transaction, p: Pipeline, query: Mapping[str, Any]) -> str:
    """Checks 4-9 of /start in order (reference 6.2, in the table), then the desired status changes."""
    bootstrap = {k: query[k] for k in ("bootstrap_policy", "silent_bootstrap", "concurrent_bootstrap")}
    params = {"query": query, "initial": query["initial"], "bootstrap": bootstrap, "storage": p.storage.state,
              "program": p.program.state, "standby_allowed": _standby_allowed(p.fields["runtime_config"])}
    outcome = _act(tx, p, "legacy_start" if _legacy(tx) else "start", "Running", params)
    if query["dismiss_error"]:
        p.fields["deployment_error"] = None
    if isinstance(outcome, Move):
        _settle(tx, p)
    return BODIES["start"]


def stop(tx: Transaction, p: Pipeline, force: bool) -> str:
    if force:
        action = "stop_force"
    else:
        action = "legacy_stop_graceful" if _legacy(tx) else "stop_graceful"
    suspends = not force and p.deployment.state in PROVISIONED
    _outcome(tx, p, action, "Suspended" if not force else "Stopped")
    tx.act(p.deployment, action)
    return BODIES["stop_suspend" if suspends else "stop_force"]


LEGACY_PAUSE_BOOTSTRAP = {"bootstrap_policy": "await_approval", "silent_bootstrap": False,
                          "concurrent_bootstrap": False}


def transition(tx: Transaction, p: Pipeline, action: str) -> str:
    """/pause or /resume: the runtime desired status changes; the runtime follows (reference 6.4)."""
    target = "Paused" if action == "pause" else "Running"
    legacy = _legacy(tx) and action == "pause"
    table = "legacy_pause" if legacy else action
    old = p.dims()["runtime_desired"] or (p.fields.get("deployment_initial") or "stopped").capitalize()
    # legacy: /pause starts a stopped pipeline paused
    params = {"target": target, "initial": "paused", "bootstrap": LEGACY_PAUSE_BOOTSTRAP}
    if isinstance(_act(tx, p, table, target, params), Move):
        _settle(tx, p)
    return BODIES["transition"].format(old=old, new=target)


def clear(tx: Transaction, p: Pipeline) -> str:
    if p.storage.state != "Cleared":
        if not p.fully_stopped:
            d = p.dims()
            details = {"resources_status": d["resources"], "resources_desired_status": d["resources_desired"],
                       "current_status": p.storage.state, "new_status": "Clearing"}
            raise ERRORS.named("StorageStatusImmutableUnlessStopped", details, **details)
        tx.act(p.storage, "clear")
    return BODIES["clear"]


def dismiss_error(tx: Transaction, p: Pipeline) -> str:
    if p.fields.get("deployment_error") and not p.fully_stopped:
        raise ERRORS.named("DismissErrorRestrictedToFullyStopped")
    p.fields["deployment_error"] = None
    return BODIES["dismiss_error"]


def checkpoint(tx: Transaction, p: Pipeline) -> dict[str, Any]:
    _outcome(tx, p, "checkpoint", "Checkpoint")
    p.fields["checkpoints"] = p.fields.get("checkpoints", 0) + 1
    return {"checkpoint_sequence_number": p.fields["checkpoints"], "incarnation_uuid": p.fields.get("deployment_id")}


def approve(tx: Transaction, p: Pipeline) -> str:
    if isinstance(_outcome(tx, p, "approve", "Bootstrapping"), Move):
        tx.act(p.deployment, "approve")
    return BODIES["approve"]


def activate(tx: Transaction, p: Pipeline, initial: str) -> str:
    if isinstance(_outcome(tx, p, "activate", initial), Move):
        p.fields["runtime_desired"] = "Paused" if initial == "Paused" else "Running"
        tx.act(p.deployment, "activate")
    return BODIES["activate"]


# --- scenarios ----------------------------------------------------------------------------------

SEED_CODE = "CREATE TABLE t1 (id INT);\nCREATE MATERIALIZED VIEW v1 AS SELECT * FROM t1;"


def seed(tx: Transaction, spec: ResourceSpec) -> Resource:
    if spec.kind == "pipeline":
        return _seed_pipeline(tx, spec)
    if tx.get(VENDOR, "pipeline", spec.id) is None:
        _seed_pipeline(tx, ResourceSpec(vendor=VENDOR, kind="pipeline", id=spec.id))
    fields = {}
    if spec.kind == "program":
        fields = {"outcome": spec.fields.get("compile_outcome", "Success"),
                  "message": spec.fields.get("compile_message")}
    return tx.create(VENDOR, spec.kind, spec.id, fields=fields, state=spec.state,
                     remaining=spec.remaining, route=spec.route, timing=spec.timing, cause="seeded")


def _seed_pipeline(tx: Transaction, spec: ResourceSpec) -> Resource:
    """A pipeline in any deployment phase; fields may set the program and storage status too."""
    given = dict(spec.fields)
    state = spec.state or "Stopped"
    started = state not in ("Stopped",)
    values = _normalized({"program_code": given.pop("program_code", SEED_CODE), **given}, full=True)
    initial = given.get("deployment_initial", "running" if started else None)
    extra = {
        "deployment_initial": initial,
        "runtime_desired": given.get("runtime_desired") or (initial.capitalize() if initial else None),
        "bootstrap": {"bootstrap_policy": "await_approval", "silent_bootstrap": False,
                      "concurrent_bootstrap": False} if started else None,
        "deployment_error": given.get("deployment_error"),
        "fail_at": given.get("fail_at"),
        "suspended_from": given.get("suspended_from"),
    }
    if state not in NOT_PROVISIONED or state == "Stopping":
        extra["deployment_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"feldera:{spec.id}:seeded"))
        extra["provisioned_at"] = tx.now
    for resource_kind in ("pipeline", "program", "storage"):
        tx.delete(VENDOR, resource_kind, spec.id)
    fields = {"uuid": _new_uuid(tx), **values, "version": 1, "refresh_version": 1, "program_version": 1,
              "platform_version": platform_version(tx), "checkpoints": 0, **extra}
    deployment = tx.create(VENDOR, "pipeline", spec.id, fields=fields, state=state, remaining=spec.remaining,
                           route=spec.route, timing=spec.timing, cause="seeded")
    program_fields = outcome_fields(values["program_code"], _settings(tx)["compile_errors"])
    if "compile_outcome" in given:
        program_fields = {"outcome": given["compile_outcome"], "message": given.get("compile_message")}
    program_state = given.get("program_status", "Success")
    if program_state in COMPILE_ERRORS:
        program_fields = {"outcome": program_state, "message": given.get("compile_message")}
    tx.create(VENDOR, "program", spec.id, fields=program_fields, state=program_state, cause="seeded")
    in_use = state not in ("Stopped", "StartPending")
    tx.create(VENDOR, "storage", spec.id, state=given.get("storage_status", "InUse" if in_use else "Cleared"),
              cause="seeded")
    return deployment


__all__ = [
    "Pipeline", "VIEW", "activate", "approve", "check_bootstrap_flags", "check_name", "check_start_params",
    "checkpoint", "clear", "create", "delete", "dismiss_error", "enterprise_only", "find", "list_all", "patch",
    "platform_version", "require", "seed", "start", "stop", "transition", "upsert",
]
