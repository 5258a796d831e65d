"""Sparrow On-Demand analyses (reference: shared/reference/sparrow.md)."""
from ...kit.vendor import ResourceView, Vendor
from . import render, schemas
from .codes import ERRORS
from .lifecycle import ANALYSIS
from .routes import blp
from .seed import seed_analysis

VENDOR = Vendor(
    name="sparrow",
    title="Sparrow On-Demand",
    prefixes=("/api/",),
    spec_file="sparrow.yaml",
    lifecycles=(ANALYSIS,),
    blueprints=(blp,),
    errors=ERRORS,
    capacity="analysis_limit",
    auth_schema=schemas.AuthSettings,
    settings_schema=schemas.Settings,
    fields_schemas={"analysis": schemas.AnalysisFields},
    id_patterns={"analysis": (r"[1-9][0-9]*", "a positive whole number")},
    seed=seed_analysis,
    views={"analysis": ResourceView(
        "/api/v3/analysis/{id}", render.dashboard_view,
        {"pending": ("INIT", "READY"), "running": ("PRE_PROCESS", "ANALYSIS", "POST_PROCESS"),
         "done": ("COMPLETE", "STOP")},
    )},
)
