"""resource-service data wrappers (reference: shared/reference/wrappers.md)."""
from ...kit.vendor import ResourceView, Vendor
from . import render, schemas
from .codes import ERRORS
from .lifecycle import FILE, WRAPPER
from .model import UUID4
from .routes import blp
from .seed import seed

VENDOR = Vendor(
    name="wrappers",
    title="resource-service data wrappers",
    prefixes=("/resources/",),
    spec_file="wrappers.yaml",
    lifecycles=(WRAPPER, FILE),
    blueprints=(blp,),
    errors=ERRORS,
    capacity="resource_limit",
    auth_schema=schemas.WrappersAuthSettings,
    settings_schema=schemas.WrappersSettings,
    fields_schemas={"wrapper": schemas.WrapperFields, "file": schemas.FileFields},
    id_patterns={"wrapper": (UUID4, "a lower-case UUIDv4"), "file": (UUID4, "a lower-case UUIDv4")},
    seed=seed,
    views={
        "wrapper": ResourceView("/resources/wrappers/{id}", render.dashboard_wrapper, {
            "pending": ("pending",),
            "running": ("generating", "creating_resource", "executing", "retrying"),
            "done": ("stopped", "completed"),
            "failed": ("error",),
        }),
        "file": ResourceView("/resources/wrappers/files/{id}", render.dashboard_file, {"done": ("stored",)}),
    },
)
