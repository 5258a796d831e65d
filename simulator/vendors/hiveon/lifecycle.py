"""Hiveon deployment lifecycle (reference section 3). Durations are INFERRED defaults.

States carry the wire names of the status enum, so the control API and the vendor API agree.
PENDING -> RUNNING and STOPPING -> STOPPED run on the clock. A deployment fails only by fault
injection: a per-resource route (`{STATUS_PENDING: STATUS_FAILED}` or `{STATUS_RUNNING:
STATUS_FAILED}`) set by a scenario failure rule (model.start_deployment) or by a scenario entry.
"""
from __future__ import annotations

from ...engine import Ignore, Lifecycle, Move, Reject, Resource, Timed

PENDING = "STATUS_PENDING"
RUNNING = "STATUS_RUNNING"
STOPPING = "STATUS_STOPPING"
STOPPED = "STATUS_STOPPED"
FAILED = "STATUS_FAILED"
STATES = (PENDING, RUNNING, STOPPING, STOPPED, FAILED)
CAN_FAIL_FROM = (PENDING, RUNNING)

# Default durations, in one table (INFERRED; scenario `timing: {hiveon.deployment: {...}}` or a
# resource's `timing` override them).
DURATIONS = {
    PENDING: 3.0,  # scheduled until the container runs
    RUNNING: 10.0,  # only used when a failure is injected: time it runs before it fails
    STOPPING: 2.0,  # stop accepted until the container is gone
}


def _failure_injected(resource: Resource) -> bool:
    """A running deployment leaves RUNNING by a stop, or by an injected failure (its route)."""
    return RUNNING in resource.route


DEPLOYMENT = Lifecycle(
    vendor="hiveon",
    kind="deployment",
    states=STATES,
    initial=PENDING,
    timed={
        PENDING: Timed(RUNNING, DURATIONS[PENDING]),
        RUNNING: Timed(FAILED, DURATIONS[RUNNING], when=_failure_injected),
        STOPPING: Timed(STOPPED, DURATIONS[STOPPING]),
    },
    actions={
        # Reference section 4.
        "stop": {
            PENDING: Move(STOPPING),  # INFERRED: pending work is cancelled
            RUNNING: Move(STOPPING),
            STOPPING: Ignore(),  # INFERRED: idempotent
            STOPPED: Ignore(),  # INFERRED: idempotent
            FAILED: Reject("not_running"),
        },
    },
)


# The machine and price catalogue (reference section 2.1: "a configurable fixture catalogue").
# A machine only needs to exist; it has one state and no actions (INFERRED: the vendors API
# documents no machine listing or availability).
AVAILABLE = "AVAILABLE"
MACHINE = Lifecycle(vendor="hiveon", kind="machine", states=(AVAILABLE,), initial=AVAILABLE)
