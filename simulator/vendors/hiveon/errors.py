"""Hiveon's error envelope (reference section 1).

Default (INFERRED, gRPC-gateway): {"code": <gRPC code>, "message": "...", "details": [...]}.
`settings.hiveon.error_shape: legacy` switches to the older API's {"error": "..."}.
"""
from __future__ import annotations

from typing import Any

from flask import Response
from werkzeug.exceptions import HTTPException

from ...http.context import simulation
from ...http.errors import ApiError, first_message, json_response, validation_messages
from .codes import ERROR_CODES

VENDOR = "hiveon"
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
MAX_VIOLATIONS = 20
_HTTP_TO_NAME = {404: "not_found_route", 405: "method_not_allowed", 413: "payload_too_large", 500: "internal"}
_LOCATIONS = ("json", "query", "path", "headers", "form", "files")


def _field_violations(messages: Any, path: str = "") -> list[dict[str, str]]:
    """Nested marshmallow messages -> google.rpc.BadRequest field violations."""
    if isinstance(messages, dict):
        found = []
        for key, value in messages.items():
            if key in _LOCATIONS or key == "_schema":
                found += _field_violations(value, path)
            else:
                found += _field_violations(value, f"{path}.{key}" if path else str(key))
        return found
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [{"field": path, "description": m} for m in messages]
    if isinstance(messages, list):
        return [v for m in messages for v in _field_violations(m, path)]
    return [{"field": path, "description": str(messages)}]


def _error_shape() -> str:
    with simulation().transaction() as tx:
        return tx.settings(VENDOR)["error_shape"]


class HiveonErrors:
    def response(self, status: int, code: int, message: str, **extra: Any) -> Response:
        if _error_shape() == "legacy":
            body: dict[str, Any] = {"error": message}
        else:
            body = {"code": code, "message": message, "details": extra.get("details") or []}
        return json_response(body, status, extra.get("headers"))

    def named(self, name: str, message: str | None = None, **extra: Any) -> ApiError:
        """An ApiError for a row of ERROR_CODES."""
        entry = ERROR_CODES[name]
        return ApiError(self.response(entry.status, entry.code, message or entry.message, **extra))

    def invalid(self, messages: Any) -> ApiError:
        """400 / INVALID_ARGUMENT with the marshmallow messages as field violations."""
        entry = ERROR_CODES["invalid_argument"]
        violations = _field_violations(messages)[:MAX_VIOLATIONS]
        return ApiError(self.response(
            entry.status, entry.code, f"{entry.message}: {first_message(messages)}",
            details=[{"@type": BAD_REQUEST_TYPE, "field_violations": violations}],
        ))

    def from_http(self, exc: HTTPException) -> Response:
        status = exc.code or 500
        if status in (400, 422):  # malformed JSON or a body that fails validation
            messages = validation_messages(exc) or {"json": ["the body is not valid JSON"]}
            return self.invalid(messages).response
        entry = ERROR_CODES[_HTTP_TO_NAME.get(status, "internal")]
        headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        return self.response(entry.status, entry.code, entry.message, headers=headers)


ERRORS = HiveonErrors()
