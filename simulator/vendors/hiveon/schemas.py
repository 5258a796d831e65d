"""Hiveon request schemas (reference section 2) and scenario sections.

Requests are as strict as openapi/hiveon.yaml: unknown fields refused (protobuf JSON), no coercion.
Responses are documented in openapi/hiveon.yaml, the one contract.
"""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from ...engine.scenario import Duration
from ...kit.schema import StrictInteger, StrictSchema, StrictString
from .lifecycle import CAN_FAIL_FROM, PENDING

PORT_PROTOCOLS = ("PORT_PROTOCOL_TCP", "PORT_PROTOCOL_HTTPS")  # PORT_PROTOCOL_UNSPECIFIED is invalid
MAX_PORTS = 100
ERROR_SHAPES = ("grpc", "legacy")
CLORE_API_KEY = "CLORE_API_KEY"

_NON_EMPTY = validate.Length(min=1)


def _string_map(**kwargs) -> fields.Dict:
    return fields.Dict(keys=StrictString(), values=StrictString(), **kwargs)


# --- start ---------------------------------------------------------------------------------------

class HiveonDockerAuth(StrictSchema):
    server = StrictString()
    login = StrictString()
    password = StrictString()


class HiveonPort(StrictSchema):
    host_port = StrictInteger(required=True, validate=validate.Range(min=1, max=65535))
    protocol = StrictString(required=True, validate=validate.OneOf(PORT_PROTOCOLS))


class ContainerSettings(StrictSchema):
    """What a deployment keeps of its container_config besides the image: never shown by the
    vendor, masked in the simulator's views and exports (engine/secrets.py)."""

    docker_auth = fields.Nested(HiveonDockerAuth)
    ports = fields.List(fields.Nested(HiveonPort), validate=validate.Length(max=MAX_PORTS))
    startup_script = StrictString()
    environment_variables = _string_map()


class HiveonContainerConfig(ContainerSettings):
    image = StrictString(required=True, validate=_NON_EMPTY)


class HiveonStartRequest(StrictSchema):
    machine_id = StrictString(required=True, validate=_NON_EMPTY)
    machine_price_id = StrictString(required=True, validate=_NON_EMPTY)
    external_deployment_id = StrictString()
    ssh_pub_keys = fields.List(StrictString(validate=_NON_EMPTY))
    container_config = fields.Nested(HiveonContainerConfig, required=True)
    metadata = _string_map()


# --- stop ----------------------------------------------------------------------------------------

def _has_clore_api_key(metadata: dict) -> None:
    if not metadata.get(CLORE_API_KEY):
        raise ValidationError({CLORE_API_KEY: ["Missing or empty: a non-empty string is required."]})


class HiveonStopRequest(StrictSchema):
    # A map of strings (INFERRED: protobuf map<string, string>, like the start metadata) that must
    # hold a non-empty CLORE_API_KEY; other keys are allowed and ignored. Nothing of it is kept.
    metadata = _string_map(required=True, validate=_has_clore_api_key)


# --- scenario sections ---------------------------------------------------------------------------

class AuthSettings(StrictSchema):
    """`auth.hiveon`: which X-API-Key values are accepted, and which lack the role (INFERRED).

    keys: keys with the deployments role. Empty: any non-empty key not in `without_role`.
    without_role: keys that authenticate but lack the role: every call answers 403.
    """

    keys = fields.List(StrictString(validate=_NON_EMPTY), load_default=list)
    without_role = fields.List(StrictString(validate=_NON_EMPTY), load_default=list)

    @validates_schema
    def _disjoint(self, data, **kwargs):
        both = set(data.get("keys", ())) & set(data.get("without_role", ()))
        if both:
            raise ValidationError(f"a key cannot both have and lack the role: {', '.join(sorted(both))}",
                                  "without_role")


class FailReasonSpec(StrictSchema):
    code = StrictInteger(required=True)
    message = StrictString(required=True)


class FailureRule(StrictSchema):
    """Fault injection: a started deployment that matches fails from a state (reference section 3)."""

    image = StrictString(validate=_NON_EMPTY)
    machine_id = StrictString(validate=_NON_EMPTY)
    from_state = StrictString(data_key="from", load_default=PENDING, validate=validate.OneOf(CAN_FAIL_FROM))
    after = Duration()  # time in that state before failing; default: the state's duration
    fail_reason = fields.Nested(FailReasonSpec)  # default: codes.DEFAULT_FAIL_REASONS

    @validates_schema
    def _matches_something(self, data, **kwargs):
        if "image" not in data and "machine_id" not in data:
            raise ValidationError("a failure rule names an image, a machine_id, or both")


class Settings(StrictSchema):
    """`settings.hiveon`: failure rules (first match wins) and the error shape switch."""

    failures = fields.List(fields.Nested(FailureRule), load_default=list)
    # INFERRED gRPC-gateway body by default; "legacy" is the older API's {"error": "..."}.
    error_shape = StrictString(load_default="grpc", validate=validate.OneOf(ERROR_SHAPES))


class DeploymentFields(StrictSchema):
    """A scenario entry's `fields`. Fail a running one with `route: {STATUS_RUNNING: STATUS_FAILED}`."""

    machine_id = StrictString(validate=_NON_EMPTY)
    machine_price_id = StrictString(validate=_NON_EMPTY)
    external_deployment_id = StrictString()
    image = StrictString(validate=_NON_EMPTY)
    metadata = _string_map()
    fail_reason = fields.Nested(FailReasonSpec)
    container = fields.Nested(ContainerSettings)


class MachineFields(StrictSchema):
    """A catalogue entry's `fields`: the machine_price_id values a start may name with it."""

    prices = fields.List(StrictString(validate=_NON_EMPTY), load_default=list)
