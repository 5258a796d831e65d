"""Request and scenario schemas (reference sections 3 and 3.1).

Requests follow pydantic: unknown fields are ignored, types are strict JSON types. A message
written "type|msg" is rendered as that pydantic error type (see codes.py).
"""
from __future__ import annotations

import re

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from ...engine.scenario import Duration
from ...kit.schema import StrictBoolean, StrictInteger, StrictNumber, StrictSchema, StrictString
from .codes import OUTAGES
from .profiles import BEHAVIOURS, MODES

SOURCE_TYPES = ("API", "CSV", "XLSX")
AUTH_TYPES = ("none", "bearer", "api_key", "basic")
# An http(s) URL with a plain host name, perhaps user:password@ (documented as this pattern in openapi/wrappers.yaml).
URL_PATTERN = r"^https?://([A-Za-z0-9._~%!$&*+,;=:-]+@)?[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"
_URL = re.compile(URL_PATTERN[1:-1] + r"\Z")  # "$" would let a trailing newline through
# marshmallow formats the message, so the pattern's braces are doubled
_URL_ERROR = "string_pattern_mismatch|String should match pattern '" + URL_PATTERN.replace("{", "{{").replace(
    "}", "}}") + "'"
OBJECT_ID = r"^[0-9a-fA-F]{24}$"
FAULT_KINDS = ("generation_failure", "crash", "timeout")


def _enum(choices) -> validate.OneOf:
    listed = ", ".join(f"'{c}'" for c in choices[:-1]) + f" or '{choices[-1]}'"
    return validate.OneOf(choices, error=f"enum|Input should be {listed}")


def _at_least(minimum: int) -> validate.Range:
    return validate.Range(min=minimum, error=f"greater_than_equal|Input should be greater than or equal to {minimum}")


class _Lenient(Schema):
    class Meta:
        unknown = EXCLUDE  # pydantic ignores fields it does not know


class WrappersMetadata(_Lenient):
    name = StrictString(required=True)
    domain = StrictString(required=True)
    subdomain = StrictString(required=True)
    description = StrictString(required=True)
    unit = StrictString(required=True)
    source = StrictString(required=True)
    scale = StrictString(required=True)
    governance_indicator = StrictBoolean(required=True)
    carrying_capacity = StrictNumber(allow_none=True, load_default=None)
    periodicity = StrictString(required=True)


class WrappersApiSourceConfig(_Lenient):
    location = StrictString(required=True, validate=validate.Regexp(
        _URL, error=_URL_ERROR))
    auth_type = StrictString(load_default="none", validate=_enum(AUTH_TYPES))
    api_key = StrictString(allow_none=True, load_default=None)
    api_key_header = StrictString(load_default="X-API-Key")
    bearer_token = StrictString(allow_none=True, load_default=None)
    username = StrictString(allow_none=True, load_default=None)
    password = StrictString(allow_none=True, load_default=None)
    timeout_seconds = StrictInteger(load_default=30)
    date_field = StrictString(allow_none=True, load_default=None)
    value_field = StrictString(allow_none=True, load_default=None)
    custom_headers = fields.Dict(keys=StrictString(), values=StrictString(), allow_none=True, load_default=None)
    query_params = fields.Dict(keys=StrictString(), values=StrictString(), allow_none=True, load_default=None)


class WrappersFileSourceConfig(_Lenient):
    file_id = StrictString(required=True)
    sheet_name = StrictString(allow_none=True, load_default=None)
    time_column = StrictString(allow_none=True, load_default=None)
    value_columns = fields.List(StrictString(), allow_none=True, load_default=None)
    location = StrictString(allow_none=True, load_default=None)  # filled in by the service


class SourceConfig(fields.Field):
    """`source_config` is read with the schema its sibling `source_type` calls for."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError("Invalid input type.")
        source_type = data.get("source_type") if isinstance(data, dict) else None
        if source_type not in SOURCE_TYPES:
            return value  # the source_type error is reported on its own
        schema = WrappersApiSourceConfig() if source_type == "API" else WrappersFileSourceConfig()
        return schema.load(value)


class WrappersGenerateRequest(_Lenient):
    source_type = StrictString(required=True, validate=_enum(SOURCE_TYPES))
    source_config = SourceConfig(required=True, metadata={"description": "API or CSV/XLSX source settings"})
    metadata = fields.Nested(WrappersMetadata, required=True)
    auto_create_resource = StrictBoolean(load_default=True)


class WrappersListQuery(_Lenient):
    skip = fields.Integer(load_default=0, validate=_at_least(0))
    limit = fields.Integer(load_default=10, validate=_at_least(0))


class WrappersLogsQuery(_Lenient):
    limit = fields.Integer(load_default=200, validate=_at_least(0))


# --- scenario sections -----------------------------------------------------------------------------

class WrappersAuthSettings(StrictSchema):
    # token -> roles. Without a table any non-empty bearer token acts as an admin.
    tokens = fields.Dict(keys=StrictString(validate=validate.Length(min=1)),
                         values=fields.List(StrictString(validate=validate.Length(min=1))))
    provider_down = StrictBoolean(load_default=False, metadata={"description": "the identity provider is "
                                                                               "unreachable: 503"})


class FaultSpec(StrictSchema):
    kind = StrictString(required=True, validate=validate.OneOf(FAULT_KINDS))
    message = StrictString(metadata={"description": "generation_failure: the error_message"})
    after = Duration(metadata={"description": "crash: seconds each process runs before it crashes (30s); "
                                              "timeout: the one-shot timeout (3600s)"})
    times = StrictInteger(validate=validate.Range(min=1), metadata={"description": "crash: how many crashes "
                                                                                    "(default: every run)"})


class FeedSpec(StrictSchema):
    tick = Duration(validate=validate.Range(min=0.001))
    batch_size = StrictInteger(validate=validate.Range(min=1))
    historical_batches = StrictInteger(validate=validate.Range(min=0))
    point_spacing = Duration(validate=validate.Range(min=0.001))
    file_rows = StrictInteger(validate=validate.Range(min=0))
    one_shot_run = Duration()


FEED_DEFAULTS = {
    "tick": 5.0,  # reference 6: a batch every ~5 s
    "batch_size": 10,  # INFERRED
    "historical_batches": 3,  # INFERRED: "after the first few batches"
    "point_spacing": 3600.0,  # INFERRED: history has one point an hour
    "file_rows": 100,  # INFERRED: rows a CSV/XLSX run sends
    "one_shot_run": 5.0,  # reference 6: the one-shot process may keep running a few seconds
}


class WrappersSettings(StrictSchema):
    profile = StrictString(allow_none=True, load_default=None, validate=validate.OneOf(MODES))
    behaviours = fields.Dict(keys=StrictString(validate=validate.OneOf(sorted(BEHAVIOURS))),
                             values=StrictString(validate=validate.OneOf(MODES)), load_default=dict)
    feed = fields.Nested(FeedSpec, load_default=dict)
    fault = fields.Nested(FaultSpec, allow_none=True, load_default=None,
                          metadata={"description": "a fault every newly generated wrapper gets"})
    max_upload_bytes = StrictInteger(load_default=50 * 1024 * 1024, validate=validate.Range(min=1))
    unavailable = fields.List(StrictString(validate=validate.OneOf(sorted(OUTAGES))), load_default=list)


class WrapperFields(StrictSchema):
    source_type = StrictString(validate=validate.OneOf(SOURCE_TYPES))
    metadata = fields.Dict(keys=StrictString())
    source_config = fields.Dict(keys=StrictString())
    resource_id = StrictString(allow_none=True, validate=validate.Regexp(OBJECT_ID, flags=re.I))
    ran_for = Duration(metadata={"description": "how long its process has run (live) or ran (stopped)"})
    live = StrictBoolean(metadata={"description": "a live process (default: only in executing)"})
    retry_count = StrictInteger(validate=validate.Range(min=0))
    error_message = StrictString()
    fault = fields.Nested(FaultSpec)
    stop_error = StrictString(metadata={"description": "a stop answers 400 `Stop error: <this>`"})
    feed = fields.Nested(FeedSpec)


class FileFields(StrictSchema):
    filename = StrictString(validate=validate.Regexp(r"(?i).+\.(csv|xlsx|xls)$"))
    content = StrictString(metadata={"description": "the file's text (CSV); size and preview come from it"})
    file_size = StrictInteger(validate=validate.Range(min=0))
