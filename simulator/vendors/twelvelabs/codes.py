"""TwelveLabs error codes, in one table (reference twelvelabs.md sections 2 and 3), and its error
envelope: {"error": {"code", "message"}} by default, flat {"code", "message"} with
`settings.twelvelabs.error_shape: flat` (the vendor's sources disagree; reference section 2).

Keys are the simulator's names for each situation. Codes the vendor names in its batch docs:
parameter_invalid, api_key_invalid, batch_completed / batch_canceled / batch_expired,
batch_not_terminal, asset_unavailable, video_duration_too_long. Every other code is INFERRED from
the vendor's general error-code conventions; swap it here when the real value turns up.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...kit.codes import ErrorCode
from ...kit.envelope import Envelope
from ...kit.messages import first_message, walk

ERROR_CODES: dict[str, ErrorCode] = {
    "api_key_invalid": ErrorCode(401, "api_key_invalid", "The API key is missing or not valid."),
    "parameter_invalid": ErrorCode(400, "parameter_invalid", "A parameter is not valid."),
    "parameter_not_provided": ErrorCode(400, "parameter_not_provided", "A required parameter is missing."),  # INFERRED
    "parameter_unknown": ErrorCode(400, "parameter_unknown", "The request has an unknown parameter."),  # INFERRED
    "batch_not_found": ErrorCode(404, "resource_not_exists", "No batch with this id."),  # INFERRED code
    "asset_not_found": ErrorCode(404, "resource_not_exists", "A referenced asset does not exist."),  # INFERRED code
    "asset_not_ready": ErrorCode(409, "asset_not_ready", "A referenced asset is not ready yet."),  # INFERRED code
    "too_many_active_batches": ErrorCode(  # INFERRED code
        429, "too_many_active_batches", "You already have the maximum number of active batches."
    ),
    "resource_limit": ErrorCode(  # INFERRED code; a create beyond --max-resources, 429 like the batch limit
        429, "resource_limit_exceeded", "The maximum number of stored batches ({limit}) has been reached."
    ),
    "downstream_unavailable": ErrorCode(  # INFERRED code; only with settings.twelvelabs.create_error
        503, "service_unavailable", "A validation check against a downstream service failed. Retry the request."
    ),
    "creation_timeout": ErrorCode(  # INFERRED code; only with settings.twelvelabs.create_error
        504, "gateway_timeout", "The batch was not created before the deadline. Split the requests and retry."
    ),
    "batch_completed": ErrorCode(409, "batch_completed", "The batch has already completed."),
    "batch_canceled": ErrorCode(409, "batch_canceled", "The batch has already been canceled."),
    "batch_expired": ErrorCode(409, "batch_expired", "The batch has expired."),
    "batch_not_terminal": ErrorCode(
        409, "batch_not_terminal", "The batch is not in a terminal state. Cancel it and wait before deleting."
    ),
    "endpoint_not_found": ErrorCode(404, "endpoint_not_exists", "No such endpoint."),  # INFERRED code
    "method_not_allowed": ErrorCode(405, "method_not_allowed", "Method not allowed on this endpoint."),  # INFERRED
    "payload_too_large": ErrorCode(413, "payload_too_large", "The request body is too large."),  # INFERRED
    "internal_error": ErrorCode(500, "internal_error", "Unexpected error."),  # INFERRED
}

# Per-item failure codes (result lines, never an HTTP answer) and their default messages.
ITEM_FAILURES: dict[str, str] = {
    "asset_unavailable": "The asset could not be read.",
    "video_duration_too_long": "The analysis window exceeds 2 hours.",
}
DEFAULT_ITEM_FAILURE_MESSAGE = "The analysis failed."

# A validation answer's code follows from marshmallow's wording of the first problem (INFERRED codes).
VALIDATION_CODES = {"Missing data for required field.": "parameter_not_provided", "Unknown field.": "parameter_unknown"}


class TwelveLabsErrors(Envelope):
    vendor = "twelvelabs"
    codes = ERROR_CODES
    http_codes = {404: "endpoint_not_found", 405: "method_not_allowed", 413: "payload_too_large",
                  500: "internal_error"}
    invalid_code = "parameter_invalid"

    def body(self, status: int, code: Any, message: str, details: Any, settings: Mapping[str, Any]) -> Any:
        error = {"code": code, "message": message}
        return error if settings["error_shape"] == "flat" else {"error": error}

    def invalid(self, messages):
        if not messages:
            return super().invalid(messages)
        _location, _path, text = next(walk(messages), (None, (), ""))
        name = next((name for wording, name in VALIDATION_CODES.items() if text.endswith(wording)), self.invalid_code)
        return self.error(name, first_message(messages))


ERRORS = TwelveLabsErrors()
