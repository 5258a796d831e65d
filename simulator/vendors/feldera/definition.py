"""A pipeline's definition: its name, metadata, program and configs, checked and stored as the
server does (server source: db/operations/pipeline.rs), and the three resources made from it."""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from ...engine import Resource, Transaction
from ...kit.errors import VendorError
from .lifecycle import VENDOR
from .pipelines import Pipeline, config_value, platform_version, settings
from .program import outcome_fields
from .schemas import NAME_PATTERN
from .validation import check_description, check_tags, program_config, runtime_config

MAX_NAME = 63
PROGRAM_FIELDS = ("program_code", "udf_rust", "udf_toml", "program_config")
METADATA_FIELDS = ("description", "tags")  # client metadata: editable anytime, bumps no version
# Edits refused while storage is in use (server: EditRestrictedToClearedStorage), compared on the
# stored forms, so a field left out and its default are the same value. From the server source
# (update_pipeline), in its order.
STORAGE_BOUND: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "`runtime_config.workers`": lambda c: config_value(c, "workers"),
    "`runtime_config.hosts`": lambda c: config_value(c, "hosts"),
    "`runtime_config.fault_tolerance`": lambda c: config_value(c, "fault_tolerance"),
    "`runtime_config.resources.storage_mb_max`": lambda c: config_value(c, "resources", "storage_mb_max"),
    "`runtime_config.resources.namespace`": lambda c: config_value(c, "resources", "namespace"),
    "`runtime_config.resources.storage_class`": lambda c: config_value(c, "resources", "storage_class"),
    "`runtime_config.clock_timezone_offset`": lambda c: config_value(c, "clock_timezone_offset"),
}
DEFAULT_FAIL_AFTER = 1.0  # seconds in Running before a `fail_at: Running` failure [sim choice]


def check_name(name: str) -> None:
    if name == "":
        raise VendorError("EmptyName")
    if len(name) > MAX_NAME:
        details = {"name": name, "length": len(name), "maximum": MAX_NAME}
        raise VendorError("TooLongName", details=details, pipeline_name=name, length=len(name), maximum=MAX_NAME)
    if not re.fullmatch(NAME_PATTERN, name):
        raise VendorError("NameDoesNotMatchPattern", details={"name": name}, pipeline_name=name)


def normalized(tx: Transaction, body: Mapping[str, Any], *, full: bool) -> dict[str, Any]:
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
                                                  community=settings(tx)["edition"] == "community")
    if "program_config" in values:
        values["program_config"] = program_config(values["program_config"])
    if "tags" in values:
        values["tags"] = list(values["tags"])
    return values


def check_metadata(values: Mapping[str, Any], current: Mapping[str, Any] | None = None) -> None:
    """Description and tags, only where they change (a value stored before a limit stays editable)."""
    current = current or {}
    if "description" in values and values["description"] != current.get("description"):
        check_description(values["description"])
    if "tags" in values and values["tags"] != current.get("tags"):
        check_tags(values["tags"])


def compile_program(tx: Transaction, name: str, values: Mapping[str, Any]) -> Resource:
    fields = outcome_fields(values["program_code"], values.get("udf_rust") or "", settings(tx)["compile_errors"])
    return tx.create(VENDOR, "program", name, fields=fields)


def new_uuid(tx: Transaction) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"feldera:pipeline:{tx.next_id(VENDOR, 'pipeline')}"))


def failure(rule: Mapping[str, Any] | None) -> tuple[dict[str, Any], dict[str, float]]:
    """(fields, per-resource timing) that make a pipeline fail as `rule` says (at, times, after)."""
    if not rule or not rule.get("at"):
        return {}, {}
    timing = {"Running": rule.get("after") or DEFAULT_FAIL_AFTER} if rule["at"] == "Running" else {}
    return {"fail_at": rule["at"], "fail_times": rule.get("times")}, timing


def create(tx: Transaction, name: str, values: dict[str, Any]) -> Pipeline:
    rule = next((r for r in settings(tx)["failures"] if r.get("pipeline") in (None, name)), None)
    failing, timing = failure(rule)
    fields = {"uuid": new_uuid(tx), **values, "version": 1, "refresh_version": 1, "program_version": 1,
              "platform_version": platform_version(tx), "deployment_error": None, "deployment_initial": None,
              "runtime_desired": None, "bootstrap": None, "checkpoints": 0, **failing}
    deployment = tx.create(VENDOR, "pipeline", name, fields=fields, timing=timing)
    return Pipeline(deployment, compile_program(tx, name, values), tx.create(VENDOR, "storage", name))


def edit(tx: Transaction, p: Pipeline, new_name: str | None, values: dict[str, Any]) -> None:
    """The server's update_pipeline: metadata-only edits touch no version; core edits need a fully
    stopped pipeline (and cleared storage for the storage-bound ones) and bump `version` and
    `refresh_version`; program edits also bump `program_version` and recompile."""
    current = p.fields
    renaming = new_name is not None and new_name != p.name
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    check_metadata(changed, current)
    core = renaming or any(k not in METADATA_FIELDS for k in changed)
    if core and not p.fully_stopped:
        raise VendorError("UpdateRestrictedToStopped")
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
            raise VendorError("EditRestrictedToClearedStorage", details={"not_allowed": not_allowed},
                              fields=", ".join(not_allowed))
    if renaming:
        if tx.get(VENDOR, "pipeline", new_name) is not None:
            raise VendorError("DuplicateName")
        _rename(tx, p, new_name)
    current.update(changed)
    current["version"] += 1
    current["refresh_version"] += 1
    if any(k in PROGRAM_FIELDS for k in changed):
        current["program_version"] += 1
        current["platform_version"] = platform_version(tx)
        current["refresh_version"] += p.program.fields.get("refreshes", 0)  # the old program's, kept
        p.program = compile_program(tx, p.name, current)


def _rename(tx: Transaction, p: Pipeline, new_name: str) -> None:
    for resource in (p.deployment, p.program, p.storage):
        tx.delete(VENDOR, resource.kind, resource.id)
        resource.id = new_name
        tx.store.put(resource)
