"""TwelveLabs error codes, in one table (reference twelvelabs.md sections 2 and 3).

Keys are the simulator's names for each situation. Codes the vendor names in its batch docs:
parameter_invalid, api_key_invalid, batch_completed / batch_canceled / batch_expired,
batch_not_terminal, asset_unavailable, video_duration_too_long. Every other code is INFERRED from
the vendor's general error-code conventions; swap it here when the real value turns up.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: int
    message: str


ERROR_CODES: dict[str, ErrorCode] = {
    "api_key_invalid": ErrorCode("api_key_invalid", 401, "The API key is missing or not valid."),
    "parameter_invalid": ErrorCode("parameter_invalid", 400, "A parameter is not valid."),
    "parameter_not_provided": ErrorCode("parameter_not_provided", 400, "A required parameter is missing."),  # INFERRED
    "parameter_unknown": ErrorCode("parameter_unknown", 400, "The request has an unknown parameter."),  # INFERRED
    "batch_not_found": ErrorCode("resource_not_exists", 404, "No batch with this id."),  # INFERRED code
    "asset_not_found": ErrorCode("resource_not_exists", 404, "A referenced asset does not exist."),  # INFERRED code
    "asset_not_ready": ErrorCode("asset_not_ready", 409, "A referenced asset is not ready yet."),  # INFERRED code
    "too_many_active_batches": ErrorCode(  # INFERRED code
        "too_many_active_batches", 429, "You already have the maximum number of active batches."
    ),
    "resource_limit": ErrorCode(  # INFERRED code; a create beyond --max-resources, 429 like the batch limit
        "resource_limit_exceeded", 429, "The maximum number of stored batches ({limit}) has been reached."
    ),
    "downstream_unavailable": ErrorCode(  # INFERRED code; only with settings.twelvelabs.create_error
        "service_unavailable", 503, "A validation check against a downstream service failed. Retry the request."
    ),
    "creation_timeout": ErrorCode(  # INFERRED code; only with settings.twelvelabs.create_error
        "gateway_timeout", 504, "The batch was not created before the deadline. Split the requests and retry."
    ),
    "batch_completed": ErrorCode("batch_completed", 409, "The batch has already completed."),
    "batch_canceled": ErrorCode("batch_canceled", 409, "The batch has already been canceled."),
    "batch_expired": ErrorCode("batch_expired", 409, "The batch has expired."),
    "batch_not_terminal": ErrorCode(
        "batch_not_terminal", 409, "The batch is not in a terminal state. Cancel it and wait before deleting."
    ),
    "endpoint_not_found": ErrorCode("endpoint_not_exists", 404, "No such endpoint."),  # INFERRED code
    "method_not_allowed": ErrorCode("method_not_allowed", 405, "Method not allowed on this endpoint."),  # INFERRED
    "payload_too_large": ErrorCode("payload_too_large", 413, "The request body is too large."),  # INFERRED
    "internal_error": ErrorCode("internal_error", 500, "Unexpected error."),  # INFERRED
}

# Per-item failure codes (result lines, never an HTTP answer) and their default messages.
ITEM_FAILURES: dict[str, str] = {
    "asset_unavailable": "The asset could not be read.",
    "video_duration_too_long": "The analysis window exceeds 2 hours.",
}
DEFAULT_ITEM_FAILURE_MESSAGE = "The analysis failed."
