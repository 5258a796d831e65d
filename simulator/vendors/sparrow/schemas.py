"""Sparrow request and response schemas (reference section 2). Unknown fields are refused."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ...http.fields import INT64_MAX, StrictBoolean, StrictInteger, StrictString
from ...targets import CallbackUrl, HeaderName, HeaderValue

EVENTS = ("ANALYSIS_PROGRESS", "ANALYSIS_COMPLETE", "SRC_UPLOAD")
TOOL_TYPES = ("SAST", "SCA", "DAST")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class CallbackHeader(_Strict):
    # INFERRED: an HTTP token, and a value without CR, LF or NUL (it could not be sent otherwise).
    key = HeaderName(required=True)
    value = HeaderValue(required=True)


class Callback(_Strict):
    type = fields.List(StrictString(validate=validate.OneOf(EVENTS)), required=True)
    # INFERRED: the simulator's own address is refused (a callback must not call the simulator).
    url = CallbackUrl(required=True, validate=validate.Length(min=1))
    headers = fields.List(fields.Nested(CallbackHeader))


class VcsAuth(_Strict):
    id = StrictString()
    password = StrictString()
    authToken = StrictString()


class VcsInfo(_Strict):
    type = StrictString(validate=validate.OneOf(["git"]))
    url = StrictString(required=True, validate=validate.Length(min=1))
    auth = fields.Nested(VcsAuth)
    branch = StrictString()
    commitId = StrictString()
    tag = StrictString()


class AnalysisSource(_Strict):
    type = StrictString(required=True, validate=validate.OneOf(["VCS"]))
    vcsInfo = fields.Nested(VcsInfo, required=True)


class ScaOptions(_Strict):
    analysisSource = fields.Nested(AnalysisSource, required=True)
    maxSourceSize = StrictInteger(validate=validate.Range(min=0, max=INT64_MAX))
    extensions = fields.List(StrictString())
    excludedPath = fields.List(StrictString())


class SastOptions(ScaOptions):
    issueSimilarity = StrictBoolean()


class DastOptions(_Strict):
    crawlerTargetSeedUrls = fields.List(StrictString(validate=validate.Length(min=1)), required=True,
                                        validate=validate.Length(min=1))
    crawlerCrawlMaxUrl = StrictInteger(validate=validate.Range(min=0))
    commonRecordsLogin = fields.List(StrictString())


class _CreateBase(_Strict):
    resultVersion = StrictInteger(validate=validate.Range(min=1, max=INT64_MAX))
    memo = StrictString(allow_none=True)
    callbacks = fields.List(fields.Nested(Callback))


class CreateSast(_CreateBase):
    sastOptions = fields.Nested(SastOptions, required=True)


class CreateSca(_CreateBase):
    scaOptions = fields.Nested(ScaOptions, required=True)


class CreateDast(_CreateBase):
    dastOptions = fields.Nested(DastOptions, required=True)


# --- responses (documentation only: handlers return ready-made JSON) ----------------------------

class AnalysisSummary(Schema):
    analysisId = fields.Integer()
    requestId = fields.Integer()
    status = fields.String()
    toolType = fields.String()
    memo = fields.String(allow_none=True)


class RequestInfo(Schema):
    requestId = fields.Integer()
    result = fields.String()
    analysisList = fields.List(fields.Nested(AnalysisSummary))


class Analysis(AnalysisSummary):
    result = fields.String(allow_none=True)
    resultCode = fields.String(allow_none=True)
    startTime = fields.String()
    endTime = fields.String(allow_none=True)
    issueCount = fields.Integer()
    issueCountRisk1 = fields.Integer()
    issueCountRisk2 = fields.Integer()
    issueCountRisk3 = fields.Integer()
    issueCountRisk4 = fields.Integer()
    issueCountRisk5 = fields.Integer()


class SparrowError(Schema):
    resultCode = fields.String()
    message = fields.String()


# --- scenario sections ---------------------------------------------------------------------------

class AuthSettings(_Strict):
    keys = fields.List(StrictString(validate=validate.Length(min=1)), load_default=list)


class Settings(_Strict):
    # INFERRED quirk: one vendor sample spells the per-item key `reqestId`; add it beside requestId.
    misspelled_request_key = StrictBoolean(load_default=False)


class AnalysisFields(_Strict):
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
