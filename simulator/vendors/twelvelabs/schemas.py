"""TwelveLabs request schemas and scenario sections (reference sections 3 and 4). Unknown fields are
refused. Responses are documented in openapi/twelvelabs.yaml, the one contract.

The request schemas mirror openapi/twelvelabs.yaml rule for rule; rules that span several fields
(the defaults merge, the analysis mode, unique custom_id) live in requests.py.
"""
from __future__ import annotations

from marshmallow import EXCLUDE, fields, validate

from ...engine.scenario import Duration
from ...kit.schema import StrictInteger, StrictNumber, StrictSchema, StrictString
from ...targets import CallbackUrl

MODEL_NAMES = ("pegasus1.5",)
ANALYSIS_MODES = ("general", "time_based_metadata")
BATCH_STATUSES = ("pending", "processing", "canceling", "canceled", "completed", "expired")
OBJECT_ID = r"^[0-9a-fA-F]{24}\Z"  # batch, task and asset ids (INFERRED for assets)
CUSTOM_ID = r"^[A-Za-z0-9_-]{1,64}\Z"
TIME_FORMATS = ("seconds", "hh:mm:ss", "hh:mm:ss.fff")
MAX_REQUESTS = 1000


def _object_id(**kwargs) -> StrictString:
    return StrictString(validate=validate.Regexp(OBJECT_ID, error="Not a valid id: 24 hexadecimal characters."),
                        **kwargs)


class MediaSource(StrictSchema):
    name = StrictString(required=True)
    media_type = StrictString(required=True, validate=validate.OneOf(["image"]))
    url = StrictString()
    asset_id = StrictString()
    base64_string = StrictString()


class Prompt(StrictSchema):
    input_text = StrictString(required=True, validate=validate.Length(min=1))
    media_sources = fields.List(fields.Nested(MediaSource), validate=validate.Length(max=4))


class SegmentFieldItems(StrictSchema):
    type = StrictString(required=True, validate=validate.OneOf(["string", "number", "boolean", "integer"]))


class SegmentField(StrictSchema):
    name = StrictString(required=True)
    type = StrictString(required=True, validate=validate.OneOf(
        ["string", "boolean", "number", "integer", "array", "timestamp"]))
    description = StrictString(required=True)
    format = StrictString(validate=validate.OneOf(TIME_FORMATS))
    enum = fields.List(StrictString(), validate=validate.Length(max=100))
    items = fields.Nested(SegmentFieldItems)


class TimeRange(StrictSchema):
    start_time = StrictNumber(required=True, validate=validate.Range(min=0))
    end_time = StrictNumber(required=True, validate=validate.Range(min=0))


class SegmentDefinition(StrictSchema):
    id = StrictString(required=True, validate=validate.Length(min=1))
    description = StrictString(required=True)
    segment_fields = fields.List(fields.Nested(SegmentField), data_key="fields")
    media_sources = fields.List(fields.Nested(MediaSource), validate=validate.Length(max=4))
    time_ranges = fields.List(fields.Nested(TimeRange))


class ResponseFormat(StrictSchema):
    type = StrictString(required=True, validate=validate.OneOf(["json_schema", "segment_definitions"]))
    json_schema = fields.Dict(keys=fields.String())
    segment_definitions = fields.List(fields.Nested(SegmentDefinition), validate=validate.Length(min=1, max=20))
    segment_time_format = StrictString(validate=validate.OneOf(TIME_FORMATS))


class Defaults(StrictSchema):
    prompt = fields.Nested(Prompt)
    response_format = fields.Nested(ResponseFormat)
    temperature = StrictNumber(validate=validate.Range(min=0, max=1))
    max_tokens = StrictInteger(validate=validate.Range(min=1))
    min_segment_duration = StrictNumber(validate=validate.Range(min=2))
    max_segment_duration = StrictNumber(validate=validate.Range(min=2))
    start_time = StrictNumber(validate=validate.Range(min=0))
    end_time = StrictNumber(validate=validate.Range(min=0, min_inclusive=False))


class Video(StrictSchema):
    type = StrictString(required=True, validate=validate.OneOf(["asset_id"]))
    asset_id = _object_id(required=True)


class ItemRequest(Defaults):
    video = fields.Nested(Video, required=True)
    custom_id = StrictString(validate=validate.Regexp(
        CUSTOM_ID, error="1-64 characters: letters, digits, '-' and '_'."))


class CreateBatch(StrictSchema):
    model_name = StrictString(required=True, validate=validate.OneOf(MODEL_NAMES))
    analysis_mode = StrictString(required=True, validate=validate.OneOf(ANALYSIS_MODES))
    defaults = fields.Nested(Defaults)
    requests = fields.List(fields.Nested(ItemRequest), required=True,
                           validate=validate.Length(min=1, max=MAX_REQUESTS))


class ListQuery(StrictSchema):
    class Meta:
        unknown = EXCLUDE  # INFERRED: unknown query parameters are ignored

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    page_limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))
    status = fields.List(fields.String(validate=validate.OneOf(BATCH_STATUSES)))
    analysis_mode = fields.List(fields.String(validate=validate.OneOf(ANALYSIS_MODES)))


# --- scenario sections ---------------------------------------------------------------------------

class AuthSettings(StrictSchema):
    keys = fields.List(StrictString(validate=validate.Length(min=1)), load_default=list)


class Asset(StrictSchema):
    id = _object_id(required=True)
    status = StrictString(load_default="ready", validate=validate.OneOf(["ready", "processing", "failed"]))
    duration = Duration(metadata={"description": "video length; an analysis window over 2 h fails the item"})


class ItemRule(StrictSchema):
    """Items matching every given matcher (none = every item) get the rule's outcome; first match wins."""

    asset_id = _object_id()
    custom_id = StrictString()
    fail = StrictString(validate=validate.Length(min=1), metadata={"description": "the item fails with this code"})
    message = StrictString()
    duration = Duration(metadata={"description": "processing time of a matching item"})


class Settings(StrictSchema):
    error_shape = StrictString(load_default="nested", validate=validate.OneOf(["nested", "flat"]))
    # INFERRED timing defaults: how long a batch waits before its first item starts, how long an
    # item processes, and how many items of one batch process at once.
    start_delay = Duration(load_default=5.0)
    item_duration = Duration(load_default=30.0)
    concurrency = StrictInteger(load_default=4, validate=validate.Range(min=1))
    max_active_batches = StrictInteger(load_default=5, validate=validate.Range(min=1))
    # None: every well-formed asset id exists and is ready. A list: only these exist.
    assets = fields.List(fields.Nested(Asset), load_default=None, allow_none=True)
    item_rules = fields.List(fields.Nested(ItemRule), load_default=list)
    # Make every create answer 503 or 504 (no batch is created).
    create_error = StrictString(load_default=None, allow_none=True, validate=validate.OneOf([
        "unavailable", "timeout"]))
    # The account's webhook endpoints: each gets the batch completion event (render.py).
    # Never the simulator's own address (targets.py): a webhook must not call the simulator.
    webhooks = fields.List(CallbackUrl(validate=validate.Regexp(r"^https?://")), load_default=list)


class SeedItem(StrictSchema):
    custom_id = StrictString(validate=validate.Regexp(CUSTOM_ID))
    asset_id = _object_id()
    fail = StrictString(validate=validate.Length(min=1))
    message = StrictString()


class BatchFields(StrictSchema):
    """A scenario batch: its state and `remaining` place its items on the clock (see seed.py)."""

    analysis_mode = StrictString(validate=validate.OneOf(ANALYSIS_MODES))
    model_name = StrictString(validate=validate.Length(min=1))
    items = fields.List(fields.Nested(SeedItem), validate=validate.Length(min=1, max=MAX_REQUESTS))
    item_count = StrictInteger(validate=validate.Range(min=1, max=MAX_REQUESTS))
    item_duration = Duration()
    concurrency = StrictInteger(validate=validate.Range(min=1))
    age = Duration(metadata={"description": "how long ago the batch was created"})
