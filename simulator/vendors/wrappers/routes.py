"""resource-service wrapper endpoints (reference section 3): parse -> model -> render."""
from __future__ import annotations

import re

from flask import request
from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError
from werkzeug.routing import BaseConverter

from ...http.blueprint import Blueprint
from ...http.context import simulation
from ...http.errors import json_response
from ...kit.docs import ErrorDocs
from . import files, model, schemas
from .codes import ERRORS
from .profiles import CODE

blp = Blueprint("wrappers", __name__, description="resource-service data wrappers")
errors = ErrorDocs(blp, always=(401, 403))  # every route needs a token, and writes the admin role
NO_SLASH_ENDPOINT = "wrappers.list_wrappers_without_slash"
REGENERATE_ENDPOINT = "wrappers.regenerate_wrapper"


class NotWord(BaseConverter):
    """A path segment other than the given words: `/files/upload` is the upload route, never the
    file `upload`, so an OPTIONS or a 405 there lists only the methods documented for that path."""

    def __init__(self, url_map, *words: str) -> None:
        super().__init__(url_map)
        self.regex = "(?!(?:" + "|".join(re.escape(word) for word in words) + ")$)[^/]+"


blp.record_once(lambda state: state.app.url_map.converters.setdefault("wrappers_not", NotWord))


class WrappersUpload(Schema):
    """The multipart form of an upload (a web concept, so it lives with the routes)."""

    file = Upload(required=True)


@blp.before_request
def _authenticate():
    with simulation().transaction() as tx:
        config, modes = tx.auth(model.VENDOR), model.modes(tx)
    if request.method == "OPTIONS":
        return  # Flask's automatic answer listing the allowed methods
    if request.endpoint == NO_SLASH_ENDPOINT and modes["list_without_slash"] == CODE:
        return  # the path belongs to the resource lookup, which needs no token
    if request.endpoint == REGENERATE_ENDPOINT and modes["regenerate"] != CODE:
        return  # the docs know no such route: a plain 404, as for any unknown path
    model.authenticate(config, modes, request.headers.get("Authorization"), request.method)


# --- wrappers --------------------------------------------------------------------------------------

@blp.post("/resources/wrappers/generate")
@blp.arguments(schemas.WrappersGenerateRequest, error_status_code=422)
@blp.response(200, description="The new wrapper")
@errors(400, 413, 503)
def generate_wrapper(body):
    with simulation().transaction() as tx:
        return json_response(model.generate_wrapper(tx, body))


@blp.get("/resources/wrappers/")
@blp.arguments(schemas.WrappersListQuery, location="query", error_status_code=422)
@blp.response(200, description="A page of wrappers")
@errors(503)
def list_wrappers(query):
    with simulation().transaction() as tx:
        return json_response(model.list_wrappers(tx, query))


@blp.get("/resources/wrappers")
@blp.response(200, description="A page of wrappers")
@errors(400, 422, 503)
def list_wrappers_without_slash():
    with simulation().transaction() as tx:
        model.list_wrappers_without_slash(tx)
        try:
            query = schemas.WrappersListQuery().load(request.args.to_dict())
        except ValidationError as exc:
            return ERRORS.invalid({"query": exc.messages})
        return json_response(model.list_wrappers(tx, query))


@blp.get("/resources/wrappers/<wrappers_not(generate):wrapper_id>")
@blp.response(200, description="The wrapper")
@errors(404, 503)
def get_wrapper(wrapper_id: str):
    with simulation().transaction() as tx:
        return json_response(model.get_wrapper(tx, wrapper_id))


@blp.post("/resources/wrappers/<wrapper_id>/execute")
@blp.response(200, description="The execution result")
@errors(400, 503)
def execute_wrapper(wrapper_id: str):
    with simulation().transaction() as tx:
        return json_response(model.execute_wrapper(tx, wrapper_id))


@blp.post("/resources/wrappers/<wrapper_id>/stop")
@blp.response(200, description="Whether the wrapper was stopped")
@errors(400, 503)
def stop_wrapper(wrapper_id: str):
    with simulation().transaction() as tx:
        return json_response(model.stop_wrapper(tx, wrapper_id))


@blp.post("/resources/wrappers/<wrapper_id>/regenerate")
@blp.response(200, description="The wrapper, back in pending")
@errors(404, 503)
def regenerate_wrapper(wrapper_id: str):
    with simulation().transaction() as tx:
        return json_response(model.regenerate_wrapper(tx, wrapper_id))


@blp.get("/resources/wrappers/<wrapper_id>/health")
@blp.response(200, description="Whether its process is live")
@errors(503)
def wrapper_health(wrapper_id: str):
    with simulation().transaction() as tx:
        return json_response(model.wrapper_health(tx, wrapper_id))


@blp.get("/resources/wrappers/<wrapper_id>/logs")
@blp.arguments(schemas.WrappersLogsQuery, location="query", error_status_code=422)
@blp.response(200, description="Its newest log lines")
@errors(503)
def wrapper_logs(query, wrapper_id: str):
    with simulation().transaction() as tx:
        return json_response(model.wrapper_logs(tx, wrapper_id, query["limit"]))


@blp.get("/resources/wrappers/<wrapper_id>/monitoring")
@blp.response(200, description="Its process's details")
@errors(503)
def wrapper_monitoring(wrapper_id: str):
    with simulation().transaction() as tx:
        return json_response(model.wrapper_monitoring(tx, wrapper_id))


# --- uploaded files -------------------------------------------------------------------------------

@blp.post("/resources/wrappers/files/upload")
@blp.arguments(WrappersUpload, location="files", error_status_code=422)
@blp.response(200, description="What the checks found")
@errors(400, 413, 503)
def upload_file(form):
    upload = form["file"]
    filename = upload.filename or ""
    model.check_upload_name(filename)
    with simulation().transaction() as tx:
        limit = model.upload_limit(tx)
    head, size = files.read_bounded(upload.stream, limit)  # outside the lock: the body may be slow
    checked = files.inspect(filename, head, size <= files.PREVIEW_BYTES)
    with simulation().transaction() as tx:
        return json_response(model.upload_file(tx, filename, size, checked))


@blp.get("/resources/wrappers/files/<wrappers_not(upload):file_id>")
@blp.response(200, description="What the checks found")
@errors(404, 503)
def get_file(file_id: str):
    with simulation().transaction() as tx:
        return json_response(model.get_file(tx, file_id))


@blp.delete("/resources/wrappers/files/<wrappers_not(upload):file_id>")
@blp.response(200, description="Deleted")
@errors(404, 503)
def delete_file(file_id: str):
    with simulation().transaction() as tx:
        return json_response(model.delete_file(tx, file_id))


# --- the linked resource --------------------------------------------------------------------------

@blp.delete("/resources/<wrappers_not(wrappers):resource_id>")
@blp.response(200, description="The resource is deleted; its wrapper stopped")
@errors(400, 404, 503)
def delete_resource(resource_id: str):
    with simulation().transaction() as tx:
        return json_response(model.delete_resource(tx, resource_id))


__all__ = ["blp"]
