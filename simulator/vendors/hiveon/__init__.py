"""Hiveon vendors API: container deployments (reference: shared/reference/hiveon.md)."""
from ...kit.vendor import ResourceView, Vendor
from . import render, schemas
from .codes import ERRORS
from .lifecycle import DEPLOYMENT, FAILED, MACHINE, PENDING, RUNNING, STOPPED, STOPPING
from .routes import PREFIX, blp
from .seed import seed

VENDOR = Vendor(
    name="hiveon",
    title="Hiveon vendors API",
    prefixes=("/vendors/",),
    spec_file="hiveon.yaml",
    lifecycles=(DEPLOYMENT, MACHINE),
    blueprints=(blp,),
    errors=ERRORS,
    capacity="deployment_limit",
    auth_schema=schemas.AuthSettings,
    settings_schema=schemas.Settings,
    fields_schemas={"deployment": schemas.DeploymentFields, "machine": schemas.MachineFields},
    # INFERRED: ids are opaque strings (reference section 5); a deployment id must fit in a URL
    # path segment and not be "start" (the start call's path).
    id_patterns={
        "deployment": (r"(?!start$)[^/\s]+", "an opaque string without '/' or spaces, other than 'start'"),
        "machine": (r"\S+", "a non-empty string without spaces"),
    },
    seed=seed,
    views={
        "deployment": ResourceView(
            f"{PREFIX}/{{id}}", render.dashboard_view,
            {"pending": (PENDING,), "running": (RUNNING,), "stopping": (STOPPING,), "done": (STOPPED,),
             "failed": (FAILED,)},
        ),
        # No vendor call returns a catalogue machine: no path (the dashboard says so).
        "machine": ResourceView(None, None, {"done": MACHINE.states}),
    },
)
