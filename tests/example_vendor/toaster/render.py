"""How a toast looks on the wire (the toaster sends no notifications)."""
from __future__ import annotations

from typing import Any

from simulator.engine import Resource, Transaction
from simulator.engine.timefmt import rfc3339


def toast(resource: Resource) -> dict[str, Any]:
    done = resource.state == "done"
    return {
        "id": resource.id,
        "bread": resource.fields["bread"],
        "level": resource.fields["level"],
        "state": resource.state,
        "ejected": resource.fields["ejected"],
        "createdAt": rfc3339(resource.created_at),
        "doneAt": rfc3339(resource.entered_at) if done else None,
    }


def dashboard_view(tx: Transaction, resource: Resource) -> dict[str, Any]:
    return toast(resource)
