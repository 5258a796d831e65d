"""Wrapper and uploaded-file lifecycles (reference sections 4-6). Durations are INFERRED defaults.

A wrapper's status is its state. The table holds every rule: where each timer leads and what the
step does (a process starts, crashes, times out), which timers apply to a wrapper at all (an API
wrapper's `executing` times out only for a scenario's crash fault, `completed` only while a hung
one-shot process runs into its timeout), and what stop, execute, regenerate, a deleted resource and
a health check do, given the caller's docs/code reading (profiles.py) as the action's params.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...engine import Defer, Ignore, Lifecycle, Move, Reject, Resource, Timed, When
from . import codes, feed
from .feed import ONCE
from .profiles import CODE, DOCS

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
CLAIMS_TO_RUN = (EXECUTING, GENERATING, RETRYING)  # what a code-reading health check may flip to error

LOG_LIMIT = 100  # execution_log keeps its newest lines
RETRY_LIMIT = 3  # reference 6: three auto-retries, then error

Modes = Mapping[str, str]  # behaviour -> DOCS or CODE (profiles.resolve): the params of every action


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


def execution_result(wrapper_id: str, at: float, success: bool, message: str, count: int | None) -> dict[str, Any]:
    return {"wrapper_id": wrapper_id, "success": success, "message": message, "data_points_sent": count,
            "execution_time": at}


# --- where timers lead -----------------------------------------------------------------------------

def _after_generating(resource: Resource) -> str:
    return ERROR if fault_kind(resource.fields) == "generation_failure" else EXECUTING


def _after_executing(resource: Resource) -> str:
    if resource.fields["source_type"] != "API":
        return COMPLETED  # the one-shot process started: the service marks the wrapper completed
    return RETRYING if resource.fields.get("retry_count", 0) < resource.fields["retry_limit"] else ERROR


# --- what a timed step does --------------------------------------------------------------------------

def _process_started(resource: Resource, at: float, params: Modes) -> None:
    fields = resource.fields
    fields["generated"] = True
    feed.start(fields, at, hang=hangs(fields))
    log(resource, at, codes.EXECUTE_STARTED.format(mode=fields["process"]["mode"]))


def _retried(resource: Resource, at: float, params: Modes) -> None:
    resource.fields["retry_count"] = resource.fields.get("retry_count", 0) + 1
    log(resource, at, f"Auto-retry {resource.fields['retry_count']} of {resource.fields['retry_limit']}")
    _process_started(resource, at, params)


def _one_shot_done(resource: Resource, at: float, params: Modes) -> None:
    fields = resource.fields
    fields["completed_at"] = at
    fields["execution_result"] = execution_result(resource.id, at, True, codes.EXECUTE_STARTED.format(mode=ONCE), None)
    log(resource, at, "Executed successfully")


def _crashed(resource: Resource, at: float, params: Modes) -> None:
    fields = resource.fields
    feed.kill(fields, at)
    fields["crashes"] = fields.get("crashes", 0) + 1
    fields["error_message"] = codes.CRASHED
    log(resource, at, f"{codes.CRASHED} (exit code 1)")


def _gave_up(resource: Resource, at: float, params: Modes) -> None:
    _crashed(resource, at, params)
    limit = resource.fields["retry_limit"]
    if limit:
        resource.fields["error_message"] = codes.RETRIES_EXHAUSTED.format(limit=limit)
    resource.fields["completed_at"] = at


def _timed_out(resource: Resource, at: float, params: Modes) -> None:
    process = resource.fields["process"] or {"started_at": at}
    feed.kill(resource.fields, at)
    message = codes.TIMED_OUT.format(seconds=round(at - process["started_at"]))
    resource.fields.update(error_message=message, completed_at=at)
    log(resource, at, message)


def _generation_failed(resource: Resource, at: float, params: Modes) -> None:
    message = (resource.fields.get("fault") or {}).get("message") or codes.GENERATION_FAILED
    resource.fields.update(error_message=message, completed_at=at)
    log(resource, at, message)


def _stopped_before_start(resource: Resource, at: float, params: Modes) -> None:
    resource.fields["generated"] = True
    log(resource, at, "Wrapper stopped manually before its process started")


def _generating(resource: Resource, at: float, params: Modes) -> None:
    log(resource, at, "Generating wrapper code")


def _runs_out(resource: Resource) -> bool:
    """CSV/XLSX: completed as soon as the process started. API: only a crash fault ends it."""
    fields = resource.fields
    return fields["source_type"] != "API" or (crash_pending(resource) and bool(fields.get("process")))


def _hung(resource: Resource) -> bool:
    return bool((resource.fields.get("process") or {}).get("hang"))


# --- what the actions do ---------------------------------------------------------------------------

def _live(resource: Resource, at: float, modes: Modes) -> bool:
    return feed.alive(resource.fields, at)


def _stop_refused(resource: Resource, at: float, modes: Modes) -> bool:
    return bool(resource.fields.get("stop_error"))  # a scenario's stop_error: 400 with its reason


def _live_stopped_per_docs(resource: Resource, at: float, modes: Modes) -> bool:
    return modes["stop_status"] == DOCS and _live(resource, at, modes)


def _remembered_per_docs(resource: Resource, at: float, modes: Modes) -> bool:
    return modes["stop_before_start"] == DOCS


def _stopped(resource: Resource, at: float, modes: Modes) -> None:
    """Only a live process is stopped; phase and water marks are kept (reference 4)."""
    feed.kill(resource.fields, at)
    log(resource, at, "Wrapper stopped manually")


def _stop_rule(state: str):
    live = (When(_live_stopped_per_docs, Move(STOPPED, effect=_stopped)), When(_live, Move(COMPLETED, effect=_stopped)))
    # Before the process starts, the docs reading remembers the stop; the code reading forgets it (a race).
    before_start = (When(_remembered_per_docs, Defer("stop")),) if state in NOT_STARTED else ()
    return (When(_stop_refused, Reject("stop_error")), *live, *before_start, Ignore())


def _cannot_start(resource: Resource, at: float, modes: Modes) -> bool:
    return not resource.fields["generated"] or feed.alive(resource.fields, at)


def _start_failed(resource: Resource, at: float, modes: Modes) -> None:
    """A live process keeps running (as in the service); the wrapper shows `error`."""
    resource.fields["execution_result"] = execution_result(resource.id, at, False, codes.EXECUTE_START_FAILED, None)
    log(resource, at, f"Error: {codes.EXECUTE_START_FAILED}")
    resource.pending.clear()


def _executed(resource: Resource, at: float, modes: Modes) -> None:
    """The process starts again (reference 5); water marks and counters carry on from the totals."""
    fields = resource.fields
    feed.start(fields, at, hang=hangs(fields))
    if modes["execute_message"] == CODE:
        message, count = codes.EXECUTE_STARTED.format(mode=fields["process"]["mode"]), None
    else:
        message, count = codes.EXECUTE_DOCS_OK, feed.derive(fields, at).data_points_count
    fields["execution_result"] = execution_result(resource.id, at, True, message, count)
    log(resource, at, "Executed successfully")


def _regenerated(resource: Resource, at: float, modes: Modes) -> None:
    """Everything generated or counted since creation is cleared; the create flow runs again."""
    fields = resource.fields
    feed.kill(fields, at)
    fields.update(
        generated=False, retry_count=0, crashes=0, error_message=None, completed_at=None,
        execution_result=None, log=[], totals=feed.empty_totals(), origin=None, process=None,
        retry_limit=RETRY_LIMIT if modes["retrying"] == CODE else 0,
    )
    resource.pending.clear()


def _resource_deleted(resource: Resource, at: float, modes: Modes) -> None:
    feed.kill(resource.fields, at)
    log(resource, at, "Wrapper stopped: its resource was deleted")
    resource.pending.clear()


def _dead_per_code(resource: Resource, at: float, modes: Modes) -> bool:
    return modes["health_side_effect"] == CODE and not feed.alive(resource.fields, at)


def _health_crashed(resource: Resource, at: float, modes: Modes) -> None:
    resource.fields.update(error_message=codes.HEALTH_CRASHED, completed_at=at)


def _on_enter(resource: Resource, state: str, at: float) -> None:
    resource.fields["updated_at"] = at


WRAPPER = Lifecycle(
    vendor="wrappers",
    kind="wrapper",
    states=STATES,
    initial=PENDING,
    timed={
        PENDING: Timed(GENERATING, 1.0, effects={GENERATING: _generating}),
        # docs profile: a stop while the code is generated is remembered; the process never starts.
        GENERATING: Timed(_after_generating, 3.0, redirects={"stop": STOPPED}, effects={
            EXECUTING: _process_started, ERROR: _generation_failed, STOPPED: _stopped_before_start}),
        CREATING_RESOURCE: Timed(EXECUTING, 1.0, redirects={"stop": STOPPED}, effects={
            EXECUTING: _process_started, STOPPED: _stopped_before_start}),
        EXECUTING: Timed(_after_executing, 0.0, when=_runs_out, effects={
            COMPLETED: _one_shot_done, RETRYING: _crashed, ERROR: _gave_up}),
        RETRYING: Timed(EXECUTING, 10.0, effects={EXECUTING: _retried}),
        # The one-shot timeout: armed only while a hung CSV/XLSX process runs.
        COMPLETED: Timed(ERROR, 3600.0, when=_hung, effects={ERROR: _timed_out}),
    },
    actions={
        "stop": {state: _stop_rule(state) for state in STATES},
        # Both sources agree: completed, even for a running API wrapper.
        "execute": {state: (When(_cannot_start, Move(ERROR, effect=_start_failed)), Move(COMPLETED, effect=_executed))
                    for state in STATES},
        "regenerate": {state: Move(PENDING, effect=_regenerated) for state in STATES},
        "resource_deleted": {state: Move(STOPPED, effect=_resource_deleted) for state in STATES},
        # The code reading: asking about a wrapper that claims to run but has no live process flips it to error.
        "health_check": {state: (When(_dead_per_code, Move(ERROR, effect=_health_crashed)), Ignore())
                         if state in CLAIMS_TO_RUN else Ignore() for state in STATES},
    },
    on_enter=_on_enter,
)

FILE = Lifecycle(vendor="wrappers", kind="file", states=("stored",), initial="stored")
