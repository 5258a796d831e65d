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
from .validation import check_description, check_tags, program_config, runtime_config

MAX_NAME = 63
VERSIONS = {"current": "0.337.0", "legacy": "0.127.0"}  # the reference's server releases
PROGRAM_FIELDS = ("program_code", "udf_rust", "udf_toml", "program_config")


def _path(config: Mapping[str, Any] | None, *keys: str, default: Any = None) -> Any:
    for key in keys:
        if not isinstance(config, Mapping):
            return default
        config = config.get(key, default)
    return config


# Edits refused while storage is in use (server: EditRestrictedToClearedStorage), compared on the
# stored forms, so a field left out and its default are the same value. From the server source
# (db/operations/pipeline.rs update_pipeline), in its order.
STORAGE_BOUND: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "`runtime_config.workers`": lambda c: _path(c, "workers"),
    "`runtime_config.hosts`": lambda c: _path(c, "hosts"),
    "`runtime_config.fault_tolerance`": lambda c: _path(c, "fault_tolerance"),
    "`runtime_config.resources.storage_mb_max`": lambda c: _path(c, "resources", "storage_mb_max"),
    "`runtime_config.resources.namespace`": lambda c: _path(c, "resources", "namespace"),
    "`runtime_config.resources.storage_class`": lambda c: _path(c, "resources", "storage_class"),
    "`runtime_config.clock_timezone_offset`": lambda c: _path(c, "clock_timezone_offset"),
}
METADATA_FIELDS = ("description", "tags")  # client metadata: editable anytime, bumps no version


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


def _normalized(tx: Transaction, body: Mapping[str, Any], *, full: bool) -> dict[str, Any]:
    """The stored form of the editable fields: every one for POST/PUT, the given ones for PATCH.
    The configs are checked and completed here (400 InvalidRuntimeConfig / InvalidProgramConfig)."""
    defaults = {"description": "", "tags": [], "udf_rust": "", "udf_toml": "", "program_config": None,
                "runtime_config": None}
    values = {}
    for name in ("description", "tags", "program_code", "udf_rust", "udf_toml", "program_config", "runtime_config"):
        if body.get(name) is not None:
            values[name] = body[name]
        elif full:
            values[name] = defaults.get(name, "")
    if "runtime_config" in values:
        values["runtime_config"] = runtime_config(values["runtime_config"],
                                                  community=_settings(tx)["edition"] == "community")
    if "program_config" in values:
        values["program_config"] = program_config(values["program_config"])
    if "tags" in values:
        values["tags"] = list(values["tags"])
    return values


def _check_metadata(values: Mapping[str, Any], current: Mapping[str, Any] | None = None) -> None:
    """Description and tags, only where they change (a value stored before a limit stays editable)."""
    current = current or {}
    if "description" in values and values["description"] != current.get("description"):
        check_description(values["description"])
    if "tags" in values and values["tags"] != current.get("tags"):
        check_tags(values["tags"])


def _settings(tx: Transaction) -> dict[str, Any]:
    return tx.settings(VENDOR)


def platform_version(tx: Transaction) -> str:
    settings = _settings(tx)
    return settings.get("version") or VERSIONS[settings["api_generation"]]


def _compile(tx: Transaction, name: str, values: Mapping[str, Any]) -> Resource:
    fields = outcome_fields(values["program_code"], values.get("udf_rust") or "", _settings(tx)["compile_errors"])
    return tx.create(VENDOR, "program", name, fields=fields)


def _new_uuid(tx: Transaction) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"feldera:pipeline:{tx.next_id(VENDOR, 'pipeline')}"))


DEFAULT_FAIL_AFTER = 1.0  # seconds in Running before a `fail_at: Running` failure [sim choice]


def _failure(rule: Mapping[str, Any] | None) -> tuple[dict[str, Any], dict[str, float]]:
    """(fields, per-resource timing) that make a pipeline fail as `rule` says (at, times, after)."""
    if not rule or not rule.get("at"):
        return {}, {}
    timing = {"Running": rule.get("after") or DEFAULT_FAIL_AFTER} if rule["at"] == "Running" else {}
    return {"fail_at": rule["at"], "fail_times": rule.get("times")}, timing


def _create(tx: Transaction, name: str, values: dict[str, Any]) -> Pipeline:
    rule = next((r for r in _settings(tx)["failures"] if r.get("pipeline") in (None, name)), None)
    failure, timing = _failure(rule)
    fields = {"uuid": _new_uuid(tx), **values, "version": 1, "refresh_version": 1, "program_version": 1,
              "platform_version": platform_version(tx), "deployment_error": None, "deployment_initial": None,
              "runtime_desired": None, "bootstrap": None, "checkpoints": 0, **failure}
    deployment = tx.create(VENDOR, "pipeline", name, fields=fields, timing=timing)
    return Pipeline(deployment, _compile(tx, name, values), tx.create(VENDOR, "storage", name))


def create(tx: Transaction, body: Mapping[str, Any]) -> Pipeline:
    name = body["name"]
    check_name(name)
    _check_metadata(body)
    values = _normalized(tx, body, full=True)
    if tx.get(VENDOR, "pipeline", name) is not None:
        raise ERRORS.named("DuplicateName")
    return _create(tx, name, values)


def upsert(tx: Transaction, path_name: str, body: Mapping[str, Any]) -> tuple[Pipeline, bool]:
    """PUT: (pipeline, created)."""
    check_name(body["name"])
    values = _normalized(tx, body, full=True)
    existing = find(tx, path_name)
    if existing is None:
        if body["name"] != path_name:
            raise ERRORS.named("CannotRenameNonExistingPipeline")
        _check_metadata(values)
        return _create(tx, path_name, values), True
    _edit(tx, existing, body["name"], values)
    return existing, False


def patch(tx: Transaction, name: str, body: Mapping[str, Any]) -> Pipeline:
    if body.get("name") is not None:
        check_name(body["name"])
    values = _normalized(tx, body, full=False)
    pipeline = require(tx, name)
    _edit(tx, pipeline, body.get("name"), values)
    return pipeline


def _edit(tx: Transaction, p: Pipeline, new_name: str | None, values: dict[str, Any]) -> None:
    """The server's update_pipeline: metadata-only edits touch no version; core edits need a fully
    stopped pipeline (and cleared storage for the storage-bound ones) and bump `version` and
    `refresh_version`; program edits also bump `program_version` and recompile."""
    current = p.fields
    renaming = new_name is not None and new_name != p.name
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    _check_metadata(changed, current)
    core = renaming or any(k not in METADATA_FIELDS for k in changed)
    if core and not p.fully_stopped:
        raise ERRORS.named("UpdateRestrictedToStopped")
    if not core:
        current.update(changed)
        return
    if p.storage.state != "Cleared":
        runtime_changes = []
        if "runtime_config" in changed:
            runtime_changes = [label for label, read in STORAGE_BOUND.items()
                               if read(changed["runtime_config"]) != read(current["runtime_config"])]
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
        current["refresh_version"] += p.program.fields.get("refreshes", 0)  # the old program's, kept
        p.program = _compile(tx, p.name, current)


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
    """A checkpoint completes at once: it is listed in `storage_status_details` and reported by
    /checkpoint_status as the latest success."""
    _outcome(tx, p, "checkpoint", "Checkpoint")
    sequence = p.fields["checkpoints"] = (p.fields.get("checkpoints") or 0) + 1
    p.fields["checkpoint_success"] = sequence
    stored = p.storage.fields.get("checkpoints")
    if stored is not None:
        number = len(stored) + 1
        stored.append({"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"feldera:{p.fields['uuid']}:checkpoint:{number}")),
                       "identifier": None, "fingerprint": number, "size": 0, "steps": 0, "processed_records": 0})
    return {"checkpoint_sequence_number": sequence, "incarnation_uuid": p.fields.get("deployment_id")}


def checkpoint_status(tx: Transaction, p: Pipeline, incarnation: str | None) -> dict[str, Any]:
    _outcome(tx, p, "checkpoint", "CheckpointStatus")
    expected = p.fields.get("deployment_id")
    if incarnation is not None and incarnation != expected:
        details = {"requested": incarnation, "expected": expected}
        raise ERRORS.named("IncarnationUuidMismatch", details, **details)
    return {"success": p.fields.get("checkpoint_success"), "failure": None}


def stats(tx: Transaction, p: Pipeline) -> dict[str, Any]:
    """The controller's status with zero counters: no data flows through a simulated pipeline."""
    _outcome(tx, p, "stats", "Stats")
    started = p.fields.get("provisioned_at") or tx.now
    uptime = int(max(0.0, tx.now - started) * 1000)
    zero = dict.fromkeys((
        "rss_bytes", "memory_pressure_epoch", "cpu_msecs", "storage_bytes", "storage_mb_secs",
        "buffered_input_records", "buffered_input_bytes", "total_input_records", "total_input_bytes",
        "total_processed_records", "total_processed_bytes", "total_completed_records", "output_stall_msecs",
        "total_initiated_steps", "total_completed_steps", "transaction_id"), 0)
    metrics = {
        **zero,
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
    values = _normalized(tx, {"program_code": given.pop("program_code", SEED_CODE), **given}, full=True)
    initial = given.get("deployment_initial", "running" if started else None)
    extra = {
        "deployment_initial": initial,
        "runtime_desired": given.get("runtime_desired") or (initial.capitalize() if initial else None),
        "bootstrap": {"bootstrap_policy": "await_approval", "silent_bootstrap": False,
                      "concurrent_bootstrap": False} if started else None,
        "deployment_error": given.get("deployment_error"),
        "suspended_from": given.get("suspended_from"),
    }
    if state not in NOT_PROVISIONED or state == "Stopping":
        extra["deployment_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"feldera:{spec.id}:seeded"))
        extra["provisioned_at"] = tx.now
    for resource_kind in ("pipeline", "program", "storage"):
        tx.delete(VENDOR, resource_kind, spec.id)
    fields = {"uuid": _new_uuid(tx), **values, "version": 1, "refresh_version": 1, "program_version": 1,
              "platform_version": platform_version(tx), "checkpoints": 0, **extra}
    failure, timing = _failure({"at": given.get("fail_at"), "times": given.get("fail_times"),
                                "after": given.get("fail_after")})
    fields.update(failure)
    deployment = tx.create(VENDOR, "pipeline", spec.id, fields=fields, state=state, remaining=spec.remaining,
                           route=spec.route, timing={**timing, **(spec.timing or {})}, cause="seeded")
    program_fields = outcome_fields(values["program_code"], values["udf_rust"], _settings(tx)["compile_errors"])
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
    "checkpoint", "checkpoint_status", "clear", "create", "delete", "dismiss_error", "enterprise_only", "find",
    "list_all", "patch",
    "platform_version", "require", "seed", "start", "stats", "stop", "transition", "upsert",
]
