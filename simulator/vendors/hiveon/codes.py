"""Hiveon errors and failure reasons, in one table, and its error envelope (reference sections 1, 3, 4).

INFERRED: the vendor publishes no error schema. Errors follow gRPC-gateway: an HTTP status and a
gRPC code (google.rpc.Code) in {"code": <int>, "message": "...", "details": [...]};
`settings.hiveon.error_shape: legacy` switches to the older API's {"error": "..."}. Keys are the
simulator's names for each situation; change a row here when real values turn up.
"""
from __future__ import annotations

from collections.abc import Mapping
from itertools import islice
from typing import Any

from ...kit.codes import ErrorCode
from ...kit.envelope import Envelope
from ...kit.messages import dotted, first_message, walk
from .lifecycle import PENDING, RUNNING

# google.rpc.Code values used below
INVALID_ARGUMENT = 3
NOT_FOUND = 5
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
UNIMPLEMENTED = 12
INTERNAL = 13
UNAUTHENTICATED = 16

ERROR_CODES: dict[str, ErrorCode] = {
    "invalid_argument": ErrorCode(400, INVALID_ARGUMENT, "invalid argument"),
    "duplicate_external_id": ErrorCode(
        400, INVALID_ARGUMENT, "a deployment with this external_deployment_id already exists"),
    "not_running": ErrorCode(400, FAILED_PRECONDITION, "deployment is not running"),
    "unauthenticated": ErrorCode(401, UNAUTHENTICATED, "missing or invalid API key"),
    "permission_denied": ErrorCode(403, PERMISSION_DENIED, "the API key lacks the role for this call"),
    "deployment_not_found": ErrorCode(404, NOT_FOUND, "deployment not found"),
    "machine_not_found": ErrorCode(404, NOT_FOUND, "machine not found"),
    "price_not_found": ErrorCode(404, NOT_FOUND, "machine price not found"),
    "not_found_route": ErrorCode(404, NOT_FOUND, "Not Found"),
    "method_not_allowed": ErrorCode(405, UNIMPLEMENTED, "Method Not Allowed"),
    "payload_too_large": ErrorCode(413, RESOURCE_EXHAUSTED, "request body too large"),
    # A start beyond --max-resources: gRPC RESOURCE_EXHAUSTED, which grpc-gateway answers as 429.
    "deployment_limit": ErrorCode(429, RESOURCE_EXHAUSTED, "deployment limit reached ({limit} resources)"),
    "internal": ErrorCode(500, INTERNAL, "internal error"),
    # A failed deployment's fail_reason {code, message} when a failure rule or scenario entry names
    # none (INFERRED: the reference only gives "code 1 / image pull failed" as an example).
    "image_pull_failed": ErrorCode(None, 1, "image pull failed"),
    "container_exited": ErrorCode(None, 2, "container exited unexpectedly"),
}

# The default fail_reason row by the state the deployment failed from.
DEFAULT_FAIL_REASONS: dict[str, str] = {PENDING: "image_pull_failed", RUNNING: "container_exited"}

BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
MAX_VIOLATIONS = 20
NOT_JSON = "the body is not valid JSON"


def field_violations(messages: Any, limit: int = MAX_VIOLATIONS) -> list[dict[str, str]]:
    """Marshmallow messages -> google.rpc.BadRequest field violations (field path dotted), the first `limit`."""
    return [{"field": dotted(path), "description": text} for _location, path, text in islice(walk(messages), limit)]


class HiveonErrors(Envelope):
    vendor = "hiveon"
    codes = ERROR_CODES
    http_codes = {404: "not_found_route", 405: "method_not_allowed", 413: "payload_too_large", 500: "internal"}
    invalid_code = "invalid_argument"

    def body(self, status: int, code: Any, message: str, details: Any, settings: Mapping[str, Any]) -> Any:
        if settings["error_shape"] == "legacy":
            return {"error": message}
        return {"code": code, "message": message, "details": details or []}

    def invalid(self, messages):
        """400 / INVALID_ARGUMENT with the messages as field violations (at most MAX_VIOLATIONS)."""
        messages = messages or {"json": [NOT_JSON]}
        row = ERROR_CODES["invalid_argument"]
        details = [{"@type": BAD_REQUEST_TYPE, "field_violations": field_violations(messages)}]
        return self.error("invalid_argument", f"{row.message}: {first_message(messages)}", details=details)


ERRORS = HiveonErrors()
