"""Sparrow request schemas and scenario sections (reference section 2). Unknown fields are refused.
Responses are documented in openapi/sparrow.yaml, the one contract."""
from __future__ import annotations

from marshmallow import fields, validate

from ...kit.schema import INT64_MAX, StrictBoolean, StrictInteger, StrictSchema, StrictString
from ...targets import CallbackUrl, HeaderName, HeaderValue

EVENTS = ("ANALYSIS_PROGRESS", "ANALYSIS_COMPLETE", "SRC_UPLOAD")
TOOL_TYPES = ("SAST", "SCA", "DAST")


class CallbackHeader(StrictSchema):
    # INFERRED: an HTTP token, and a value without CR, LF or NUL (it could not be sent otherwise).
    key = HeaderName(required=True)
    value = HeaderValue(required=True)


class Callback(StrictSchema):
    type = fields.List(StrictString(validate=validate.OneOf(EVENTS)), required=True)
    # INFERRED: the simulator's own address is refused (a callback must not call the simulator).
    url = CallbackUrl(required=True, validate=validate.Length(min=1))
    headers = fields.List(fields.Nested(CallbackHeader))


class VcsAuth(StrictSchema):
    id = StrictString()
    password = StrictString()
    authToken = StrictString()


class VcsInfo(StrictSchema):
    type = StrictString(validate=validate.OneOf(["git"]))
    url = StrictString(required=True, validate=validate.Length(min=1))
    auth = fields.Nested(VcsAuth)
    branch = StrictString()
    commitId = StrictString()
    tag = StrictString()


class AnalysisSource(StrictSchema):
    type = StrictString(required=True, validate=validate.OneOf(["VCS"]))
    vcsInfo = fields.Nested(VcsInfo, required=True)


class ScaOptions(StrictSchema):
    analysisSource = fields.Nested(AnalysisSource, required=True)
    maxSourceSize = StrictInteger(validate=validate.Range(min=0, max=INT64_MAX))
    extensions = fields.List(StrictString())
    excludedPath = fields.List(StrictString())


class SastOptions(ScaOptions):
    issueSimilarity = StrictBoolean()


class DastOptions(StrictSchema):
    crawlerTargetSeedUrls = fields.List(StrictString(validate=validate.Length(min=1)), required=True,
                                        validate=validate.Length(min=1))
    crawlerCrawlMaxUrl = StrictInteger(validate=validate.Range(min=0))
    commonRecordsLogin = fields.List(StrictString())


class _CreateBase(StrictSchema):
    resultVersion = StrictInteger(validate=validate.Range(min=1, max=INT64_MAX))
    memo = StrictString(allow_none=True)
    callbacks = fields.List(fields.Nested(Callback))


class CreateSast(_CreateBase):
    sastOptions = fields.Nested(SastOptions, required=True)


class CreateSca(_CreateBase):
    scaOptions = fields.Nested(ScaOptions, required=True)


class CreateDast(_CreateBase):
    dastOptions = fields.Nested(DastOptions, required=True)


# --- scenario sections ---------------------------------------------------------------------------

class AuthSettings(StrictSchema):
    keys = fields.List(StrictString(validate=validate.Length(min=1)), load_default=list)


class Settings(StrictSchema):
    # INFERRED quirk: one vendor sample spells the per-item key `reqestId`; add it beside requestId.
    misspelled_request_key = StrictBoolean(load_default=False)


class AnalysisFields(StrictSchema):
    toolType = StrictString(validate=validate.OneOf(TOOL_TYPES))
    memo = StrictString(allow_none=True)
    requestId = StrictInteger(validate=validate.Range(min=1))
    result = StrictString(validate=validate.OneOf(["SUCCESS", "FAIL"]))
    failIn = StrictString(validate=validate.OneOf(["INIT", "READY", "PRE_PROCESS", "ANALYSIS", "POST_PROCESS"]))
    issues = fields.List(StrictInteger(validate=validate.Range(min=0)), validate=validate.Length(equal=5))
    resultVersion = StrictInteger()
    # kept as the simulator stores them, so an exported analysis loads back unchanged
    source = fields.Dict(keys=StrictString())
    callbacks = fields.List(fields.Nested(Callback))
    analysisWindow = fields.List(fields.Float(allow_none=True), validate=validate.Length(equal=2))
