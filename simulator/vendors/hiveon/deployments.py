"""Hiveon deployments: creation, seeding, lookup, and how they look on the wire.

Resource fields hold what the vendor shows, the machine price and image, and the rest of the
container config (`container`: registry credentials, start script, environment), which the vendor
never shows and the simulator masks in its journal, views and exports. API keys and secret-named
metadata (CLORE_API_KEY) are never kept.
"""
from __future__ import annotations

import re
import uuid
from typing import Any

from ...engine import Resource, ResourceSpec, Transaction
from . import machines
from .codes import DEFAULT_FAIL_REASONS
from .lifecycle import FAILED, PENDING

VENDOR = "hiveon"
KIND = "deployment"
SEEDED_MACHINE_ID = "5f0b7f6e-1c3a-4a53-9d2e-7c1e2a4b8f10"  # machine of a scenario entry naming none
# INFERRED: metadata keys treated as secrets, dropped before a deployment is stored or shown.
CONTAINER_SETTINGS = ("docker_auth", "ports", "startup_script", "environment_variables")
SECRET_KEY = re.compile(r"API_?KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL", re.IGNORECASE)


class Refused(Exception):
    """A start the vendor refuses; `error` names a row of codes.ERROR_CODES."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def _external_index(tx: Transaction) -> dict[str, str]:
    """external_deployment_id -> deployment_id, beside the store so a lookup is O(1)."""
    return tx.data(VENDOR).setdefault("external", {})


def public_metadata(metadata: dict[str, str] | None) -> dict[str, str]:
    return {k: v for k, v in (metadata or {}).items() if not SECRET_KEY.search(k)}


def _failure_rule(tx: Transaction, machine_id: str, image: str) -> dict[str, Any] | None:
    for rule in tx.settings(VENDOR)["failures"]:
        if rule.get("image", image) == image and rule.get("machine_id", machine_id) == machine_id:
            return rule
    return None


def start(tx: Transaction, body: dict[str, Any]) -> Resource:
    """A new deployment in PENDING. Order (INFERRED): catalogue lookup (404), then the
    duplicate external id (400), as the stop call checks lookup before state rules."""
    config = body["container_config"]
    refused = machines.refusal(tx, body["machine_id"], body["machine_price_id"])
    if refused is not None:
        raise Refused(refused)
    external_id = body.get("external_deployment_id", "")
    if external_id and external_id in _external_index(tx):  # "" means none was given
        raise Refused("duplicate_external_id")
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
    if rule is not None:
        route[rule["from_state"]] = FAILED
        if "after" in rule:
            timing[rule["from_state"]] = rule["after"]
        if "fail_reason" in rule:
            fields["fail_reason"] = dict(rule["fail_reason"])
    resource = tx.create(VENDOR, KIND, str(uuid.uuid4()), fields=fields, route=route, timing=timing)
    if fields["external_deployment_id"]:
        _external_index(tx)[fields["external_deployment_id"]] = resource.id
    return resource


def seed(tx: Transaction, spec: ResourceSpec) -> Resource:
    """A scenario entry; fields may name machine_id, machine_price_id, external_deployment_id,
    image, metadata, fail_reason and container."""
    fields = dict(spec.fields)
    fields.setdefault("machine_id", SEEDED_MACHINE_ID)
    fields.setdefault("external_deployment_id", "")
    fields["metadata"] = public_metadata(fields.get("metadata"))
    index = _external_index(tx)
    old = tx.store.get(VENDOR, KIND, spec.id)
    if old is not None and index.get(old.fields["external_deployment_id"]) == old.id:
        del index[old.fields["external_deployment_id"]]
    resource = tx.create(
        VENDOR, KIND, spec.id, fields=fields, state=spec.state, remaining=spec.remaining,
        route=spec.route, timing=spec.timing, cause="seeded",
    )
    if fields["external_deployment_id"]:
        index[fields["external_deployment_id"]] = resource.id
    return resource


def by_id(tx: Transaction, deployment_id: str) -> Resource | None:
    return tx.get(VENDOR, KIND, deployment_id)


def by_id_or_external_id(tx: Transaction, some_id: str) -> Resource | None:
    """Reference section 2: a deployment_id first, then an external_deployment_id."""
    resource = by_id(tx, some_id)
    if resource is None and some_id in _external_index(tx):
        resource = by_id(tx, _external_index(tx)[some_id])
    return resource


# --- rendering -----------------------------------------------------------------------------------

def fail_reason(resource: Resource) -> dict[str, Any]:
    if "fail_reason" in resource.fields:
        return dict(resource.fields["fail_reason"])
    # None given: the default for the state it failed from (a deployment seeded FAILED: PENDING's).
    failed_from = resource.previous_state()
    return DEFAULT_FAIL_REASONS.get(failed_from, DEFAULT_FAIL_REASONS[PENDING]).as_json()


def deployment(resource: Resource) -> dict[str, Any]:
    body: dict[str, Any] = {
        "deployment_id": resource.id,
        "machine_id": resource.fields["machine_id"],
        "external_deployment_id": resource.fields["external_deployment_id"],
        "status": resource.state,
    }
    if resource.state == FAILED:  # INFERRED: protobuf JSON omits an unset message
        body["fail_reason"] = fail_reason(resource)
    body["metadata"] = dict(resource.fields["metadata"])
    return body


def reference(resource: Resource) -> dict[str, str]:
    return {"deployment_id": resource.id}
