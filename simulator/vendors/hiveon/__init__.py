"""Hiveon vendors API: container deployments (reference: shared/reference/hiveon.md)."""
from ...engine import Resource, ResourceSpec, Transaction
from ..base import CapacityAnswer, Vendor
from . import deployments, machines, schemas
from .codes import ERROR_CODES
from .errors import ERRORS
from .lifecycle import DEPLOYMENT, MACHINE
from .routes import blp


def _seed(tx: Transaction, spec: ResourceSpec) -> Resource:
    """A scenario entry: a machine of the catalogue, or a deployment."""
    return (machines.seed if spec.kind == machines.KIND else deployments.seed)(tx, spec)


VENDOR = Vendor(
    name="hiveon",
    title="Hiveon vendors API",
    prefixes=("/vendors/",),
    spec_file="hiveon.yaml",
    lifecycles=(DEPLOYMENT, MACHINE),
    blueprints=(blp,),
    errors=ERRORS,
    capacity=CapacityAnswer(ERROR_CODES["deployment_limit"].status, ERROR_CODES["deployment_limit"].code,
                            ERROR_CODES["deployment_limit"].message),
    auth_schema=schemas.AuthSettings,
    settings_schema=schemas.Settings,
    fields_schemas={"deployment": schemas.DeploymentFields, "machine": schemas.MachineFields},
    # INFERRED: ids are opaque strings (reference section 5); a deployment id must fit in a URL
    # path segment and not be "start" (the start call's path).
    id_patterns={
        "deployment": (r"(?!start$)[^/\s]+", "an opaque string without '/' or spaces, other than 'start'"),
        "machine": (r"\S+", "a non-empty string without spaces"),
    },
    seed=_seed,
)
