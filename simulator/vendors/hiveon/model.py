"""Hiveon's operations on the engine: one function per operationId, no Flask. Refusals are
VendorErrors naming a row of codes.ERROR_CODES.

A deployment's fields hold what the vendor shows, the machine price and image, and the rest of the
container config (`container`: registry credentials, start script, environment), which the vendor
never shows and the simulator masks in its journal, views and exports. API keys and secret-named
metadata (CLORE_API_KEY) are never kept.

The machine and price catalogue are `machine` resources a scenario seeds (id = machine_id). With
none seeded, any machine and price id is accepted, so a new user can start a deployment at once;
once one is seeded, a start must name a listed machine and one of its prices, else 404 (INFERRED,
reference section 2.1).
"""
from __future__ import annotations

import re
import uuid
from typing import Any

from ...engine import Resource, Transaction
from ...kit.errors import VendorError
from . import render
from .lifecycle import FAILED

VENDOR = "hiveon"
KIND = "deployment"
MACHINE = "machine"
# The deployment's container settings besides the image: kept, never shown, masked by the simulator.
CONTAINER_SETTINGS = ("docker_auth", "ports", "startup_script", "environment_variables")
# INFERRED: metadata keys treated as secrets, dropped before a deployment is stored or shown.
SECRET_KEY = re.compile(r"API_?KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL", re.IGNORECASE)


def external_index(tx: Transaction) -> dict[str, str]:
    """external_deployment_id -> deployment_id, beside the store so a lookup is O(1)."""
    return tx.index(VENDOR, "external")


def public_metadata(metadata: dict[str, str] | None) -> dict[str, str]:
    return {k: v for k, v in (metadata or {}).items() if not SECRET_KEY.search(k)}


def _check_catalogue(tx: Transaction, machine_id: str, price_id: str) -> None:
    if not tx.store.count(VENDOR, MACHINE):  # machines come only from scenarios
        return
    machine = tx.get(VENDOR, MACHINE, machine_id)
    if machine is None:
        raise VendorError("machine_not_found")
    if price_id not in machine.fields["prices"]:
        raise VendorError("price_not_found")


def _failure_rule(tx: Transaction, machine_id: str, image: str) -> dict[str, Any] | None:
    for rule in tx.settings(VENDOR)["failures"]:
        if rule.get("image", image) == image and rule.get("machine_id", machine_id) == machine_id:
            return rule
    return None


def start_deployment(tx: Transaction, body: dict[str, Any]) -> dict[str, str]:
    """A new deployment in PENDING. Order (INFERRED): catalogue lookup (404), then the
    duplicate external id (400), as the stop call checks lookup before state rules."""
    config = body["container_config"]
    _check_catalogue(tx, body["machine_id"], body["machine_price_id"])
    external_id = body.get("external_deployment_id", "")
    if external_id and external_id in external_index(tx):  # "" means none was given
        raise VendorError("duplicate_external_id")
    fields = {
        "machine_id": body["machine_id"],
        "machine_price_id": body["machine_price_id"],
        "external_deployment_id": external_id,
        "image": config["image"],
        "metadata": public_metadata(body.get("metadata")),
        "container": {k: v for k, v in config.items() if k in CONTAINER_SETTINGS},
    }
    route, timing = {}, {}
    rule = _failure_rule(tx, fields["machine_id"], fields["image"])
    if rule is not None:  # the injected failure is the resource's route (lifecycle.DEPLOYMENT)
        route[rule["from_state"]] = FAILED
        if "after" in rule:
            timing[rule["from_state"]] = rule["after"]
        if "fail_reason" in rule:
            fields["fail_reason"] = dict(rule["fail_reason"])
    resource = tx.create(VENDOR, KIND, str(uuid.uuid4()), fields=fields, route=route, timing=timing)
    if external_id:
        external_index(tx)[external_id] = resource.id
    return render.reference(resource)


def _found(resource: Resource | None) -> Resource:
    if resource is None:
        raise VendorError("deployment_not_found")
    return resource


def get_deployment(tx: Transaction, some_id: str) -> dict[str, Any]:
    """Reference section 2: a deployment_id first, then an external_deployment_id."""
    resource = tx.get(VENDOR, KIND, some_id)
    if resource is None and some_id in external_index(tx):
        resource = tx.get(VENDOR, KIND, external_index(tx)[some_id])
    return render.deployment(_found(resource))


def stop_deployment(tx: Transaction, deployment_id: str) -> dict[str, str]:
    """The table decides (lifecycle.DEPLOYMENT); a refusal names its row of ERROR_CODES."""
    resource = _found(tx.get(VENDOR, KIND, deployment_id))  # INFERRED: never by external id
    tx.act(resource, "stop")
    return render.reference(resource)
