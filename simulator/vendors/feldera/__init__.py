"""Feldera pipeline manager (reference: shared/reference/feldera.md)."""
from ...kit.vendor import ResourceView, Vendor
from . import render, schemas
from .codes import ERRORS
from .lifecycle import LIFECYCLES
from .routes import blp
from .seed import seed

VENDOR = Vendor(
    name="feldera",
    title="Feldera pipeline manager",
    prefixes=("/v0/",),
    spec_file="feldera.yaml",
    lifecycles=LIFECYCLES,
    blueprints=(blp,),
    errors=ERRORS,
    capacity="ResourceLimitReached",
    auth_schema=schemas.AuthSettings,
    settings_schema=schemas.Settings,
    fields_schemas={"pipeline": schemas.PipelineSeed, "program": schemas.ProgramSeed, "storage": schemas.StorageSeed},
    id_patterns=dict.fromkeys(("pipeline", "program", "storage"), schemas.NAME_ID),
    seed=seed,
    # A pipeline's program and storage are parts of it: each shows the whole pipeline.
    views={
        "pipeline": ResourceView("/v0/pipelines/{id}", render.dashboard_view, {
            "pending": ("StartPending", "Provisioning", "Initializing", "AwaitingApproval", "Bootstrapping",
                        "Standby", "Activating"),
            "running": ("Running", "Paused", "Pausing", "Resuming"),
            "stopping": ("Suspending", "Stopping"),
            "done": ("Stopped", "Suspended"),
            "failed": ("Unavailable",),
        }),
        "program": ResourceView("/v0/pipelines/{id}", render.dashboard_view, {
            "pending": ("Pending",),
            "running": ("CompilingSql", "SqlCompiled", "CompilingRust"),
            "done": ("Success",),
            "failed": ("SqlError", "RustError", "SystemError"),
        }),
        "storage": ResourceView("/v0/pipelines/{id}", render.dashboard_view, {
            "running": ("InUse",), "stopping": ("Clearing",), "done": ("Cleared",),
        }),
    },
)
