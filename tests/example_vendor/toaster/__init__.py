"""Toaster: an example vendor built only from simulator/kit, simulator/engine and simulator/http.
docs/adding-a-vendor.md walks through it; tests/example_vendor/test_toaster.py serves it."""
from pathlib import Path

from simulator.kit.vendor import ResourceView, Vendor

from . import render, schemas
from .codes import ERRORS
from .lifecycle import TOAST
from .routes import blp
from .seed import seed_toast

VENDOR = Vendor(
    name="toaster",
    title="Toaster",
    prefixes=("/toaster/",),
    spec_file=str(Path(__file__).parent / "openapi.yaml"),
    lifecycles=(TOAST,),
    blueprints=(blp,),
    errors=ERRORS,
    capacity="toaster_full",
    auth_schema=schemas.AuthSettings,
    settings_schema=schemas.Settings,
    fields_schemas={"toast": schemas.ToastFields},
    id_patterns={"toast": (r"[1-9][0-9]{0,17}", "a positive whole number")},
    seed=seed_toast,
    views={"toast": ResourceView("/toaster/v1/toasts/{id}", render.dashboard_view,
                                 {"running": ("toasting",), "done": ("done",)})},
)
