"""Sparrow On-Demand analyses (reference: shared/reference/sparrow.md)."""
from ..base import CapacityAnswer, Vendor
from . import schemas
from .analyses import seed_analysis
from .codes import RESULT_CODES
from .errors import ERRORS
from .lifecycle import ANALYSIS
from .routes import blp

VENDOR = Vendor(
    name="sparrow",
    title="Sparrow On-Demand",
    prefixes=("/api/",),
    spec_file="sparrow.yaml",
    lifecycles=(ANALYSIS,),
    blueprints=(blp,),
    errors=ERRORS,
    capacity=CapacityAnswer(400, RESULT_CODES["analysis_limit"].code, RESULT_CODES["analysis_limit"].message),
    auth_schema=schemas.AuthSettings,
    settings_schema=schemas.Settings,
    fields_schemas={"analysis": schemas.AnalysisFields},
    id_patterns={"analysis": (r"[1-9][0-9]*", "a positive whole number")},
    seed=seed_analysis,
)
