"""What stop, execute, regenerate, resource deletion and health checks do (reference 4-6).

Each takes a caught-up wrapper inside a transaction and the resolved docs/code modes; the route
handlers only parse, call one of these, and render.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...engine import Resource, Transaction
from . import codes, feed
from .errors import ERRORS
from .ids import VENDOR, is_object_id
from .lifecycle import COMPLETED, ERROR, EXECUTING, GENERATING, PENDING, RETRYING, STOPPED, hangs, log
from .profiles import CODE, DOCS
from .wrappers import KIND, RETRY_LIMIT, resources

Modes = Mapping[str, str]


def stop(tx: Transaction, wrapper: Resource, modes: Modes) -> None:
    """Idempotent: only a live process is stopped; phase and water marks are kept (reference 4)."""
    fields = wrapper.fields
    if fields.get("stop_error"):
        raise ERRORS.error(400, codes.STOP_ERROR.format(reason=fields["stop_error"]))
    if feed.alive(fields, tx.now):
        feed.kill(fields, tx.now)
        log(wrapper, tx.now, "Wrapper stopped manually")
        tx.move(wrapper, STOPPED if modes["stop_status"] == DOCS else COMPLETED, "action:stop")
    elif modes["stop_before_start"] == DOCS:
        tx.act(wrapper, "stop")  # remembered while pending/generating, a no-op anywhere else


def _result(wrapper: Resource, now: float, success: bool, message: str, count: int | None) -> dict[str, Any]:
    return {"wrapper_id": wrapper.id, "success": success, "message": message, "data_points_sent": count,
            "execution_time": now}


def execute(tx: Transaction, wrapper: Resource, modes: Modes) -> dict[str, Any]:
    """Start the process again (reference 5). Water marks and counters carry on from the totals."""
    fields, now = wrapper.fields, tx.now
    if not fields["generated"] or feed.alive(fields, now):
        result = _result(wrapper, now, False, codes.EXECUTE_START_FAILED, None)
        log(wrapper, now, f"Error: {codes.EXECUTE_START_FAILED}")
        wrapper.pending.clear()
        fields["execution_result"] = result
        tx.move(wrapper, ERROR, "action:execute")  # a live process keeps running (as in the service)
        return result
    feed.start(fields, now, hang=hangs(fields))
    mode = fields["process"]["mode"]
    if modes["execute_message"] == CODE:
        result = _result(wrapper, now, True, codes.EXECUTE_STARTED.format(mode=mode), None)
    else:
        count = feed.derive(fields, now).data_points_count
        result = _result(wrapper, now, True, codes.EXECUTE_DOCS_OK, count)
    log(wrapper, now, "Executed successfully")
    fields["execution_result"] = result
    tx.move(wrapper, COMPLETED, "action:execute")  # both sources agree, even for a running API wrapper
    return result


def unknown_execute(wrapper_id: str, now: float) -> dict[str, Any]:
    return {"wrapper_id": wrapper_id, "success": False, "message": codes.WRAPPER_NOT_FOUND,
            "data_points_sent": None, "execution_time": now}


def regenerate(tx: Transaction, wrapper: Resource, modes: Modes) -> None:
    """Back to `pending` with everything generated or counted since cleared, then the create flow."""
    fields = wrapper.fields
    feed.kill(fields, tx.now)
    fields.update(
        generated=False, retry_count=0, crashes=0, error_message=None, completed_at=None,
        execution_result=None, log=[], totals=feed.empty_totals(), origin=None, process=None,
        retry_limit=RETRY_LIMIT if modes["retrying"] == CODE else 0,
    )
    wrapper.pending.clear()
    tx.move(wrapper, PENDING, "action:regenerate")


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
        feed.kill(wrapper.fields, tx.now)
        log(wrapper, tx.now, "Wrapper stopped: its resource was deleted")
        wrapper.pending.clear()
        tx.move(wrapper, STOPPED, "resource deleted")
    return {"id": key, "deleted": True}


def check_health(tx: Transaction, wrapper: Resource, modes: Modes) -> bool:
    """Whether a process is live. In the code reading, asking flips a wrapper that claims to run to error."""
    fields, now = wrapper.fields, tx.now
    fields["last_health_check"] = now
    live = feed.alive(fields, now)
    if not live and modes["health_side_effect"] == CODE and wrapper.state in (EXECUTING, GENERATING, RETRYING):
        fields.update(error_message=codes.HEALTH_CRASHED, completed_at=now)
        tx.move(wrapper, ERROR, "health check")
    return live
