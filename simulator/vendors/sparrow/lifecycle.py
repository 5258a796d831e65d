"""Sparrow analysis lifecycle (reference sections 3 and 4). Durations are INFERRED defaults."""
from __future__ import annotations

from ...engine import Defer, Ignore, Lifecycle, Move, Reject, Resource, Timed
from ...kit.hooks import deferred

RUNNING = ("INIT", "READY", "PRE_PROCESS", "ANALYSIS", "POST_PROCESS")
TERMINAL = ("COMPLETE", "STOP")
STATES = RUNNING + TERMINAL


def _record_analysis_window(resource: Resource, state: str, at: float) -> None:
    # Issue counts grow across ANALYSIS; remember its window so they can be derived at any time.
    if state == "ANALYSIS":
        resource.fields["analysisWindow"] = [at, resource.due_at]


ANALYSIS = Lifecycle(
    vendor="sparrow",
    kind="analysis",
    states=STATES,
    initial="INIT",
    timed={
        # A stop during INIT is deferred to the allocation moment, then goes straight to STOP.
        "INIT": Timed("READY", 2.0, redirects={"stop": "STOP"}),
        "READY": Timed("PRE_PROCESS", 2.0),
        "PRE_PROCESS": Timed("ANALYSIS", 2.0),
        "ANALYSIS": Timed("POST_PROCESS", 5.0),
        "POST_PROCESS": Timed("COMPLETE", 2.0),
    },
    actions={
        "stop": {
            "INIT": Defer("stop"),
            "READY": Move("STOP"),
            "PRE_PROCESS": Move("STOP"),
            "ANALYSIS": Move("STOP"),
            "POST_PROCESS": Ignore(),  # 200, but it goes on to COMPLETE
            "COMPLETE": Reject("already_completed"),
            "STOP": Reject("already_stopped"),
        },
    },
    on_enter=_record_analysis_window,
    notify=deferred(f"{__package__}.render", "notifications"),
)
