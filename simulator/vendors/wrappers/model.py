"""The service's operations on the engine: one function per operationId, no Flask. Refusals are
VendorErrors naming a row of codes.ERROR_CODES; the lifecycle table (lifecycle.py) holds every
state rule, given the caller's docs/code reading (profiles.py) as the action's params.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping
from typing import Any

from ...engine import LifecycleError, Resource, Transaction
from ...kit.errors import VendorError
from . import codes, feed, files, redact, render
from .codes import AUTH, PER_DOCS, UNAVAILABLE
from .lifecycle import COMPLETED, EXECUTING, RETRY_LIMIT, execution_result
from .profiles import CODE, is_code, resolve
from .schemas import FEED_DEFAULTS

VENDOR = "wrappers"
WRAPPER = "wrapper"
FILE = "file"
CRASH_AFTER = 30.0  # INFERRED: a crash fault's default run time before each crash


# --- identifiers (reference section 8) ---------------------------------------------------------------
# Lower-case UUIDv4 for wrappers and files, an ObjectId for resources, from per-kind counters, so a
# run of the same requests after a reset gets the same ids.
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
_OBJECT_ID = re.compile(r"^[0-9a-fA-F]{24}$")


def new_uuid(tx: Transaction, kind: str) -> str:
    number = tx.next_id(VENDOR, kind)
    digest = hashlib.sha256(f"{VENDOR}:{kind}:{number}".encode()).digest()[:16]
    return str(uuid.UUID(bytes=digest, version=4))


def new_object_id(tx: Transaction) -> str:
    """24 hex digits like a MongoDB ObjectId: creation second, then a counter."""
    return f"{int(tx.now) & 0xFFFFFFFF:08x}{tx.next_id(VENDOR, 'resource'):016x}"


# --- authentication (reference 2) ----------------------------------------------------------------------
# Bearer tokens mapped to roles: reads need any valid token, writes the `admin` role. The scenario's
# `auth.wrappers.tokens` maps token -> roles; without it any non-empty bearer token acts as an admin.
# Tokens are compared, never stored in a resource or echoed.
ADMIN = "admin"
READ_METHODS = ("GET", "HEAD")  # every other call of this API is an admin route


def auth_failure(header: str | None, config: Mapping[str, Any], need_admin: bool) -> str | None:
    """The codes.AUTH row that refuses the call, or None. Follows FastAPI's HTTPBearer."""
    scheme, _, token = (header or "").partition(" ")
    if not (header and scheme and token):
        return "auth_missing"
    if scheme.lower() != "bearer":
        return "auth_scheme"
    if config.get("provider_down"):
        return "auth_unavailable"
    tokens = config.get("tokens")
    if tokens is None:
        roles: list[str] = [ADMIN]
    elif token not in tokens:
        return "auth_invalid"
    else:
        roles = tokens[token]
    if need_admin and ADMIN not in roles:
        return "auth_not_admin"
    return None


def authenticate(config: Mapping[str, Any] | None, modes: Mapping[str, str], header: str | None, method: str) -> None:
    name = auth_failure(header, config or {}, method not in READ_METHODS)
    if name is None:
        return
    if modes["auth_failures"] != CODE and AUTH[name].status != 503:
        name += PER_DOCS
    status = codes.ERROR_CODES[name].status
    raise VendorError(name, headers={"WWW-Authenticate": "Bearer"} if status == 401 else None)


# --- shared steps ----------------------------------------------------------------------------------------

def modes(tx: Transaction) -> dict[str, str]:
    return resolve(tx.settings(VENDOR))


def check_outage(tx: Transaction, operation: str) -> None:
    if operation in tx.settings(VENDOR)["unavailable"]:
        raise VendorError(UNAVAILABLE.format(operation))


def resources(tx: Transaction) -> dict[str, str | None]:
    """resource_id -> wrapper_id of the linked resources (reference 3.1 auto_create_resource)."""
    return tx.index(VENDOR, "resources")


def link_resource(tx: Transaction, resource_id: str | None, wrapper_id: str) -> None:
    if resource_id is not None:
        resources(tx)[resource_id] = wrapper_id


def new_fields(tx: Transaction, source_type: str, metadata: dict, config: dict, resource_id: str | None,
               fault: dict | None, feed_overrides: Mapping[str, Any]) -> dict[str, Any]:
    """A new wrapper's fields: nothing generated, run or counted yet."""
    settings = tx.settings(VENDOR)
    return {
        "source_type": source_type,
        "metadata": metadata,
        "source_config": redact.config(config),
        "resource_id": resource_id,
        "feed": {**FEED_DEFAULTS, **settings["feed"], **feed_overrides},
        "fault": fault,
        "retry_limit": RETRY_LIMIT if is_code(settings, "retrying") else 0,
        "stop_error": None,
        "generated": False,
        "retry_count": 0,
        "crashes": 0,
        "error_message": None,
        "completed_at": None,
        "execution_result": None,
        "last_health_check": None,
        "log": [],
        "totals": feed.empty_totals(),
        "origin": None,
        "process": None,
    }


def fault_timing(fault: Mapping[str, Any] | None) -> dict[str, float]:
    """A scenario fault's durations: how long each process runs before it crashes, the one-shot timeout."""
    if not fault:
        return {}
    if fault["kind"] == "crash":
        return {EXECUTING: fault.get("after", CRASH_AFTER)}
    if fault["kind"] == "timeout" and "after" in fault:
        return {COMPLETED: fault["after"]}
    return {}


def _wrapper_or_404(tx: Transaction, wrapper_id: str) -> Resource:
    wrapper = tx.get(VENDOR, WRAPPER, wrapper_id)
    if wrapper is None:
        raise VendorError("wrapper_not_found")
    return wrapper


def _file_or_404(tx: Transaction, file_id: str) -> Resource:
    stored = tx.get(VENDOR, FILE, file_id)
    if stored is None:
        raise VendorError("file_not_found")
    return stored


# --- wrappers (reference 3-6) ------------------------------------------------------------------------------

def generate_wrapper(tx: Transaction, body: dict[str, Any]) -> dict[str, Any]:
    """POST /generate: a new wrapper in `pending` (its resource created at once if asked)."""
    check_outage(tx, "generate")
    source_type, config = body["source_type"], dict(body["source_config"])
    if source_type != "API":
        upload = tx.get(VENDOR, FILE, config["file_id"])
        if upload is None:
            raise VendorError("generate_file_not_found", file_id=config["file_id"])
        config["location"] = f"/app/uploads/{upload.id}/{upload.fields['filename']}"
    wrapper_id = new_uuid(tx, WRAPPER)
    resource_id = new_object_id(tx) if body["auto_create_resource"] else None
    fault = tx.settings(VENDOR)["fault"]
    fields = new_fields(tx, source_type, body["metadata"], config, resource_id, fault, {})
    wrapper = tx.create(VENDOR, WRAPPER, wrapper_id, fields=fields, timing=fault_timing(fault))
    link_resource(tx, resource_id, wrapper_id)
    return render.wrapper(wrapper, tx.now)


def list_wrappers(tx: Transaction, query: Mapping[str, int]) -> list[dict[str, Any]]:
    check_outage(tx, "list")
    found = tx.list(VENDOR, WRAPPER)
    end = None if query["limit"] == 0 else query["skip"] + query["limit"]  # Mongo: limit 0 = no limit
    return [render.wrapper(w, tx.now) for w in found[query["skip"]:end]]


def list_wrappers_without_slash(tx: Transaction) -> None:
    """In the code reading the path is the resource lookup's, which refuses `wrappers` as an id;
    otherwise the route lists wrappers (list_wrappers) once it has read the query."""
    if modes(tx)["list_without_slash"] == CODE:
        raise VendorError("invalid_resource_id")


def get_wrapper(tx: Transaction, wrapper_id: str) -> dict[str, Any]:
    return render.wrapper(_wrapper_or_404(tx, wrapper_id), tx.now)


def execute_wrapper(tx: Transaction, wrapper_id: str) -> dict[str, Any]:
    """Start the process again (reference 5); the answer is the wrapper's new `execution_result`."""
    check_outage(tx, "execute")
    reading = modes(tx)
    wrapper = tx.get(VENDOR, WRAPPER, wrapper_id)
    if wrapper is None:
        if reading["execute_unknown"] != CODE:
            raise VendorError("execution_error", reason=codes.WRAPPER_NOT_FOUND)
        return render.execution_result(execution_result(wrapper_id, tx.now, False, codes.WRAPPER_NOT_FOUND, None))
    tx.act(wrapper, "execute", reading)
    return render.execution_result(wrapper.fields["execution_result"])


def stop_wrapper(tx: Transaction, wrapper_id: str) -> dict[str, Any]:
    """Idempotent: only a live process is stopped (a scenario's `stop_error` refuses every stop)."""
    reading = modes(tx)
    wrapper = tx.get(VENDOR, WRAPPER, wrapper_id)
    if wrapper is None:
        if reading["stop_unknown"] != CODE:
            raise VendorError("stop_error", reason=codes.WRAPPER_NOT_FOUND)
        return render.stop_result(wrapper_id, False, codes.STOP_FAILED)
    try:
        tx.act(wrapper, "stop", reading)
    except LifecycleError:  # the table's Reject("stop_error"): the row wants the scenario's reason
        raise VendorError("stop_error", reason=wrapper.fields["stop_error"]) from None
    return render.stop_result(wrapper_id, True, codes.STOP_OK)


def regenerate_wrapper(tx: Transaction, wrapper_id: str) -> dict[str, Any]:
    """Back to `pending` with everything generated or counted since cleared, then the create flow."""
    reading = modes(tx)
    if reading["regenerate"] != CODE:
        raise VendorError("not_found")  # the docs know no such route
    check_outage(tx, "regenerate")
    wrapper = tx.get(VENDOR, WRAPPER, wrapper_id)
    if wrapper is None:
        raise VendorError("regenerate_not_found", wrapper_id=wrapper_id)
    tx.act(wrapper, "regenerate", reading)
    return render.wrapper(wrapper, tx.now)


def _health(tx: Transaction, operation: str, wrapper_id: str) -> tuple[Resource | None, str, bool]:
    """(wrapper or None, health_status, live). In the code reading, asking flips a wrapper that
    claims to run but has no live process to error."""
    check_outage(tx, operation)
    wrapper = tx.get(VENDOR, WRAPPER, wrapper_id)
    if wrapper is None:
        return None, "UNKNOWN", False
    wrapper.fields["last_health_check"] = tx.now
    live = feed.alive(wrapper.fields, tx.now)
    tx.act(wrapper, "health_check", modes(tx), cause="health check")
    return wrapper, "healthy" if live else "crashed", live


def wrapper_health(tx: Transaction, wrapper_id: str) -> dict[str, Any]:
    _, status, live = _health(tx, "health", wrapper_id)
    return render.health(wrapper_id, status, live)


def wrapper_logs(tx: Transaction, wrapper_id: str, limit: int) -> dict[str, Any]:
    wrapper = tx.get(VENDOR, WRAPPER, wrapper_id)
    if wrapper is None:
        lines = [codes.WRAPPER_LOG_NOT_FOUND.format(wrapper_id=wrapper_id)][:limit]
    else:
        lines = render.log_lines(wrapper, tx.now, limit)
    return render.logs(wrapper_id, lines)


def wrapper_monitoring(tx: Transaction, wrapper_id: str) -> dict[str, Any]:
    wrapper, status, _ = _health(tx, "monitoring", wrapper_id)
    details = {"error": codes.WRAPPER_NOT_FOUND} if wrapper is None else render.monitoring_details(wrapper, tx.now)
    return render.monitoring(wrapper_id, status, details)


# --- uploaded files (reference 3.3) ------------------------------------------------------------------------

def check_upload_name(filename: str) -> None:
    if not filename:
        raise VendorError("no_file_name")
    if files.extension(filename) not in codes.ALLOWED_EXTENSIONS:
        raise VendorError("bad_extension")


def upload_limit(tx: Transaction) -> int:
    return tx.settings(VENDOR)["max_upload_bytes"]


def store_file(tx: Transaction, filename: str, size: int, checked: dict[str, Any], file_id: str | None = None,
               cause: str = "uploaded") -> Resource:
    fields = {"filename": filename, "file_size": size, **checked}
    return tx.create(VENDOR, FILE, file_id or new_uuid(tx, FILE), fields=fields, cause=cause)


def upload_file(tx: Transaction, filename: str, size: int, checked: dict[str, Any]) -> dict[str, Any]:
    """Only what the checks found is kept (files.py): the content was read outside the transaction."""
    stored = store_file(tx, filename, size, checked)
    valid = checked["validation_status"] == "valid"
    return render.file_info(stored, codes.UPLOADED_VALID if valid else codes.UPLOADED_INVALID)


def get_file(tx: Transaction, file_id: str) -> dict[str, Any]:
    return render.file_info(_file_or_404(tx, file_id), codes.FILE_INFO)


def delete_file(tx: Transaction, file_id: str) -> dict[str, Any]:
    tx.delete(VENDOR, FILE, _file_or_404(tx, file_id).id)
    return render.message(codes.FILE_DELETED)


# --- the linked resource --------------------------------------------------------------------------------

def delete_resource(tx: Transaction, resource_id: str) -> dict[str, Any]:
    """DELETE /resources/{id}: the linked wrapper's process is killed and it shows `stopped`."""
    if not _OBJECT_ID.match(resource_id):
        raise VendorError("invalid_resource_id")
    linked = resources(tx)
    key = resource_id.lower()
    if key not in linked:
        raise VendorError("resource_not_found")
    wrapper = tx.get(VENDOR, WRAPPER, linked.pop(key) or "")
    if wrapper is not None:
        tx.act(wrapper, "resource_deleted", cause="resource deleted")
    return render.resource_deleted(key)
