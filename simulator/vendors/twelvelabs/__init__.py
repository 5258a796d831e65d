"""TwelveLabs analyze batches, API v1.3 (reference: shared/reference/twelvelabs.md)."""
from ..base import CapacityAnswer, Vendor
from . import schemas
from .codes import ERROR_CODES
from .errors import ERRORS
from .lifecycle import BATCH
from .routes import blp
from .seeding import seed_batch
from .webhooks import on_delivery

VENDOR = Vendor(
    name="twelvelabs",
    title="TwelveLabs",
    prefixes=("/v1.3/",),
    spec_file="twelvelabs.yaml",
    lifecycles=(BATCH,),
    blueprints=(blp,),
    errors=ERRORS,
    capacity=CapacityAnswer(ERROR_CODES["resource_limit"].status, ERROR_CODES["resource_limit"].code,
                            ERROR_CODES["resource_limit"].message),
    auth_schema=schemas.AuthSettings,
    settings_schema=schemas.Settings,
    fields_schemas={"batch": schemas.BatchFields},
    id_patterns={"batch": (r"[0-9a-f]{24}", "24 lowercase hexadecimal characters")},
    seed=seed_batch,
    on_delivery=on_delivery,
)
