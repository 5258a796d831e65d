"""Hiveon errors and failure reasons, in tables (reference sections 1, 3 and 4).

INFERRED: the vendor publishes no error schema. Errors follow gRPC-gateway: an HTTP status and a
gRPC code (google.rpc.Code). Keys are the simulator's names for each situation; change a row here
when real values turn up.
"""
from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class ErrorCode:
    status: int
    code: int
    message: str


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
}


@dataclass(frozen=True)
class FailReason:
    code: int
    message: str

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message}


# fail_reason when a failure rule or scenario entry names none, by the state the deployment
# failed from (INFERRED: the reference only gives "code 1 / image pull failed" as an example).
DEFAULT_FAIL_REASONS: dict[str, FailReason] = {
    PENDING: FailReason(1, "image pull failed"),
    RUNNING: FailReason(2, "container exited unexpectedly"),
}
