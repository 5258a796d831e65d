"""Feldera's operations on the engine: one function per operationId, no Flask. Refusals are
VendorErrors naming a row of codes.CODES; each returns the body its route sends."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from ...engine import LifecycleError, Move, Reject, Transaction
from ...kit.errors import VendorError
from . import definition, render
from .codes import ENTERPRISE_FEATURES, HINTS
from .lifecycle import DEPLOYMENT, PROVISIONED, VENDOR
from .pipelines import (
    KINDS,
    Pipeline,
    config_value,
    find,
    generation,
    legacy,
    list_all,
    platform_version,
    require,
    settings,
    settle,
)
from .schemas import INITIALS

# --- platform -----------------------------------------------------------------------------------

def get_config(tx: Transaction) -> dict[str, Any]:
    return render.config(settings(tx)["edition"], platform_version(tx), generation=generation(tx))


def get_cluster_health(tx: Transaction) -> dict[str, Any]:
    return render.cluster_health(tx.now)


# --- create, read, edit, delete -----------------------------------------------------------------

def _full(tx: Transaction, p: Pipeline) -> dict[str, Any]:
    return render.pipeline(p, "all", generation=generation(tx))


def list_pipelines(tx: Transaction, selector: str) -> list[dict[str, Any]]:
    return [render.pipeline(p, selector, generation=generation(tx)) for p in list_all(tx)]


def get_pipeline(tx: Transaction, name: str, selector: str) -> dict[str, Any]:
    return render.pipeline(require(tx, name), selector, generation=generation(tx))


def post_pipeline(tx: Transaction, body: Mapping[str, Any]) -> dict[str, Any]:
    name = body["name"]
    definition.check_name(name)
    definition.check_metadata(body)
    values = definition.normalized(tx, body, full=True)
    if tx.get(VENDOR, "pipeline", name) is not None:
        raise VendorError("DuplicateName")
    return _full(tx, definition.create(tx, name, values))


def put_pipeline(tx: Transaction, path_name: str, body: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """(the pipeline, created)."""
    definition.check_name(body["name"])
    values = definition.normalized(tx, body, full=True)
    existing = find(tx, path_name)
    if existing is None:
        if body["name"] != path_name:
            raise VendorError("CannotRenameNonExistingPipeline")
        definition.check_metadata(values)
        return _full(tx, definition.create(tx, path_name, values)), True
    definition.edit(tx, existing, body["name"], values)
    return _full(tx, existing), False


def patch_pipeline(tx: Transaction, name: str, body: Mapping[str, Any]) -> dict[str, Any]:
    if body.get("name") is not None:
        definition.check_name(body["name"])
    values = definition.normalized(tx, body, full=False)
    pipeline = require(tx, name)
    definition.edit(tx, pipeline, body.get("name"), values)
    return _full(tx, pipeline)


def delete_pipeline(tx: Transaction, name: str) -> None:
    p = require(tx, name)
    if not p.fully_stopped:
        raise VendorError("DeleteRestrictedToFullyStopped")
    if p.storage.state != "Cleared":
        raise VendorError("DeleteRestrictedToClearedStorage")
    for kind in KINDS:
        tx.delete(VENDOR, kind, name)


# --- lifecycle calls ----------------------------------------------------------------------------

def _enterprise_only(tx: Transaction, feature: str) -> None:
    """Community edition: 501 before the pipeline is even looked up (reference 1)."""
    if settings(tx)["edition"] == "community":
        name = ENTERPRISE_FEATURES[feature]
        raise VendorError("EnterpriseFeature", details={"feature": name}, feature=name)


def _check_bootstrap_flags(silent: bool, concurrent: bool) -> None:
    if silent and concurrent:
        reason = "silent_bootstrap and concurrent_bootstrap cannot both be enabled"
        raise VendorError("InvalidBootstrapConfig", details={"reason": reason}, reason=reason)


def _check_start_params(query: Mapping[str, Any]) -> None:
    """Checks 1 and 2 of /start, made before the lookup (reference 6.2)."""
    _check_bootstrap_flags(query["silent_bootstrap"], query["concurrent_bootstrap"])
    if query["initial"] not in INITIALS:
        action = f"/start?initial={query['initial']}"
        reason = "the initial desired runtime status must be 'running', 'paused' or 'standby'"
        raise VendorError("UnsupportedPipelineAction", details={"action": action, "reason": reason},
                          action=action, reason=reason)


def _refusal(tx: Transaction, p: Pipeline, error: str, requested: str) -> VendorError:
    """A Reject of the deployment table, with the details the reference gives."""
    d = p.dims()
    if error == "IllegalPipelineAction":
        hint = HINTS.get(p.deployment.state, HINTS["NotSuspendable"])
        if legacy(tx):
            legacy_desired = "Stopped" if d["resources_desired"] == "Stopped" else (d["runtime_desired"] or "Running")
            details = {"pipeline_status": d["legacy"], "current_desired_status": legacy_desired,
                       "new_desired_status": requested, "hint": hint}
            return VendorError("LegacyIllegalPipelineAction", details=details, **details)
        details = {"status": d["resources"], "current_desired_status": d["resources_desired"],
                   "new_desired_status": "Provisioned" if requested != "Suspended" else "Stopped", "hint": hint}
        return VendorError(error, details=details, **details)
    if error == "PipelineInteractionNotDeployed":
        details = {"pipeline_name": p.name, "status": d["resources"], "desired_status": d["resources_desired"]}
        return VendorError(error, details=details, status_lower=d["resources"].lower(),
                           pipeline_id=p.fields["uuid"], pipeline_name=p.name)
    if error == "PipelineUnavailable":
        return VendorError(error, details={"pipeline_name": p.name}, pipeline_name=p.name)
    if error == "InvalidTransition":
        current = d["runtime"] if p.deployment.state != "Suspending" else "Suspending"
        details = {"pipeline_name": p.name, "current": current, "requested": requested}
        return VendorError(error, details=details, current=current, requested=requested)
    return VendorError(error)


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
    backend = config_value(runtime_config, "storage", "backend") or {}
    return backend.get("name") == "file" and config_value(backend, "config", "sync") is not None


def start_pipeline(tx: Transaction, name: str, query: Mapping[str, Any]) -> str:
    """Checks 1-2, then (after the lookup) checks 4-9 of /start in order (reference 6.2, in the
    table), then the desired status changes."""
    _check_start_params(query)
    p = require(tx, name)
    bootstrap = {k: query[k] for k in ("bootstrap_policy", "silent_bootstrap", "concurrent_bootstrap")}
    params = {"query": query, "initial": query["initial"], "bootstrap": bootstrap, "storage": p.storage.state,
              "program": p.program.state, "standby_allowed": _standby_allowed(p.fields["runtime_config"])}
    outcome = _act(tx, p, "legacy_start" if legacy(tx) else "start", "Running", params)
    if query["dismiss_error"]:
        p.fields["deployment_error"] = None
    if isinstance(outcome, Move):
        settle(tx, p)
    return render.MESSAGES["start"]


def stop_pipeline(tx: Transaction, name: str, force: bool) -> str:
    if not force:
        _enterprise_only(tx, "stop")
    p = require(tx, name)
    if force:
        action = "stop_force"
    else:
        action = "legacy_stop_graceful" if legacy(tx) else "stop_graceful"
    suspends = not force and p.deployment.state in PROVISIONED
    _outcome(tx, p, action, "Suspended" if not force else "Stopped")
    tx.act(p.deployment, action)
    return render.MESSAGES["stop_suspend" if suspends else "stop_force"]


LEGACY_PAUSE_BOOTSTRAP = {"bootstrap_policy": "await_approval", "silent_bootstrap": False,
                          "concurrent_bootstrap": False}


def _transition(tx: Transaction, name: str, action: str) -> str:
    """/pause or /resume: the runtime desired status changes; the runtime follows (reference 6.4)."""
    p = require(tx, name)
    target = "Paused" if action == "pause" else "Running"
    table = "legacy_pause" if legacy(tx) and action == "pause" else action
    old = p.dims()["runtime_desired"] or (p.fields.get("deployment_initial") or "stopped").capitalize()
    # legacy: /pause starts a stopped pipeline paused
    params = {"target": target, "initial": "paused", "bootstrap": LEGACY_PAUSE_BOOTSTRAP}
    if isinstance(_act(tx, p, table, target, params), Move):
        settle(tx, p)
    return render.MESSAGES["transition"].format(old=old, new=target)


def pause_pipeline(tx: Transaction, name: str) -> str:
    return _transition(tx, name, "pause")


def resume_pipeline(tx: Transaction, name: str) -> str:
    return _transition(tx, name, "resume")


def clear_storage(tx: Transaction, name: str) -> str:
    p = require(tx, name)
    if p.storage.state != "Cleared":
        if not p.fully_stopped:
            d = p.dims()
            details = {"resources_status": d["resources"], "resources_desired_status": d["resources_desired"],
                       "current_status": p.storage.state, "new_status": "Clearing"}
            raise VendorError("StorageStatusImmutableUnlessStopped", details=details, **details)
        tx.act(p.storage, "clear")
    return render.MESSAGES["clear"]


def dismiss_error(tx: Transaction, name: str) -> str:
    p = require(tx, name)
    if p.fields.get("deployment_error") and not p.fully_stopped:
        raise VendorError("DismissErrorRestrictedToFullyStopped")
    p.fields["deployment_error"] = None
    return render.MESSAGES["dismiss_error"]


def checkpoint_pipeline(tx: Transaction, name: str) -> dict[str, Any]:
    """A checkpoint completes at once: it is listed in `storage_status_details` and reported by
    /checkpoint_status as the latest success."""
    _enterprise_only(tx, "checkpoint")
    p = require(tx, name)
    _outcome(tx, p, "checkpoint", "Checkpoint")
    sequence = p.fields["checkpoints"] = (p.fields.get("checkpoints") or 0) + 1
    p.fields["checkpoint_success"] = sequence
    stored = p.storage.fields.get("checkpoints")
    if stored is not None:
        number = len(stored) + 1
        stored.append({"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"feldera:{p.fields['uuid']}:checkpoint:{number}")),
                       "identifier": None, "fingerprint": number, "size": 0, "steps": 0, "processed_records": 0})
    return render.checkpoint(sequence, p.fields.get("deployment_id"))


def get_checkpoint_status(tx: Transaction, name: str, incarnation: str | None) -> dict[str, Any]:
    p = require(tx, name)
    _outcome(tx, p, "checkpoint", "CheckpointStatus")
    expected = p.fields.get("deployment_id")
    if incarnation is not None and incarnation != expected:
        details = {"requested": incarnation, "expected": expected}
        raise VendorError("IncarnationUuidMismatch", details=details, **details)
    return render.checkpoint_status(p.fields.get("checkpoint_success"))


def get_pipeline_stats(tx: Transaction, name: str) -> dict[str, Any]:
    p = require(tx, name)
    _outcome(tx, p, "stats", "Stats")
    return render.stats(p, tx.now)


def approve_pipeline(tx: Transaction, name: str, query: Mapping[str, Any]) -> str:
    _check_bootstrap_flags(query["silent_bootstrap"], query["concurrent_bootstrap"])
    p = require(tx, name)
    if isinstance(_outcome(tx, p, "approve", "Bootstrapping"), Move):
        tx.act(p.deployment, "approve")
    return render.MESSAGES["approve"]


def activate_pipeline(tx: Transaction, name: str, initial: str) -> str:
    _enterprise_only(tx, "activate")
    p = require(tx, name)
    if isinstance(_outcome(tx, p, "activate", initial), Move):
        p.fields["runtime_desired"] = "Paused" if initial == "Paused" else "Running"
        tx.act(p.deployment, "activate")
    return render.MESSAGES["activate"]
