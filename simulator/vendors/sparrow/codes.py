"""Sparrow result codes, in one table (INFERRED: the vendor's code list is not public).

Keys are the simulator's names for each situation; swap a `code` here when real values turn up.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResultCode:
    code: str
    status: int | None  # None: stored on an analysis, never an HTTP answer
    message: str


RESULT_CODES: dict[str, ResultCode] = {
    "unauthorized": ResultCode("UNAUTHORIZED", 401, "The API key is missing, malformed or unknown."),
    "invalid_parameter": ResultCode("INVALID_PARAMETER", 400, "A parameter is missing or invalid."),
    "request_not_found": ResultCode("REQUEST_NOT_FOUND", 400, "No request with this id."),
    "analysis_not_found": ResultCode("ANALYSIS_NOT_FOUND", 400, "No analysis with this id."),
    "already_completed": ResultCode("ANALYSIS_ALREADY_COMPLETED", 400, "The analysis has already completed."),
    "already_stopped": ResultCode("ANALYSIS_ALREADY_STOPPED", 400, "The analysis has already been stopped."),
    "not_success": ResultCode("ANALYSIS_NOT_SUCCESS", 400, "The analysis did not end with SUCCESS."),
    "stopped": ResultCode("ANALYSIS_STOPPED", None, "The analysis was stopped at the user's request."),
    "failed": ResultCode("ANALYSIS_FAILED", None, "The analysis failed."),
    "internal_error": ResultCode("INTERNAL_ERROR", 500, "Unexpected error."),
    "not_found_route": ResultCode("NOT_FOUND", 404, "No such endpoint."),
    "method_not_allowed": ResultCode("METHOD_NOT_ALLOWED", 405, "Method not allowed on this endpoint."),
    "payload_too_large": ResultCode("PAYLOAD_TOO_LARGE", 413, "The request body is too large."),
    # A create beyond --max-resources: Sparrow answers every refusal 400 with a result code.
    "analysis_limit": ResultCode("ANALYSIS_LIMIT_EXCEEDED", 400,
                                 "The maximum number of analyses ({limit}) has been reached. Delete old ones."),
}
