"""The service's answer texts in one place (reference sections 2-5; texts from the service's code
unless marked INFERRED)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    status: int
    detail: str


# --- authentication (reference 2, CODE) ------------------------------------------------------------
AUTH: dict[str, Failure] = {
    "missing": Failure(403, "Not authenticated"),
    "scheme": Failure(403, "Invalid authentication credentials"),
    "invalid": Failure(401, "Invalid or expired token"),
    "not_admin": Failure(403, "Admin access required"),
    "unavailable": Failure(503, "Authentication service unavailable"),
}
DOCS_AUTH_STATUS = 401  # docs profile: every auth failure is a 401 (INFERRED); 503 stays a 503

# --- handled errors ----------------------------------------------------------------------------------
WRAPPER_NOT_FOUND = "Wrapper not found"
FILE_NOT_FOUND = "File not found"
RESOURCE_NOT_FOUND = "Resource not found"
INVALID_RESOURCE_ID = "Invalid resource ID"
FILE_NOT_FOUND_FOR_GENERATE = "File not found: {file_id}"
REGENERATE_NOT_FOUND = "Wrapper {wrapper_id} not found"
STOP_ERROR = "Stop error: {reason}"
EXECUTION_ERROR = "Execution error: {reason}"

# Operations with a documented 503, and the detail each answers while the scenario marks it down.
OUTAGES: dict[str, str] = {
    "generate": "Service unavailable: wrapper generation backend unreachable",
    "list": "Database service unavailable",
    "execute": "Service unavailable: process manager unreachable",
    "regenerate": "Service unavailable: wrapper generation backend unreachable",
    "health": "Service unavailable",
    "monitoring": "Service unavailable",
}

# A create (generate, upload) beyond --max-resources: INFERRED, the service's 503 wording.
RESOURCE_LIMIT = Failure(503, "Service unavailable: resource limit reached ({limit} resources)")

# --- generic HTTP errors under /resources (FastAPI / Starlette texts) --------------------------------
HTTP_DETAIL = {
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Request body too large",  # INFERRED: the simulator's app-wide body limit
    500: "Internal Server Error",
}

# --- stop and execute (reference 4 and 5) ------------------------------------------------------------
STOP_OK = "Wrapper stopped successfully"
STOP_FAILED = "Failed to stop wrapper"
EXECUTE_STARTED = "Wrapper process started successfully in {mode} mode"
EXECUTE_DOCS_OK = "Wrapper executed successfully"  # INFERRED text of the docs' example
EXECUTE_START_FAILED = "Failed to start wrapper process"

# --- file upload (reference 3, texts from the service's file routes) -------------------------------
ALLOWED_EXTENSIONS = (".csv", ".xlsx", ".xls")
NO_FILE_NAME = "No file provided"
BAD_EXTENSION = "File type not supported. Allowed: " + ", ".join(ALLOWED_EXTENSIONS)
FILE_TOO_LARGE = "File too large. Maximum size: {megabytes}MB"
UPLOADED_VALID = "File uploaded successfully"
UPLOADED_INVALID = "File uploaded but has validation errors"
FILE_INFO = "File information retrieved successfully"
FILE_DELETED = "File deleted successfully"

# --- wrapper errors and log lines (INFERRED wording unless noted) ----------------------------------
GENERATION_FAILED = "Wrapper generation failed: the model returned no usable code"
CRASHED = "Wrapper process crashed"
RETRIES_EXHAUSTED = "Wrapper failed after {limit} auto-retry attempts"
TIMED_OUT = "Wrapper execution timed out after {seconds} seconds"
HEALTH_CRASHED = "Process crashed: no live process found during health check"
WRAPPER_LOG_NOT_FOUND = "Wrapper {wrapper_id} not found"
