"""How Hiveon deployments look on the wire (reference section 2) and on the dashboard."""
from __future__ import annotations

from typing import Any

from ...engine import Resource, Transaction
from .codes import DEFAULT_FAIL_REASONS, ERROR_CODES
from .lifecycle import FAILED, PENDING


def fail_reason(resource: Resource) -> dict[str, Any]:
    if "fail_reason" in resource.fields:
        return dict(resource.fields["fail_reason"])
    # None given: the default for the state it failed from (a deployment seeded FAILED: PENDING's).
    failed_from = resource.previous_state()
    row = ERROR_CODES[DEFAULT_FAIL_REASONS.get(failed_from, DEFAULT_FAIL_REASONS[PENDING])]
    return {"code": row.code, "message": row.message}


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


def dashboard_view(tx: Transaction, resource: Resource) -> dict[str, Any]:
    return deployment(resource)
