"""Sparrow's error envelope: {"resultCode": ..., "message": ...}."""
from __future__ import annotations

from flask import Response
from werkzeug.exceptions import HTTPException

from ...http.errors import ApiError, first_message, json_response, validation_messages
from .codes import RESULT_CODES

_HTTP_TO_CODE = {404: "not_found_route", 405: "method_not_allowed", 413: "payload_too_large", 500: "internal_error"}


class SparrowErrors:
    def response(self, status: int, code: str, message: str, **extra) -> Response:
        return json_response({"resultCode": code, "message": message}, status, extra.get("headers"))

    def named(self, name: str, message: str | None = None) -> ApiError:
        """An ApiError for a row of RESULT_CODES."""
        entry = RESULT_CODES[name]
        return ApiError(self.response(entry.status or 500, entry.code, message or entry.message))

    def from_http(self, exc: HTTPException) -> Response:
        status = exc.code or 500
        if status in (400, 422):  # malformed JSON or a body that fails validation
            messages = validation_messages(exc)
            detail = first_message(messages) if messages else "The body is not valid JSON."
            entry = RESULT_CODES["invalid_parameter"]
            return self.response(400, entry.code, f"{entry.message} {detail}")
        entry = RESULT_CODES.get(_HTTP_TO_CODE.get(status, "internal_error"))
        headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        return self.response(status if status in _HTTP_TO_CODE else 500, entry.code, entry.message, headers=headers)


ERRORS = SparrowErrors()
