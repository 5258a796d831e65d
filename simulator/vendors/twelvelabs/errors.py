"""TwelveLabs' error envelope: {"error": {"code", "message"}} by default, flat {"code", "message"}
with `settings.twelvelabs.error_shape: flat` (the vendor's sources disagree; reference section 2).
"""
from __future__ import annotations

from typing import Any

from flask import Response
from werkzeug.exceptions import HTTPException

from ...http.context import simulation
from ...http.errors import ApiError, first_message, json_response, validation_messages
from .codes import ERROR_CODES

VENDOR = "twelvelabs"
_HTTP_TO_NAME = {404: "endpoint_not_found", 405: "method_not_allowed", 413: "payload_too_large"}
_MISSING = "Missing data for required field."
_UNKNOWN = "Unknown field."


def _flat() -> bool:
    with simulation().transaction() as tx:
        return tx.settings(VENDOR)["error_shape"] == "flat"


def _validation_name(messages: Any) -> str:
    """parameter_not_provided / parameter_unknown / parameter_invalid, from the first message."""
    summary = first_message(messages)
    if summary.endswith(_MISSING):
        return "parameter_not_provided"
    if summary.endswith(_UNKNOWN):
        return "parameter_unknown"
    return "parameter_invalid"


class TwelveLabsErrors:
    def response(self, status: int, code: str, message: str, **extra) -> Response:
        error = {"code": code, "message": message}
        body = error if _flat() else {"error": error}
        return json_response(body, status, extra.get("headers"))

    def named(self, name: str, message: str | None = None) -> ApiError:
        """An ApiError for a row of ERROR_CODES."""
        entry = ERROR_CODES[name]
        return ApiError(self.response(entry.status, entry.code, message or entry.message))

    def from_http(self, exc: HTTPException) -> Response:
        status = exc.code or 500
        if status in (400, 422):  # malformed JSON, or a body or query that fails validation
            messages = validation_messages(exc)
            if not messages:
                entry = ERROR_CODES["parameter_invalid"]
                return self.response(400, entry.code, "The request body is not valid JSON.")
            entry = ERROR_CODES[_validation_name(messages)]
            return self.response(400, entry.code, first_message(messages))
        entry = ERROR_CODES[_HTTP_TO_NAME.get(status, "internal_error")]
        headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        return self.response(entry.status, entry.code, entry.message, headers=headers)


ERRORS = TwelveLabsErrors()
