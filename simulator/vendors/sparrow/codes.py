"""Sparrow result codes, in one table (INFERRED: the vendor's code list is not public), and its
error envelope: {"resultCode": ..., "message": ...}.

Keys are the simulator's names for each situation; swap a `code` here when real values turn up.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...kit.codes import ErrorCode
from ...kit.envelope import Envelope
from ...kit.messages import first_message

RESULT_CODES: dict[str, ErrorCode] = {
    "unauthorized": ErrorCode(401, "UNAUTHORIZED", "The API key is missing, malformed or unknown."),
    "invalid_parameter": ErrorCode(400, "INVALID_PARAMETER", "A parameter is missing or invalid."),
    "request_not_found": ErrorCode(400, "REQUEST_NOT_FOUND", "No request with this id."),
    "analysis_not_found": ErrorCode(400, "ANALYSIS_NOT_FOUND", "No analysis with this id."),
    "already_completed": ErrorCode(400, "ANALYSIS_ALREADY_COMPLETED", "The analysis has already completed."),
    "already_stopped": ErrorCode(400, "ANALYSIS_ALREADY_STOPPED", "The analysis has already been stopped."),
    "not_success": ErrorCode(400, "ANALYSIS_NOT_SUCCESS", "The analysis did not end with SUCCESS."),
    "stopped": ErrorCode(None, "ANALYSIS_STOPPED", "The analysis was stopped at the user's request."),
    "failed": ErrorCode(None, "ANALYSIS_FAILED", "The analysis failed."),
    "internal_error": ErrorCode(500, "INTERNAL_ERROR", "Unexpected error."),
    "not_found_route": ErrorCode(404, "NOT_FOUND", "No such endpoint."),
    "method_not_allowed": ErrorCode(405, "METHOD_NOT_ALLOWED", "Method not allowed on this endpoint."),
    "payload_too_large": ErrorCode(413, "PAYLOAD_TOO_LARGE", "The request body is too large."),
    # A create beyond --max-resources: Sparrow answers every refusal 400 with a result code.
    "analysis_limit": ErrorCode(400, "ANALYSIS_LIMIT_EXCEEDED",
                                "The maximum number of analyses ({limit}) has been reached. Delete old ones."),
}


class SparrowErrors(Envelope):
    vendor = "sparrow"
    codes = RESULT_CODES
    http_codes = {404: "not_found_route", 405: "method_not_allowed", 413: "payload_too_large", 500: "internal_error"}
    invalid_code = "invalid_parameter"

    def body(self, status: int, code: Any, message: str, details: Any, settings: Mapping[str, Any]) -> Any:
        return {"resultCode": code, "message": message}

    def invalid(self, messages):
        detail = first_message(messages) if messages else "The body is not valid JSON."
        return self.error("invalid_parameter", f"{RESULT_CODES['invalid_parameter'].message} {detail}")


ERRORS = SparrowErrors()
