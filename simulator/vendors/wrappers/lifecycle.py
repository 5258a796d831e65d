"""Wrapper and uploaded-file lifecycles (reference section 6). Durations are INFERRED defaults.

A wrapper's status is its state. What happens on a timed step (a process starts, crashes, times
out) is in TIMER_EFFECTS; `_arm` decides whether a state's timer applies to this wrapper (an API
wrapper's `executing` has a timer only for a scenario's crash fault, `completed` only while a
hung one-shot process runs into its timeout).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...engine import Defer, Ignore, Lifecycle, Resource, Timed
from . import codes, feed
from .feed import ONCE

PENDING = "pending"
GENERATING = "generating"
CREATING_RESOURCE = "creating_resource"  # defined by the service, never reached by its flow
EXECUTING = "executing"
RETRYING = "retrying"  # code profile only
STOPPED = "stopped"
COMPLETED = "completed"
ERROR = "error"
STATES = (PENDING, GENERATING, CREATING_RESOURCE, EXECUTING, RETRYING, STOPPED, COMPLETED, ERROR)
NOT_STARTED = (PENDING, GENERATING, CREATING_RESOURCE)  # no generated code yet

LOG_LIMIT = 100  # execution_log keeps its newest lines


def log(resource: Resource, at: float, text: str) -> None:
    lines = resource.fields.setdefault("log", [])
    lines.append([at, text])
    del lines[:-LOG_LIMIT]


def fault_kind(fields: dict[str, Any]) -> str | None:
    fault = fields.get("fault")
    return fault["kind"] if fault else None


def hangs(fields: dict[str, Any]) -> bool:
    """A CSV/XLSX process with a timeout fault never ends by itself."""
    return fault_kind(fields) == "timeout" and fields["source_type"] != "API"


def crash_pending(resource: Resource) -> bool:
    fault = resource.fields.get("fault")
    if not fault or fault["kind"] != "crash" or resource.fields["source_type"] != "API":
        return False
    return fault.get("times") is None or resource.fields.get("crashes", 0) < fault["times"]


# --- where timers lead -----------------------------------------------------------------------------

def _after_generating(resource: Resource) -> str:
    return ERROR if fault_kind(resource.fields) == "generation_failure" else EXECUTING


def _after_executing(resource: Resource) -> str:
    if resource.fields["source_type"] != "API":
        return COMPLETED  # the one-shot process started: the service marks the wrapper completed
    return RETRYING if resource.fields.get("retry_count", 0) < resource.fields["retry_limit"] else ERROR


# --- what a timed step does --------------------------------------------------------------------------

def _process_started(resource: Resource, at: float) -> None:
    fields = resource.fields
    fields["generated"] = True
    feed.start(fields, at, hang=hangs(fields))
    log(resource, at, codes.EXECUTE_STARTED.format(mode=fields["process"]["mode"]))


def _retried(resource: Resource, at: float) -> None:
    resource.fields["retry_count"] = resource.fields.get("retry_count", 0) + 1
    log(resource, at, f"Auto-retry {resource.fields['retry_count']} of {resource.fields['retry_limit']}")
    _process_started(resource, at)


def _one_shot_done(resource: Resource, at: float) -> None:
    fields = resource.fields
    fields["completed_at"] = at
    fields["execution_result"] = {
        "wrapper_id": resource.id, "success": True,
        "message": codes.EXECUTE_STARTED.format(mode=ONCE), "data_points_sent": None, "execution_time": at,
    }
    log(resource, at, "Executed successfully")


def _crashed(resource: Resource, at: float) -> None:
    fields = resource.fields
    feed.kill(fields, at)
    fields["crashes"] = fields.get("crashes", 0) + 1
    fields["error_message"] = codes.CRASHED
    log(resource, at, f"{codes.CRASHED} (exit code 1)")


def _gave_up(resource: Resource, at: float) -> None:
    _crashed(resource, at)
    limit = resource.fields["retry_limit"]
    if limit:
        resource.fields["error_message"] = codes.RETRIES_EXHAUSTED.format(limit=limit)
    resource.fields["completed_at"] = at


def _timed_out(resource: Resource, at: float) -> None:
    process = resource.fields["process"] or {"started_at": at}
    feed.kill(resource.fields, at)
    message = codes.TIMED_OUT.format(seconds=round(at - process["started_at"]))
    resource.fields.update(error_message=message, completed_at=at)
    log(resource, at, message)


def _generation_failed(resource: Resource, at: float) -> None:
    message = (resource.fields.get("fault") or {}).get("message") or codes.GENERATION_FAILED
    resource.fields.update(error_message=message, completed_at=at)
    log(resource, at, message)


def _stopped_before_start(resource: Resource, at: float) -> None:
    resource.fields["generated"] = True
    log(resource, at, "Wrapper stopped manually before its process started")


TIMER_EFFECTS: dict[tuple[str, str], Callable[[Resource, float], None]] = {
    (PENDING, GENERATING): lambda r, at: log(r, at, "Generating wrapper code"),
    (GENERATING, EXECUTING): _process_started,
    (CREATING_RESOURCE, EXECUTING): _process_started,
    (RETRYING, EXECUTING): _retried,
    (EXECUTING, COMPLETED): _one_shot_done,
    (EXECUTING, RETRYING): _crashed,
    (EXECUTING, ERROR): _gave_up,
    (COMPLETED, ERROR): _timed_out,
    (GENERATING, ERROR): _generation_failed,
    (GENERATING, STOPPED): _stopped_before_start,
    (CREATING_RESOURCE, STOPPED): _stopped_before_start,
}


def _arm(resource: Resource) -> None:
    """Drop the state's timer where it does not apply to this wrapper."""
    fields: dict[str, Any] = resource.fields
    if resource.state == EXECUTING and fields["source_type"] == "API":
        if not (crash_pending(resource) and fields.get("process")):
            resource.due_at = None
    elif resource.state == COMPLETED and not (fields.get("process") or {}).get("hang"):
        resource.due_at = None


def _on_enter(resource: Resource, state: str, at: float) -> None:
    resource.fields["updated_at"] = at
    if resource.history and resource.history[-1].cause == "timer":
        effect = TIMER_EFFECTS.get((resource.previous_state(), state))
        if effect is not None:
            effect(resource, at)
    _arm(resource)


WRAPPER = Lifecycle(
    vendor="wrappers",
    kind="wrapper",
    states=STATES,
    initial=PENDING,
    timed={
        PENDING: Timed(GENERATING, 1.0),
        # docs profile: a stop while the code is generated is remembered; the process never starts.
        GENERATING: Timed(_after_generating, 3.0, redirects={"stop": STOPPED}),
        CREATING_RESOURCE: Timed(EXECUTING, 1.0, redirects={"stop": STOPPED}),
        # CSV/XLSX: completed as soon as the process started. API: armed only for a crash fault.
        EXECUTING: Timed(_after_executing, 0.0),
        RETRYING: Timed(EXECUTING, 10.0),
        # The one-shot timeout: armed only while a hung CSV/XLSX process runs.
        COMPLETED: Timed(ERROR, 3600.0),
    },
    actions={
        # Only asked in the docs reading of a stop before the process starts (stop_before_start).
        "stop": {state: Defer("stop") if state in NOT_STARTED else Ignore() for state in STATES},
    },
    on_enter=_on_enter,
)

FILE = Lifecycle(vendor="wrappers", kind="file", states=("stored",), initial="stored")
