"""Feldera's error envelope: {"message", "error_code", "details"} (reference section 3)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response
from werkzeug.exceptions import HTTPException

from ...http.errors import ApiError, first_message, json_response, validation_messages
from .codes import CODES, RETRY_AFTER_503

_HTTP_TO_CODE = {404: "NotFound", 405: "MethodNotAllowed", 413: "PayloadTooLarge", 500: "InternalError"}


def envelope(code: str, details: Any = None, **params: Any) -> dict[str, Any]:
    """The error body for a row of CODES; `params` fill its message template."""
    return {"message": CODES[code].message.format(**params), "error_code": code, "details": details}


class FelderaErrors:
    def response(self, status: int, code: str, message: str, **extra: Any) -> Response:
        body = {"message": message, "error_code": code, "details": extra.get("details")}
        headers = dict(extra.get("headers") or {})
        if status == 503:
            headers.update(RETRY_AFTER_503)
        return json_response(body, status, headers)

    def named(self, code: str, details: Any = None, *, error_code: str | None = None,
              headers: Mapping[str, str] | None = None, **params: Any) -> ApiError:
        """An ApiError for a row of CODES (`error_code` overrides the code shown, for variants)."""
        body = envelope(code, details, **params)
        body["error_code"] = error_code or code
        return ApiError(self.response(CODES[code].status, body["error_code"], body["message"],
                                      details=details, headers=headers))

    def from_http(self, exc: HTTPException) -> Response:
        status = exc.code or 500
        if status in (400, 422):  # malformed JSON, or a body/query that fails validation
            messages = validation_messages(exc)
            reason = first_message(messages) if messages else "The request body is not valid JSON."
            return self.response(400, "BadRequest", reason, details=messages or None)
        code = _HTTP_TO_CODE.get(status, "InternalError")
        headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        return self.response(CODES[code].status, code, CODES[code].message, headers=headers)


ERRORS = FelderaErrors()
