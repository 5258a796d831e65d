"""TwelveLabs analyze batches, API v1.3 (reference: shared/reference/twelvelabs.md)."""
from ...kit.vendor import ResourceView, Vendor
from . import render, schemas
from .codes import ERRORS
from .lifecycle import BATCH
from .routes import blp
from .seed import seed_batch
from .webhooks import on_delivery

VENDOR = Vendor(
    name="twelvelabs",
    title="TwelveLabs",
    prefixes=("/v1.3/",),
    spec_file="twelvelabs.yaml",
    lifecycles=(BATCH,),
    blueprints=(blp,),
    errors=ERRORS,
    capacity="resource_limit",
    auth_schema=schemas.AuthSettings,
    settings_schema=schemas.Settings,
    fields_schemas={"batch": schemas.BatchFields},
    id_patterns={"batch": (r"[0-9a-f]{24}", "24 lowercase hexadecimal characters")},
    seed=seed_batch,
    on_delivery=on_delivery,
    views={"batch": ResourceView(
        "/v1.3/analyze/batches/{id}", render.dashboard_view,
        {"pending": ("pending",), "running": ("processing",), "stopping": ("canceling",),
         "done": ("completed", "canceled"), "failed": ("expired",)},
    )},
)
