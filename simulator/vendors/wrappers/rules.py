"""What stop, execute, regenerate, resource deletion and health checks do (reference 4-6).

Each takes a caught-up wrapper inside a transaction and the resolved docs/code modes, and applies
the action through the wrapper's lifecycle table (lifecycle.py), which holds the state rules; the
route handlers only parse, call one of these, and render.
"""
from __future__ import annotations

from typing import Any

from ...engine import LifecycleError, Resource, Transaction
from . import codes, feed
from .errors import ERRORS
from .ids import VENDOR, is_object_id
from .lifecycle import Modes, execution_result
from .wrappers import KIND, resources


def stop(tx: Transaction, wrapper: Resource, modes: Modes) -> None:
    """Idempotent: only a live process is stopped (a scenario's `stop_error` refuses every stop)."""
    try:
        tx.act(wrapper, "stop", modes)
    except LifecycleError:
        raise ERRORS.error(400, codes.STOP_ERROR.format(reason=wrapper.fields["stop_error"])) from None


def execute(tx: Transaction, wrapper: Resource, modes: Modes) -> dict[str, Any]:
    """Start the process again (reference 5); the result is the wrapper's new `execution_result`."""
    tx.act(wrapper, "execute", modes)
    return wrapper.fields["execution_result"]


def unknown_execute(wrapper_id: str, now: float) -> dict[str, Any]:
    return execution_result(wrapper_id, now, False, codes.WRAPPER_NOT_FOUND, None)


def regenerate(tx: Transaction, wrapper: Resource, modes: Modes) -> None:
    """Back to `pending` with everything generated or counted since cleared, then the create flow."""
    tx.act(wrapper, "regenerate", modes)


def delete_resource(tx: Transaction, resource_id: str) -> dict[str, Any]:
    """DELETE /resources/{id}: the linked wrapper's process is killed and it shows `stopped`."""
    if not is_object_id(resource_id):
        raise ERRORS.error(400, codes.INVALID_RESOURCE_ID)
    linked = resources(tx)
    key = resource_id.lower()
    if key not in linked:
        raise ERRORS.error(404, codes.RESOURCE_NOT_FOUND)
    wrapper = tx.get(VENDOR, KIND, linked.pop(key) or "")
    if wrapper is not None:
        tx.act(wrapper, "resource_deleted", cause="resource deleted")
    return {"id": key, "deleted": True}


def check_health(tx: Transaction, wrapper: Resource, modes: Modes) -> bool:
    """Whether a process is live. In the code reading, asking flips a wrapper that claims to run to error."""
    wrapper.fields["last_health_check"] = tx.now
    live = feed.alive(wrapper.fields, tx.now)
    tx.act(wrapper, "health_check", modes, cause="health check")
    return live
