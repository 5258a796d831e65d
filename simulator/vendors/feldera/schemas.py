"""Feldera request schemas and scenario sections (reference sections 4 and 5)."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from ...kit.schema import StrictSchema, StrictString
from . import configs
from .lifecycle import COMPILE_ERRORS, FAILURES, PROGRAM_STATES

SELECTORS = ("all", "status", "status_with_connectors")
BOOTSTRAP_POLICIES = ("allow", "reject", "await_approval")
RUNTIME_DESIRED = ("Unavailable", "Coordination", "Standby", "Paused", "Running", "Suspended")
INITIALS = ("running", "paused", "standby")
NAME_PATTERN = r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?"
NAME_ID = (NAME_PATTERN, "1-63 letters, digits, '_' or '-', starting and ending with a letter or digit")


class QueryBoolean(fields.Boolean):
    """A query-string boolean as the server parses it: exactly `true` or `false`."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value in ("true", "false"):
            return value == "true"
        raise ValidationError("Not a valid boolean: use true or false.")


class _Lenient(Schema):
    class Meta:  # the server ignores fields it does not know
        unknown = EXCLUDE


# --- requests -------------------------------------------------------------------------------------

# Request bodies ignore fields they do not know, as the server does (serde without
# deny_unknown_fields), so a client sending extra fields works here as it does there. The two
# configs are any JSON here: the model checks them as the server does (validation.py), with its
# own error codes.
class _PipelineFields(_Lenient):
    description = StrictString()
    tags = fields.List(StrictString())
    udf_rust = StrictString(allow_none=True)
    udf_toml = StrictString(allow_none=True)
    program_config = fields.Raw(allow_none=True)
    runtime_config = fields.Raw(allow_none=True)


class PostPutPipeline(_PipelineFields):
    name = StrictString(required=True)
    program_code = StrictString(required=True)


class PatchPipeline(_PipelineFields):
    name = StrictString(allow_none=True)
    description = StrictString(allow_none=True)
    tags = fields.List(StrictString(), allow_none=True)
    program_code = StrictString(allow_none=True)


class SelectorQuery(_Lenient):
    selector = fields.String(load_default="all", validate=validate.OneOf(SELECTORS))


class StartQuery(_Lenient):
    initial = fields.String(load_default="running")  # checked by the model: 405 for other values
    bootstrap_policy = fields.String(load_default="await_approval", validate=validate.OneOf(BOOTSTRAP_POLICIES))
    silent_bootstrap = QueryBoolean(load_default=False)
    concurrent_bootstrap = QueryBoolean(load_default=False)
    dismiss_error = QueryBoolean(load_default=True)


class StopQuery(_Lenient):
    force = QueryBoolean(load_default=False)


class ApproveQuery(_Lenient):
    silent_bootstrap = QueryBoolean(load_default=False)
    concurrent_bootstrap = QueryBoolean(load_default=False)


class CheckpointStatusQuery(_Lenient):
    incarnation_uuid = fields.String(validate=validate.Regexp(
        r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", error="Not a valid UUID."))


class ActivateQuery(_Lenient):
    initial = fields.String(load_default="Running", validate=validate.OneOf(RUNTIME_DESIRED))


# --- scenario sections ---------------------------------------------------------------------------

class AuthSettings(StrictSchema):
    """`auth.feldera.keys`: when listed, every /v0 call needs `Authorization: Bearer <one of them>`."""

    keys = fields.List(StrictString(validate=validate.Regexp(r"^apikey:.+", error="an API key starts with 'apikey:'")),
                       load_default=list)


class CompileError(StrictSchema):
    """Programs whose code contains `contains` fail to compile with `status`."""

    contains = StrictString(required=True, validate=validate.Length(min=1))
    # Default: SqlError for a match in the SQL code, RustError for one in `udf_rust`.
    status = StrictString(validate=validate.OneOf(COMPILE_ERRORS))
    message = StrictString()


class FailureRule(StrictSchema):
    """Pipelines created over the API (all, or the one named) fail at `at`: `times` times (default
    every time), a Running one `after` seconds in Running."""

    pipeline = StrictString()
    at = StrictString(required=True, validate=validate.OneOf(tuple(FAILURES)))
    times = fields.Integer(strict=True, validate=validate.Range(min=1))
    after = fields.Float(validate=validate.Range(min=0, min_inclusive=False))


class Settings(StrictSchema):
    # The seed documents checkpoint-then-stop as the normal path, so enterprise is the default.
    edition = StrictString(load_default="enterprise", validate=validate.OneOf(["enterprise", "community"]))
    # current: servers >= 0.148 (resources/runtime split); legacy: 0.96-0.147 (reference 8).
    api_generation = StrictString(load_default="current", validate=validate.OneOf(["current", "legacy"]))
    version = StrictString(load_default=None, allow_none=True)  # /v0/config version; default per generation
    compile_errors = fields.List(fields.Nested(CompileError), load_default=list)
    failures = fields.List(fields.Nested(FailureRule), load_default=list)


def _valid_config(root: str):
    def check(value) -> None:
        try:
            configs.normalized(root, value)
        except configs.ConfigError as error:
            raise ValidationError(f"{error.path.lstrip('.') or 'the value'}: {error.reason}") from None
    return check


class PipelineSeed(StrictSchema):
    """`fields` of a scenario's `feldera.pipeline` entry (its `state` is the deployment phase)."""

    program_code = StrictString()
    description = StrictString()
    tags = fields.List(StrictString())
    udf_rust = StrictString()
    udf_toml = StrictString()
    program_config = fields.Dict(keys=fields.String(), validate=_valid_config("ProgramConfig"))
    runtime_config = fields.Dict(keys=fields.String(), validate=_valid_config("RuntimeConfig"))
    program_status = StrictString(validate=validate.OneOf(PROGRAM_STATES))  # default Success
    compile_outcome = StrictString(validate=validate.OneOf(("Success", *COMPILE_ERRORS)))
    compile_message = StrictString()
    storage_status = StrictString(validate=validate.OneOf(["Cleared", "InUse", "Clearing"]))
    deployment_initial = StrictString(validate=validate.OneOf(INITIALS))
    runtime_desired = StrictString(validate=validate.OneOf(["Running", "Paused", "Standby"]))
    suspended_from = StrictString(validate=validate.OneOf(["Running", "Paused", "Initializing"]))
    deployment_error = fields.Dict(keys=fields.String())
    fail_at = StrictString(validate=validate.OneOf(tuple(FAILURES)))
    fail_times = fields.Integer(strict=True, validate=validate.Range(min=1))  # default: every time
    fail_after = fields.Float(validate=validate.Range(min=0, min_inclusive=False))  # for fail_at Running


class ProgramSeed(StrictSchema):
    compile_outcome = StrictString(validate=validate.OneOf(("Success", *COMPILE_ERRORS)))
    compile_message = StrictString()


class StorageSeed(StrictSchema):
    pass
