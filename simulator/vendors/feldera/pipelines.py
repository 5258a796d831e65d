"""A Feldera pipeline: three engine resources named after it (see lifecycle.py), read together.

`find` reads all three, caught up to now, and `settle` tells each what the others did, at the
virtual time it happened: the compiler finished while a start waited (the table provisions, or
stops with an error), and the first provisioning puts the storage in use.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...engine import Resource, Transaction
from ...kit.errors import VendorError
from .lifecycle import COMPILE_ERRORS, VENDOR, dims

KINDS = ("pipeline", "program", "storage")
VERSIONS = {"current": "0.337.0", "legacy": "0.127.0"}  # the reference's server releases


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


def find(tx: Transaction, name: str) -> Pipeline | None:
    deployment = tx.get(VENDOR, "pipeline", name)
    if deployment is None:
        return None
    pipeline = Pipeline(deployment, tx.get(VENDOR, "program", name), tx.get(VENDOR, "storage", name))
    settle(tx, pipeline)
    return pipeline


def require(tx: Transaction, name: str) -> Pipeline:
    pipeline = find(tx, name)
    if pipeline is None:
        raise VendorError("UnknownPipelineName", details={"pipeline_name": name}, pipeline_name=name)
    return pipeline


def list_all(tx: Transaction) -> list[Pipeline]:
    names = sorted(r.id for r in tx.store.of_kind(VENDOR, "pipeline"))
    return [p for p in (find(tx, name) for name in names) if p is not None]


def settle(tx: Transaction, p: Pipeline) -> None:
    """Rules across the three resources, which no one resource's table can see (each is read apart)."""
    deployment, program, storage = p.deployment, p.program, p.storage
    if deployment.state == "StartPending" and program.state in ("Success", *COMPILE_ERRORS):
        tx.act(deployment, "compiled", {"program": program.state}, at=max(program.entered_at, deployment.entered_at),
               cause=f"program:{program.state}")
    provisioned_at = p.fields.get("provisioned_at")
    if storage.state == "Cleared" and provisioned_at is not None and provisioned_at >= storage.entered_at:
        tx.act(storage, "provisioned", at=provisioned_at, cause="provisioned")


# --- the scenario's settings --------------------------------------------------------------------

def settings(tx: Transaction) -> dict[str, Any]:
    return tx.settings(VENDOR)


def generation(tx: Transaction) -> str:
    """current: servers >= 0.148 (resources/runtime split); legacy: 0.96-0.147 (reference 8)."""
    return settings(tx)["api_generation"]


def legacy(tx: Transaction) -> bool:
    return generation(tx) == "legacy"


def platform_version(tx: Transaction) -> str:
    return settings(tx).get("version") or VERSIONS[generation(tx)]


def config_value(config: Mapping[str, Any] | None, *keys: str, default: Any = None) -> Any:
    """A value deep in a runtime config (None, or `default`, where a level is missing)."""
    for key in keys:
        if not isinstance(config, Mapping):
            return default
        config = config.get(key, default)
    return config
