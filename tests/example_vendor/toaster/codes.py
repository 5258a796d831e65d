"""The toaster's error codes, in one table, and its envelope: {"error": {"code", "message"}}."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.kit.codes import ErrorCode
from simulator.kit.envelope import Envelope

ERROR_CODES: dict[str, ErrorCode] = {
    "unauthorized": ErrorCode(401, "UNAUTHENTICATED", "A bearer key is missing or unknown."),
    "invalid_request": ErrorCode(400, "INVALID_REQUEST", "The request is not valid."),
    "toast_not_found": ErrorCode(404, "TOAST_NOT_FOUND", "No toast with id {id}."),
    # Named by the lifecycle's Reject: a table's refusal carries no parameters, so no {placeholders}.
    "already_done": ErrorCode(409, "ALREADY_DONE", "The toast is done already."),
    "toaster_full": ErrorCode(409, "TOASTER_FULL", "The toaster holds at most {limit} toasts."),
    "not_found_route": ErrorCode(404, "NOT_FOUND", "No such endpoint."),
    "method_not_allowed": ErrorCode(405, "METHOD_NOT_ALLOWED", "Method not allowed on this endpoint."),
    "payload_too_large": ErrorCode(413, "PAYLOAD_TOO_LARGE", "The request body is too large."),
    "internal_error": ErrorCode(500, "INTERNAL", "Unexpected error."),
}


class ToasterErrors(Envelope):
    vendor = "toaster"
    codes = ERROR_CODES
    http_codes = {404: "not_found_route", 405: "method_not_allowed", 413: "payload_too_large", 500: "internal_error"}
    invalid_code = "invalid_request"

    def body(self, status: int, code: Any, message: str, details: Any, settings: Mapping[str, Any]) -> Any:
        return {"error": {"code": code, "message": message}}


ERRORS = ToasterErrors()
