"""The service's answer texts in one table (reference sections 2-5; texts from the service's code
unless marked INFERRED), and its error envelope: FastAPI's `{"detail": "..."}`.

Validation answers look like pydantic v2 behind FastAPI: `{"detail": [{type, loc, msg, input}]}`
with `loc` starting at "body", "query" or "path"; marshmallow's messages are translated here.
FastAPI answers have no error code: the rows' `code` is empty.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import request

from ...kit.codes import ErrorCode
from ...kit.envelope import Envelope
from ...kit.messages import walk
from . import redact

# --- authentication (reference 2): the code reading's statuses -----------------------------------
AUTH: dict[str, ErrorCode] = {
    "auth_missing": ErrorCode(403, "", "Not authenticated"),
    "auth_scheme": ErrorCode(403, "", "Invalid authentication credentials"),
    "auth_invalid": ErrorCode(401, "", "Invalid or expired token"),
    "auth_not_admin": ErrorCode(403, "", "Admin access required"),
    "auth_unavailable": ErrorCode(503, "", "Authentication service unavailable"),
}
PER_DOCS = "_per_docs"  # the docs reading: every auth failure is a 401 (INFERRED); a 503 stays a 503
AUTH_PER_DOCS = {name + PER_DOCS: ErrorCode(401, row.code, row.message)
                 for name, row in AUTH.items() if row.status != 503}

# Operations with a documented 503, and the detail each answers while the scenario marks it down.
OUTAGES: dict[str, str] = {
    "generate": "Service unavailable: wrapper generation backend unreachable",
    "list": "Database service unavailable",
    "execute": "Service unavailable: process manager unreachable",
    "regenerate": "Service unavailable: wrapper generation backend unreachable",
    "health": "Service unavailable",
    "monitoring": "Service unavailable",
}
UNAVAILABLE = "{}_unavailable"  # the row of an operation's outage
ALLOWED_EXTENSIONS = (".csv", ".xlsx", ".xls")  # what an upload may be

ERROR_CODES: dict[str, ErrorCode] = {
    **AUTH,
    **AUTH_PER_DOCS,
    **{UNAVAILABLE.format(op): ErrorCode(503, "", text) for op, text in OUTAGES.items()},
    "wrapper_not_found": ErrorCode(404, "", "Wrapper not found"),
    "file_not_found": ErrorCode(404, "", "File not found"),
    "resource_not_found": ErrorCode(404, "", "Resource not found"),
    "invalid_resource_id": ErrorCode(400, "", "Invalid resource ID"),
    "generate_file_not_found": ErrorCode(400, "", "File not found: {file_id}"),
    "regenerate_not_found": ErrorCode(404, "", "Wrapper {wrapper_id} not found"),
    "stop_error": ErrorCode(400, "", "Stop error: {reason}"),
    "execution_error": ErrorCode(400, "", "Execution error: {reason}"),
    # uploads (reference 3.3, texts from the service's file routes)
    "no_file_name": ErrorCode(400, "", "No file provided"),
    "bad_extension": ErrorCode(400, "", "File type not supported. Allowed: " + ", ".join(ALLOWED_EXTENSIONS)),
    "file_too_large": ErrorCode(400, "", "File too large. Maximum size: {megabytes}MB"),
    # A create (generate, upload) beyond --max-resources: INFERRED, the service's 503 wording.
    "resource_limit": ErrorCode(503, "", "Service unavailable: resource limit reached ({limit} resources)"),
    # A body or query that fails validation: the detail is the list of pydantic-style items.
    "validation_failed": ErrorCode(422, "", "Unprocessable Entity"),
    # generic HTTP errors under /resources (FastAPI / Starlette texts)
    "not_found": ErrorCode(404, "", "Not Found"),
    "method_not_allowed": ErrorCode(405, "", "Method Not Allowed"),
    "payload_too_large": ErrorCode(413, "", "Request body too large"),  # INFERRED: the app-wide body limit
    "internal_error": ErrorCode(500, "", "Internal Server Error"),
}

# --- texts of successful answers, results and log lines ------------------------------------------
WRAPPER_NOT_FOUND = ERROR_CODES["wrapper_not_found"].message  # also a reason, a result and a detail
STOP_OK = "Wrapper stopped successfully"
STOP_FAILED = "Failed to stop wrapper"
EXECUTE_STARTED = "Wrapper process started successfully in {mode} mode"
EXECUTE_DOCS_OK = "Wrapper executed successfully"  # INFERRED text of the docs' example
EXECUTE_START_FAILED = "Failed to start wrapper process"
UPLOADED_VALID = "File uploaded successfully"
UPLOADED_INVALID = "File uploaded but has validation errors"
FILE_INFO = "File information retrieved successfully"
FILE_DELETED = "File deleted successfully"
WRAPPER_LOG_NOT_FOUND = "Wrapper {wrapper_id} not found"

# --- a wrapper's error_message and log lines (INFERRED wording) ------------------------------------
GENERATION_FAILED = "Wrapper generation failed: the model returned no usable code"
CRASHED = "Wrapper process crashed"
RETRIES_EXHAUSTED = "Wrapper failed after {limit} auto-retry attempts"
TIMED_OUT = "Wrapper execution timed out after {seconds} seconds"
HEALTH_CRASHED = "Process crashed: no live process found during health check"


# --- validation items ------------------------------------------------------------------------------
# marshmallow's default messages -> (pydantic type, pydantic msg). Messages written in the schemas
# as "type|msg" carry their own type.
_PYDANTIC = {
    "Missing data for required field.": ("missing", "Field required"),
    "Field may not be null.": ("none_forbidden", "Input should not be None"),
    "Not a valid string.": ("string_type", "Input should be a valid string"),
    "Not a valid boolean.": ("bool_type", "Input should be a valid boolean"),
    "Not a valid number.": ("float_type", "Input should be a valid number"),
    "Not a valid list.": ("list_type", "Input should be a valid list"),
    "Not a valid mapping type.": ("dict_type", "Input should be a valid dictionary"),
    "Invalid input type.": ("model_attributes_type",
                            "Input should be a valid dictionary or object to extract fields from"),
}
_INTEGER = {
    "body": ("int_type", "Input should be a valid integer"),
    "query": ("int_parsing", "Input should be a valid integer, unable to parse string as an integer"),
}
_LOCATIONS = {"json": "body", "form": "body", "files": "body", "query": "query", "view_args": "path",
              "path": "path", "headers": "header"}
_TAGGED = re.compile(r"^([a-z_]+)\|(.*)$", re.S)
_MISSING = object()
_JSON_INVALID = {"type": "json_invalid", "loc": ["body", 0], "msg": "JSON decode error", "input": {},
                 "ctx": {"error": "Expecting value"}}


def _type_and_msg(message: str, location: str) -> tuple[str, str]:
    tagged = _TAGGED.match(message)
    if tagged:
        return tagged.group(1), tagged.group(2)
    if message == "Not a valid integer.":
        return _INTEGER.get(location, _INTEGER["body"])
    return _PYDANTIC.get(message, ("value_error", message))


def _raw_input(location: str) -> Any:
    if location == "body":
        if request.mimetype == "multipart/form-data":
            return None  # FastAPI shows no input for a missing form part
        return request.get_json(silent=True)
    if location == "query":
        return request.args.to_dict()
    return request.view_args or {}


def _value_at(value: Any, path: tuple) -> Any:
    for part in path:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return _MISSING
    return value


def validation_items(messages: Mapping[str, Any]) -> list[dict[str, Any]]:
    """webargs' {location: messages} -> pydantic-style error items, with the request's input."""
    items, raw = [], {}
    for where, path, message in walk(messages):
        location = _LOCATIONS.get(where, where) if where else "body"
        if location not in raw:
            raw[location] = _raw_input(location)
        kind, msg = _type_and_msg(message, location)
        at = path[:-1] if kind == "missing" else path
        value = _value_at(raw[location], at)
        items.append({"type": kind, "loc": [location, *path], "msg": msg,
                      "input": None if value is _MISSING else redact.value_at(value, list(at))})
    return items


class WrappersErrors(Envelope):
    vendor = "wrappers"
    codes = ERROR_CODES
    http_codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 500: "internal_error"}
    invalid_code = "validation_failed"

    def body(self, status: int, code: Any, message: str, details: Any, settings: Mapping[str, Any]) -> Any:
        return {"detail": message if details is None else details}

    def invalid(self, messages: Mapping[str, Any]):
        """webargs: malformed JSON (no messages, or its one body message) or a failed validation."""
        if not messages or messages.get("json") == ["Invalid JSON body."]:
            return self.error(self.invalid_code, details=[dict(_JSON_INVALID)])
        return self.error(self.invalid_code, details=validation_items(messages))


ERRORS = WrappersErrors()
