"""Feldera pipelines from a scenario entry (export uses the engine's default entry).

A `feldera.pipeline` entry seeds all three resources; a `program` or `storage` entry replaces
that part of its pipeline (seeding a default pipeline first where none exists)."""
from __future__ import annotations

import uuid

from ...engine import Resource, ResourceSpec, Transaction
from .definition import failure, new_uuid, normalized
from .lifecycle import COMPILE_ERRORS, NOT_PROVISIONED, VENDOR
from .pipelines import KINDS, platform_version, settings
from .program import outcome_fields

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
    values = normalized(tx, {"program_code": given.pop("program_code", SEED_CODE), **given}, full=True)
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
    for resource_kind in KINDS:
        tx.delete(VENDOR, resource_kind, spec.id)
    fields = {"uuid": new_uuid(tx), **values, "version": 1, "refresh_version": 1, "program_version": 1,
              "platform_version": platform_version(tx), "checkpoints": 0, **extra}
    failing, timing = failure({"at": given.get("fail_at"), "times": given.get("fail_times"),
                               "after": given.get("fail_after")})
    fields.update(failing)
    deployment = tx.create(VENDOR, "pipeline", spec.id, fields=fields, state=state, remaining=spec.remaining,
                           route=spec.route, timing={**timing, **(spec.timing or {})}, cause="seeded")
    program_fields = outcome_fields(values["program_code"], values["udf_rust"], settings(tx)["compile_errors"])
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
