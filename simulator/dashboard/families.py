"""The colour family of every lifecycle state on the dashboard.

Five families, as a newcomer reads them: pending (waiting to start), running (doing its work),
stopping (on its way to a stop or cancel), done (at rest: finished, stopped, idle) and failed.
A state missing here shows as "unknown" (grey); tests/test_dashboard_api.py keeps the table
complete for every lifecycle a vendor declares.
"""
from __future__ import annotations

FAMILIES = ("pending", "running", "stopping", "done", "failed")

_BY_FAMILY: dict[str, dict[str, tuple[str, ...]]] = {
    "sparrow.analysis": {
        "pending": ("INIT", "READY"),
        "running": ("PRE_PROCESS", "ANALYSIS", "POST_PROCESS"),
        "done": ("COMPLETE", "STOP"),
    },
    "feldera.pipeline": {
        "pending": ("StartPending", "Provisioning", "Initializing", "AwaitingApproval", "Bootstrapping",
                    "Standby", "Activating"),
        "running": ("Running", "Paused", "Pausing", "Resuming"),
        "stopping": ("Suspending", "Stopping"),
        "done": ("Stopped", "Suspended"),
        "failed": ("Unavailable",),
    },
    "feldera.program": {
        "pending": ("Pending",),
        "running": ("CompilingSql", "SqlCompiled", "CompilingRust"),
        "done": ("Success",),
        "failed": ("SqlError", "RustError", "SystemError"),
    },
    "feldera.storage": {"running": ("InUse",), "stopping": ("Clearing",), "done": ("Cleared",)},
    "twelvelabs.batch": {
        "pending": ("pending",),
        "running": ("processing",),
        "stopping": ("canceling",),
        "done": ("completed", "canceled"),
        "failed": ("expired",),
    },
    "hiveon.deployment": {
        "pending": ("STATUS_PENDING",),
        "running": ("STATUS_RUNNING",),
        "stopping": ("STATUS_STOPPING",),
        "done": ("STATUS_STOPPED",),
        "failed": ("STATUS_FAILED",),
    },
    "hiveon.machine": {"done": ("AVAILABLE",)},
    "wrappers.wrapper": {
        "pending": ("pending",),
        "running": ("generating", "creating_resource", "executing", "retrying"),
        "done": ("stopped", "completed"),
        "failed": ("error",),
    },
    "wrappers.file": {"done": ("stored",)},
}

# "vendor.kind" -> state -> family
STATE_FAMILIES: dict[str, dict[str, str]] = {
    key: {state: family for family, states in by_family.items() for state in states}
    for key, by_family in _BY_FAMILY.items()
}
