"""Feldera pipeline manager (reference: shared/reference/feldera.md)."""
from ..base import CapacityAnswer, Vendor
from . import schemas
from .codes import CODES
from .errors import ERRORS
from .lifecycle import LIFECYCLES
from .pipelines import seed
from .routes import blp

_NAME = (schemas.NAME_PATTERN, "1-63 letters, digits, '_' or '-', starting and ending with a letter or digit")

VENDOR = Vendor(
    name="feldera",
    title="Feldera pipeline manager",
    prefixes=("/v0/",),
    spec_file="feldera.yaml",
    lifecycles=LIFECYCLES,
    blueprints=(blp,),
    errors=ERRORS,
    capacity=CapacityAnswer(CODES["ResourceLimitReached"].status, "ResourceLimitReached",
                            CODES["ResourceLimitReached"].message),
    auth_schema=schemas.AuthSettings,
    settings_schema=schemas.Settings,
    fields_schemas={"pipeline": schemas.PipelineSeed, "program": schemas.ProgramSeed, "storage": schemas.StorageSeed},
    id_patterns={"pipeline": _NAME, "program": _NAME, "storage": _NAME},
    seed=seed,
)
