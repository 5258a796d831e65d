"""resource-service wrapper endpoints (reference section 3). Handlers parse, call the engine, render."""
from __future__ import annotations

import re

from flask import request
from marshmallow import ValidationError
from werkzeug.routing import BaseConverter

from ...engine.timefmt import naive_utc
from ...http.blueprint import Blueprint
from ...http.context import simulation
from ...http.errors import json_response
from . import codes, files, rules, schemas, wrappers
from .auth import authenticate
from .errors import ERRORS, validation_items
from .ids import VENDOR
from .profiles import CODE, resolve

blp = Blueprint("wrappers", __name__, description="resource-service data wrappers")
NO_SLASH_ENDPOINT = "wrappers.list_wrappers_without_slash"
REGENERATE_ENDPOINT = "wrappers.regenerate_wrapper"


class NotWord(BaseConverter):
    """A path segment other than the given words: `/files/upload` is the upload route, never the
    file `upload`, so an OPTIONS or a 405 there lists only the methods documented for that path."""

    def __init__(self, url_map, *words: str) -> None:
        super().__init__(url_map)
        self.regex = "(?!(?:" + "|".join(re.escape(word) for word in words) + ")$)[^/]+"


blp.record_once(lambda state: state.app.url_map.converters.setdefault("wrappers_not", NotWord))


def _modes(tx) -> dict[str, str]:
    return resolve(tx.settings(VENDOR))


def _check_outage(tx, operation: str) -> None:
    if operation in tx.settings(VENDOR)["unavailable"]:
        raise ERRORS.error(503, codes.OUTAGES[operation])


@blp.before_request
def _authenticate():
    with simulation().transaction() as tx:
        config, modes = tx.auth(VENDOR), _modes(tx)
    if request.method == "OPTIONS":
        return  # Flask's automatic answer listing the allowed methods
    if request.endpoint == NO_SLASH_ENDPOINT and modes["list_without_slash"] == CODE:
        return  # the path belongs to the resource lookup, which needs no token
    if request.endpoint == REGENERATE_ENDPOINT and modes["regenerate"] != CODE:
        return  # the docs know no such route: a plain 404, as for any unknown path
    authenticate(config, modes["auth_failures"])


def _errors(*statuses: int):
    def decorate(func):
        for status in statuses:
            func = blp.alt_response(status, schema=schemas.WrappersError)(func)
        return func
    return decorate


def _wrapper_or_404(tx, wrapper_id: str):
    wrapper = tx.get(VENDOR, wrappers.KIND, wrapper_id)
    if wrapper is None:
        raise ERRORS.error(404, codes.WRAPPER_NOT_FOUND)
    return wrapper


def _execution_result(result: dict) -> dict:
    return {**result, "execution_time": naive_utc(result["execution_time"])}


# --- wrappers --------------------------------------------------------------------------------------

@blp.post("/resources/wrappers/generate")
@blp.arguments(schemas.WrappersGenerateRequest, error_status_code=422)
@blp.response(200, schemas.WrappersWrapper)
@_errors(400, 401, 403, 413, 503)
def generate_wrapper(body):
    with simulation().transaction() as tx:
        _check_outage(tx, "generate")
        wrapper = wrappers.generate(tx, body)
        return json_response(wrappers.render(wrapper, tx.now))


def _list(tx, query) -> list:
    _check_outage(tx, "list")
    found = tx.list(VENDOR, wrappers.KIND)
    end = None if query["limit"] == 0 else query["skip"] + query["limit"]  # Mongo: limit 0 = no limit
    return [wrappers.render(w, tx.now) for w in found[query["skip"]:end]]


@blp.get("/resources/wrappers/")
@blp.arguments(schemas.WrappersListQuery, location="query", error_status_code=422)
@blp.response(200, schemas.WrappersWrapper(many=True))
@_errors(401, 403, 503)
def list_wrappers(query):
    with simulation().transaction() as tx:
        return json_response(_list(tx, query))


@blp.get("/resources/wrappers")
@blp.response(200, schemas.WrappersWrapper(many=True))
@_errors(400, 401, 403, 422, 503)
def list_wrappers_without_slash():
    with simulation().transaction() as tx:
        if _modes(tx)["list_without_slash"] == CODE:
            raise ERRORS.error(400, codes.INVALID_RESOURCE_ID)
        try:
            query = schemas.WrappersListQuery().load(request.args.to_dict())
        except ValidationError as exc:
            raise ERRORS.unprocessable(validation_items({"query": exc.messages})) from None
        return json_response(_list(tx, query))


@blp.get("/resources/wrappers/<wrappers_not(generate):wrapper_id>")
@blp.response(200, schemas.WrappersWrapper)
@_errors(401, 403, 404, 503)
def get_wrapper(wrapper_id: str):
    with simulation().transaction() as tx:
        return json_response(wrappers.render(_wrapper_or_404(tx, wrapper_id), tx.now))


@blp.post("/resources/wrappers/<wrapper_id>/execute")
@blp.response(200, schemas.WrappersExecutionResult)
@_errors(400, 401, 403, 503)
def execute_wrapper(wrapper_id: str):
    with simulation().transaction() as tx:
        _check_outage(tx, "execute")
        modes = _modes(tx)
        wrapper = tx.get(VENDOR, wrappers.KIND, wrapper_id)
        if wrapper is None:
            if modes["execute_unknown"] != CODE:
                raise ERRORS.error(400, codes.EXECUTION_ERROR.format(reason=codes.WRAPPER_NOT_FOUND))
            return json_response(_execution_result(rules.unknown_execute(wrapper_id, tx.now)))
        return json_response(_execution_result(rules.execute(tx, wrapper, modes)))


@blp.post("/resources/wrappers/<wrapper_id>/stop")
@blp.response(200, schemas.WrappersStopResult)
@_errors(400, 401, 403, 503)
def stop_wrapper(wrapper_id: str):
    with simulation().transaction() as tx:
        modes = _modes(tx)
        wrapper = tx.get(VENDOR, wrappers.KIND, wrapper_id)
        if wrapper is None:
            if modes["stop_unknown"] != CODE:
                raise ERRORS.error(400, codes.STOP_ERROR.format(reason=codes.WRAPPER_NOT_FOUND))
            return json_response({"wrapper_id": wrapper_id, "success": False, "message": codes.STOP_FAILED})
        rules.stop(tx, wrapper, modes)
    return json_response({"wrapper_id": wrapper_id, "success": True, "message": codes.STOP_OK})


@blp.post("/resources/wrappers/<wrapper_id>/regenerate")
@blp.response(200, schemas.WrappersWrapper)
@_errors(401, 403, 404, 503)
def regenerate_wrapper(wrapper_id: str):
    with simulation().transaction() as tx:
        modes = _modes(tx)
        if modes["regenerate"] != CODE:
            raise ERRORS.error(404, codes.HTTP_DETAIL[404])  # the docs know no such route
        _check_outage(tx, "regenerate")
        wrapper = tx.get(VENDOR, wrappers.KIND, wrapper_id)
        if wrapper is None:
            raise ERRORS.error(404, codes.REGENERATE_NOT_FOUND.format(wrapper_id=wrapper_id))
        rules.regenerate(tx, wrapper, modes)
        return json_response(wrappers.render(wrapper, tx.now))


def _health(tx, operation: str, wrapper_id: str):
    """(wrapper or None, health_status, live) for the health and monitoring endpoints."""
    _check_outage(tx, operation)
    wrapper = tx.get(VENDOR, wrappers.KIND, wrapper_id)
    if wrapper is None:
        return None, "UNKNOWN", False
    live = rules.check_health(tx, wrapper, _modes(tx))
    return wrapper, "healthy" if live else "crashed", live


@blp.get("/resources/wrappers/<wrapper_id>/health")
@blp.response(200, schemas.WrappersHealth)
@_errors(401, 403, 503)
def wrapper_health(wrapper_id: str):
    with simulation().transaction() as tx:
        _, status, live = _health(tx, "health", wrapper_id)
    return json_response({"wrapper_id": wrapper_id, "health_status": status, "is_actively_executing": live})


@blp.get("/resources/wrappers/<wrapper_id>/logs")
@blp.arguments(schemas.WrappersLogsQuery, location="query", error_status_code=422)
@blp.response(200, schemas.WrappersLogs)
@_errors(401, 403, 503)
def wrapper_logs(query, wrapper_id: str):
    with simulation().transaction() as tx:
        wrapper = tx.get(VENDOR, wrappers.KIND, wrapper_id)
        if wrapper is None:
            lines = [codes.WRAPPER_LOG_NOT_FOUND.format(wrapper_id=wrapper_id)][:query["limit"]]
        else:
            lines = wrappers.log_lines(wrapper, tx.now, query["limit"])
    return json_response({"wrapper_id": wrapper_id, "logs": lines, "total_lines": len(lines)})


@blp.get("/resources/wrappers/<wrapper_id>/monitoring")
@blp.response(200, schemas.WrappersMonitoring)
@_errors(401, 403, 503)
def wrapper_monitoring(wrapper_id: str):
    with simulation().transaction() as tx:
        wrapper, status, _ = _health(tx, "monitoring", wrapper_id)
        if wrapper is None:
            details = {"error": codes.WRAPPER_NOT_FOUND}
        else:
            details = wrappers.monitoring_details(wrapper, tx.now)
    return json_response({"wrapper_id": wrapper_id, "health_status": status, "monitoring_details": details})


# --- uploaded files -------------------------------------------------------------------------------

@blp.post("/resources/wrappers/files/upload")
@blp.arguments(schemas.WrappersUpload, location="files", error_status_code=422)
@blp.response(200, schemas.WrappersFileInfo)
@_errors(400, 401, 403, 413, 503)
def upload_file(form):
    upload = form["file"]
    filename = upload.filename or ""
    if not filename:
        raise ERRORS.error(400, codes.NO_FILE_NAME)
    if files.extension(filename) not in codes.ALLOWED_EXTENSIONS:
        raise ERRORS.error(400, codes.BAD_EXTENSION)
    with simulation().transaction() as tx:
        limit = tx.settings(VENDOR)["max_upload_bytes"]
    try:
        head, size = files.read_bounded(upload.stream, limit)  # outside the lock: the body may be slow
    except files.UploadRefused as refused:
        raise ERRORS.error(400, refused.detail) from None
    checked = files.inspect(filename, head, size <= files.PREVIEW_BYTES)
    with simulation().transaction() as tx:
        stored = files.store(tx, filename, size, checked)
    message = codes.UPLOADED_VALID if checked["validation_status"] == "valid" else codes.UPLOADED_INVALID
    return json_response(files.render(stored, message))


def _file_or_404(tx, file_id: str):
    stored = tx.get(VENDOR, files.KIND, file_id)
    if stored is None:
        raise ERRORS.error(404, codes.FILE_NOT_FOUND)
    return stored


@blp.get("/resources/wrappers/files/<wrappers_not(upload):file_id>")
@blp.response(200, schemas.WrappersFileInfo)
@_errors(401, 403, 404, 503)
def get_file(file_id: str):
    with simulation().transaction() as tx:
        return json_response(files.render(_file_or_404(tx, file_id), codes.FILE_INFO))


@blp.delete("/resources/wrappers/files/<wrappers_not(upload):file_id>")
@blp.response(200, schemas.WrappersMessage)
@_errors(401, 403, 404, 503)
def delete_file(file_id: str):
    with simulation().transaction() as tx:
        tx.delete(VENDOR, files.KIND, _file_or_404(tx, file_id).id)
    return json_response({"message": codes.FILE_DELETED})


# --- the linked resource --------------------------------------------------------------------------

@blp.delete("/resources/<wrappers_not(wrappers):resource_id>")
@blp.response(200, schemas.WrappersResourceDeleted)
@_errors(400, 401, 403, 404, 503)
def delete_resource(resource_id: str):
    with simulation().transaction() as tx:
        return json_response(rules.delete_resource(tx, resource_id))


__all__ = ["blp"]
