"""Feldera's lifecycles as data (reference feldera.md sections 5 and 6).

A pipeline is three engine resources sharing the pipeline's name:
- `program`: the compilation (Pending -> CompilingSql -> SqlCompiled -> CompilingRust -> Success,
  or SqlError / RustError / SystemError when the program's `outcome` field says so);
- `pipeline`: the deployment, one engine state per phase; `VIEW` says how each phase looks as the
  four status dimensions of the API (resources status/desired, runtime status/desired);
- `storage`: Cleared -> InUse (first provisioning) -> Clearing -> Cleared.
The deployment table holds the checks of /start and what a start waiting for the compiler does
when it finishes; `pipelines.py` only says when that happens (the program's and storage's states
are facts about the other two resources, handed to the table as the action's params). Every
duration is a default a scenario overrides with `timing: {feldera.<kind>: ...}` ([sim choice]
reference 6.1: about a second per step).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from ...engine import Ignore, Lifecycle, Move, Reject, Resource, Timed, When
from .codes import error_body

VENDOR = "feldera"

# --- program ------------------------------------------------------------------------------------

PROGRAM_STATES = ("Pending", "CompilingSql", "SqlCompiled", "CompilingRust", "Success",
                  "SqlError", "RustError", "SystemError")
COMPILING = ("Pending", "CompilingSql", "SqlCompiled", "CompilingRust")
COMPILE_ERRORS = ("SqlError", "RustError", "SystemError")
# A failing outcome ends the compilation step that produces it.
FAILS_AFTER = {"SqlError": "CompilingSql", "RustError": "CompilingRust", "SystemError": "CompilingRust"}


def _compiled(step: str, normal: str):
    def choose(resource: Resource) -> str:
        outcome = resource.fields.get("outcome")
        return outcome if FAILS_AFTER.get(outcome) == step else normal
    return choose


# Program statuses whose arrival bumps `refresh_version` (server source: set_program_status).
REFRESHING_PROGRAM_STATES = ("SqlCompiled", "Success", *COMPILE_ERRORS)


def _program_entered(resource: Resource, state: str, at: float) -> None:
    if len(resource.history) > 1 and state in REFRESHING_PROGRAM_STATES:
        resource.fields["refreshes"] = resource.fields.get("refreshes", 0) + 1


PROGRAM = Lifecycle(
    vendor=VENDOR,
    kind="program",
    states=PROGRAM_STATES,
    initial="Pending",
    on_enter=_program_entered,
    timed={
        "Pending": Timed("CompilingSql", 0.5),
        "CompilingSql": Timed(_compiled("CompilingSql", "SqlCompiled"), 1.0),
        "SqlCompiled": Timed("CompilingRust", 0.5),
        "CompilingRust": Timed(_compiled("CompilingRust", "Success"), 2.0),
    },
)

# --- storage ------------------------------------------------------------------------------------

def _storage_entered(resource: Resource, state: str, at: float) -> None:
    """`storage_status_details`: the checkpoints, listed while storage is in use (server source:
    set_storage_status drops them when clearing)."""
    if state == "InUse":
        if resource.fields.get("checkpoints") is None:
            resource.fields["checkpoints"] = []
    else:
        resource.fields["checkpoints"] = None


STORAGE = Lifecycle(
    vendor=VENDOR,
    kind="storage",
    states=("Cleared", "InUse", "Clearing"),
    initial="Cleared",
    on_enter=_storage_entered,
    timed={"Clearing": Timed("Cleared", 1.0)},
    actions={
        "clear": {"Cleared": Ignore(), "InUse": Move("Clearing"), "Clearing": Ignore()},
        "provisioned": {"Cleared": Move("InUse"), "InUse": Ignore(), "Clearing": Ignore()},  # its first use
    },
)

# --- deployment ---------------------------------------------------------------------------------

DESIRED = "<desired>"  # the pipeline's runtime desired status (fields.runtime_desired)
BEFORE = "<before>"  # the runtime status the pipeline had when a graceful stop began


@dataclass(frozen=True)
class View:
    """How a deployment phase shows in the API (reference section 5)."""

    resources: str
    resources_desired: str
    runtime: str | None = None
    runtime_desired: str | None = None
    legacy: str = ""  # deployment_status in the legacy API generation (0.96-0.147, reference 8)


_P = ("Provisioned", "Provisioned")
VIEW: dict[str, View] = {
    "Stopped": View("Stopped", "Stopped", legacy="Stopped"),
    # /start accepted while the program compiles: still Stopped, desired Provisioned (6.1).
    "StartPending": View("Stopped", "Provisioned", legacy="Stopped"),
    "Provisioning": View("Provisioning", "Provisioned", legacy="Provisioning"),
    "Initializing": View(*_P, "Initializing", DESIRED, legacy="Initializing"),
    "AwaitingApproval": View(*_P, "AwaitingApproval", DESIRED, legacy="Initializing"),
    "Bootstrapping": View(*_P, "Bootstrapping", DESIRED, legacy="Initializing"),
    "Unavailable": View(*_P, "Unavailable", DESIRED, legacy="Unavailable"),
    "Standby": View(*_P, "Standby", "Standby", legacy="Paused"),
    "Activating": View(*_P, "Standby", DESIRED, legacy="Paused"),
    "Running": View(*_P, "Running", "Running", legacy="Running"),
    "Paused": View(*_P, "Paused", "Paused", legacy="Paused"),
    "Pausing": View(*_P, "Running", "Paused", legacy="Running"),
    "Resuming": View(*_P, "Paused", "Running", legacy="Paused"),
    # The graceful stop (enterprise /stop?force=false): checkpoint, then stop. Today's API shows the
    # phase as the old runtime status with desired Suspended; the legacy one as `Suspending`.
    "Suspending": View(*_P, BEFORE, "Suspended", legacy="Suspending"),
    "Suspended": View(*_P, "Suspended", "Suspended", legacy="Suspending"),
    "Stopping": View("Stopping", "Stopped", legacy="Stopping"),
}
DEPLOYMENT_STATES = tuple(VIEW)
PROVISIONED = tuple(s for s, v in VIEW.items() if v.resources == "Provisioned")
NOT_PROVISIONED = tuple(s for s in DEPLOYMENT_STATES if s not in PROVISIONED)

# Where a timer leads when the scenario makes that step fail (`fields.fail_at`, at most
# `fields.fail_times` times when set, else every time), and the error the
# pipeline then carries (error codes from the runner; texts INFERRED).
FAILURES: dict[str, tuple[str, str]] = {
    "Provisioning": ("PipelineProvisioningTimeout",
                     "The pipeline timed out during provisioning: its compute resources did not become ready in time."),
    "Initializing": ("PipelineInitializingTimeout",
                     "The pipeline failed to initialize: its runtime did not become reachable in time."),
    "Bootstrapping": ("PipelineStartupError", "The pipeline failed while bootstrapping its modified views."),
    "Suspending": ("SuspendError", "The pipeline failed to checkpoint while suspending, so it was stopped."),
    # A fatal runtime error: the runner sees the pipeline's own error and stops it (server source:
    # runner/pipeline_automata.rs parse_status_result); the code is DBSP's worker panic, text INFERRED.
    "Running": ("WorkerPanic", "The pipeline failed while running: a worker thread panicked."),
}
# Running has a timer only so that a failure can end it: armed by the pipeline's `timing.Running`
# (set from `fail_after`) or a scenario's timing, and by nothing else.
ONLY_WHEN_GIVEN = None
RUNTIME_TARGETS = {"Running": "Running", "Paused": "Paused", "Standby": "Standby"}


def _runtime_target(resource: Resource) -> str:
    return RUNTIME_TARGETS.get(resource.fields.get("runtime_desired") or "Running", "Running")


def _activated(resource: Resource) -> str:
    return "Paused" if resource.fields.get("runtime_desired") == "Paused" else "Running"


def failure_armed(fields: dict, step: str) -> bool:
    return fields.get("fail_at") == step and fields.get("fail_times") != 0


def _or_fail(step: str, normal):
    def choose(resource: Resource) -> str:
        if failure_armed(resource.fields, step):
            return "Stopping"
        return normal(resource) if callable(normal) else normal
    return choose


def dims(resource: Resource, state: str | None = None) -> dict[str, str | None]:
    """The four status dimensions of a deployment phase, with its placeholders resolved."""
    view = VIEW[state or resource.state]
    runtime, runtime_desired = view.runtime, view.runtime_desired
    if runtime == BEFORE:
        runtime = resource.fields.get("suspended_from") or "Running"
    if runtime_desired == DESIRED:
        runtime_desired = resource.fields.get("runtime_desired") or "Running"
    return {"resources": view.resources, "resources_desired": view.resources_desired,
            "runtime": runtime, "runtime_desired": runtime_desired, "legacy": view.legacy}


def _on_enter(resource: Resource, state: str, at: float) -> None:
    fields = resource.fields
    before = fields.get("dims") or {}
    if state == "Suspending" and before:  # a seeded Suspending keeps the scenario's suspended_from
        fields["suspended_from"] = before.get("runtime") or "Running"
    if state == "Provisioning":  # a new incarnation: its checkpoint sequence starts again
        fields["provisioned_at"] = at
        fields["checkpoints"] = 0
        fields["checkpoint_success"] = None
        fields["deployment_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"feldera:{resource.id}:{at!r}"))
    if state == "Stopping":
        entry = resource.history[-1]
        failed = resource.previous_state()
        if entry.cause == "timer" and failed in FAILURES and failure_armed(fields, failed):
            code, message = FAILURES[failed]
            fields["deployment_error"] = {"message": message, "error_code": code,
                                          "details": {"pipeline_name": resource.id, "phase": failed}}
            if fields.get("fail_times") is not None:
                fields["fail_times"] -= 1
                if fields["fail_times"] == 0:
                    resource.timing.pop("Running", None)
    if state == "Stopped":
        for name in ("deployment_initial", "runtime_desired", "deployment_id", "bootstrap", "suspended_from"):
            fields[name] = None
    now_dims = dims(resource, state)
    if before and any(before.get(k) != now_dims[k] for k in ("resources", "runtime")):
        fields["refresh_version"] = fields.get("refresh_version", 1) + 1  # server: every status write
    record_dims(resource, at, now_dims)


def record_dims(resource: Resource, at: float, now_dims: dict[str, str | None]) -> None:
    """Remember the dimensions and when each last changed (the `*_since` timestamps)."""
    before = resource.fields.get("dims") or {}
    since = resource.fields.setdefault("since", {})
    for name, value in now_dims.items():
        if name not in before or before[name] != value or name not in since:
            since[name] = at if value is not None else None
    resource.fields["dims"] = dict(now_dims)


_NOT_DEPLOYED = Reject("PipelineInteractionNotDeployed")
_UNAVAILABLE = Reject("PipelineUnavailable")
_INVALID = Reject("InvalidTransition")
_ILLEGAL = Reject("IllegalPipelineAction")


def _table(default, **overrides):
    """An action row: `default` for every phase, then the named exceptions."""
    return {state: overrides.get(state, default) for state in DEPLOYMENT_STATES}


_INTERACT = dict(**{s: _NOT_DEPLOYED for s in NOT_PROVISIONED}, Unavailable=_UNAVAILABLE)
_INIT_PHASES = ("Initializing", "AwaitingApproval", "Bootstrapping")


# --- /start: checks 5-9 (reference 6.2), guards given the request (params) -------------------------
# params: query (the parsed /start query), bootstrap (its bootstrap settings), storage and program
# (the states of the pipeline's other two resources), standby_allowed (its storage backend allows it).

def _undismissed(resource: Resource, at: float, params) -> bool:
    return bool(resource.fields.get("deployment_error")) and not params["query"]["dismiss_error"]


def _clearing(resource: Resource, at: float, params) -> bool:
    return params["storage"] == "Clearing"


def _compile_failed(resource: Resource, at: float, params) -> bool:
    return params["program"] in COMPILE_ERRORS


def _provisioned_desired(resource: Resource) -> bool:
    return dims(resource)["resources_desired"] == "Provisioned"


def _initial_changed(resource: Resource, at: float, params) -> bool:
    return _provisioned_desired(resource) and resource.fields.get("deployment_initial") != params["query"]["initial"]


def _bootstrap_changed(resource: Resource, at: float, params) -> bool:
    wanted = params["bootstrap"]
    return _provisioned_desired(resource) and (resource.fields.get("bootstrap") or wanted) != wanted


def _standby_refused(resource: Resource, at: float, params) -> bool:
    return params["query"]["initial"] == "standby" and not params["standby_allowed"]


_START_CHECKS = (
    When(_undismissed, Reject("CannotStartWithUndismissedError")),
    When(_clearing, Reject("CannotStartWhileClearingStorage")),
    When(_compile_failed, Reject("CannotStartWithCompilationError")),
)
_IMMUTABLE_WHILE_STARTED = (  # the current generation only
    When(_initial_changed, Reject("InitialImmutableUnlessStopped")),
    When(_bootstrap_changed, Reject("BootstrapPolicyImmutableUnlessStopped")),
)
_STANDBY_CHECK = When(_standby_refused, Reject("InitialStandbyNotAllowed"))


def _start_row(row: dict, *, legacy: bool) -> dict:
    """Checks 5-9 before every outcome of a start the table does not refuse outright (check 4)."""
    checks = (*_START_CHECKS, *(() if legacy else _IMMUTABLE_WHILE_STARTED), _STANDBY_CHECK)
    return {state: rule if isinstance(rule, Reject) else (*checks, rule) for state, rule in row.items()}


def _start_requested(resource: Resource, at: float, params) -> None:
    """The desired status a start (or a legacy /pause of a stopped pipeline) asks for."""
    initial = params["initial"]
    resource.fields.update(deployment_initial=initial, runtime_desired=initial.capitalize(),
                           bootstrap=dict(params["bootstrap"]))


def _early_start_failure(resource: Resource, at: float, params) -> None:
    resource.fields["deployment_error"] = error_body("CannotStartWithCompilationError")  # reference 6.1


_START = Move("StartPending", effect=_start_requested)
# In these phases pause/resume change the desired runtime status the runtime will reach.
RETARGETABLE = tuple(s for s, v in VIEW.items() if v.runtime_desired == DESIRED)


def _retargeted(resource: Resource, at: float, params) -> None:
    """An accepted pause/resume while the runtime is on its way: it will reach `params["target"]`."""
    resource.fields["runtime_desired"] = params["target"]
    record_dims(resource, at, dims(resource))


def _retargeting(row: dict) -> dict:
    retarget = Ignore(effect=_retargeted)
    return {state: retarget if state in RETARGETABLE and rule == Ignore() else rule for state, rule in row.items()}

ACTIONS = {
    # Check 4 of /start (reference 6.2): a stop in progress refuses a start, then checks 5-9.
    # Starting an already started pipeline is accepted and changes nothing.
    "start": _start_row(_table(Ignore(), Stopped=_START, Stopping=_ILLEGAL), legacy=False),
    # The compiler finished while a start waited (params: program, its final state).
    "compiled": _table(Ignore(), StartPending=(
        When(_compile_failed, Move("Stopped", effect=_early_start_failure)), Move("Provisioning"))),
    # force=true: never refused (6.3).
    "stop_force": _table(Move("Stopping"), Stopped=Ignore(), StartPending=Move("Stopped"), Stopping=Ignore()),
    # force=false (enterprise): checkpoint first when provisioned, else the same as force=true.
    "stop_graceful": _table(
        Move("Suspending"), Stopped=Ignore(), StartPending=Move("Stopped"), Provisioning=Move("Stopping"),
        Stopping=Ignore(), Suspending=Ignore(), Suspended=Ignore(), Unavailable=_UNAVAILABLE,
        Standby=_INVALID, Activating=_INVALID),
    "pause": _retargeting(_table(
        Ignore(), **_INTERACT, Running=Move("Pausing"), Resuming=Move("Pausing"), Standby=_INVALID,
        Activating=_INVALID, Suspending=_INVALID, Suspended=_INVALID)),
    "resume": _retargeting(_table(
        Ignore(), **_INTERACT, Paused=Move("Resuming"), Pausing=Move("Resuming"), Standby=_INVALID,
        Activating=_INVALID, Suspending=_INVALID, Suspended=_INVALID)),
    "checkpoint": _table(Ignore(), **_INTERACT),
    # GET /stats reaches the pipeline's controller, which exists once initialized (server source:
    # adapters/src/server.rs `controller()`); checkpoint_status only needs the process.
    "stats": _table(Ignore(), **_INTERACT, Initializing=Reject("Initializing"),
                    AwaitingApproval=Reject("AwaitingApproval"), Suspended=Reject("Suspended")),
    "approve": _table(Ignore(), **_INTERACT, AwaitingApproval=Move("Bootstrapping")),
    "activate": _table(Ignore(), **_INTERACT, Standby=Move("Activating")),
    # The legacy generation (reference 8) refuses more: start/pause while suspending or stopping,
    # a graceful stop unless Initializing/Running/Paused/Unavailable; /pause starts a stopped one.
    "legacy_start": _start_row(_table(
        Ignore(), Stopped=_START, Stopping=_ILLEGAL, Suspending=_ILLEGAL, Suspended=_ILLEGAL,
        Paused=Move("Resuming"), Pausing=Move("Resuming")), legacy=True),
    "legacy_pause": _retargeting(_table(
        Ignore(), Stopped=_START, StartPending=Ignore(), Provisioning=Ignore(),
        Stopping=_ILLEGAL, Suspending=_ILLEGAL, Suspended=_ILLEGAL, Unavailable=_UNAVAILABLE,
        Running=Move("Pausing"), Resuming=Move("Pausing"), Standby=_INVALID, Activating=_INVALID)),
    "legacy_stop_graceful": _table(
        _ILLEGAL, **{s: Move("Suspending") for s in ("Initializing", "Running", "Paused", "Pausing", "Resuming",
                                                      "Unavailable", *_INIT_PHASES)},
        Suspending=Ignore(), Suspended=Ignore()),
}

DEPLOYMENT = Lifecycle(
    vendor=VENDOR,
    kind="pipeline",
    states=DEPLOYMENT_STATES,
    initial="Stopped",
    timed={
        "Provisioning": Timed(_or_fail("Provisioning", "Initializing"), 1.0),
        "Initializing": Timed(_or_fail("Initializing", _runtime_target), 1.0),
        "Bootstrapping": Timed(_or_fail("Bootstrapping", _runtime_target), 1.0),
        "Activating": Timed(_activated, 0.5),
        "Running": Timed(_or_fail("Running", "Running"), ONLY_WHEN_GIVEN),
        "Pausing": Timed("Paused", 0.2),
        "Resuming": Timed("Running", 0.2),
        "Suspending": Timed(_or_fail("Suspending", "Suspended"), 1.0),
        "Suspended": Timed("Stopping", 0.2),
        "Stopping": Timed("Stopped", 1.0),
    },
    actions=ACTIONS,
    on_enter=_on_enter,
)

LIFECYCLES = (DEPLOYMENT, PROGRAM, STORAGE)
