"""resource-service data wrappers (reference: shared/reference/wrappers.md)."""
from ..base import CapacityAnswer, Vendor
from . import schemas
from .codes import RESOURCE_LIMIT
from .errors import ERRORS
from .ids import UUID4
from .lifecycle import FILE, WRAPPER
from .routes import blp
from .wrappers import seed

VENDOR = Vendor(
    name="wrappers",
    title="resource-service data wrappers",
    prefixes=("/resources/",),
    spec_file="wrappers.yaml",
    lifecycles=(WRAPPER, FILE),
    blueprints=(blp,),
    errors=ERRORS,
    capacity=CapacityAnswer(RESOURCE_LIMIT.status, "", RESOURCE_LIMIT.detail),
    auth_schema=schemas.WrappersAuthSettings,
    settings_schema=schemas.WrappersSettings,
    fields_schemas={"wrapper": schemas.WrapperFields, "file": schemas.FileFields},
    id_patterns={"wrapper": (UUID4, "a lower-case UUIDv4"), "file": (UUID4, "a lower-case UUIDv4")},
    seed=seed,
)
