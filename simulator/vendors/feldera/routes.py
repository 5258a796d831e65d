"""Feldera pipeline-manager endpoints under /v0 (reference section 4): parse, call the model, render."""
from __future__ import annotations

from flask import Response, request

from ...engine.timefmt import rfc3339
from ...http.auth import bearer_token
from ...http.blueprint import Blueprint
from ...http.context import simulation
from ...http.errors import ApiError, json_response
from . import pipelines, render, schemas
from .codes import AUTH_REASONS
from .errors import ERRORS
from .lifecycle import VENDOR

blp = Blueprint("feldera", __name__, description="Feldera pipeline manager")
E = schemas.FelderaError


@blp.before_request
def _authenticate():
    """Off unless the scenario lists keys (the server's default is no auth, reference 2)."""
    with simulation().transaction() as tx:
        keys = (tx.auth(VENDOR) or {}).get("keys")
    if not keys:
        return
    token = bearer_token()
    if token is None:
        raise _unauthorized("missing", {"WWW-Authenticate": "Bearer"})
    if token not in keys:
        raise _unauthorized("bad_api_key" if token.startswith("apikey:") else "bad_token")


def _unauthorized(reason: str, headers: dict | None = None) -> ApiError:
    # The server's 401 body has no `details` key (reference 2).
    body = {"message": AUTH_REASONS[reason], "error_code": "AuthenticationFailed"}
    return ApiError(json_response(body, 401, headers))


def _require_body() -> None:
    """A body-taking call without a body is refused, as the server's JSON extractor does."""
    if not request.get_data():
        raise ApiError(ERRORS.response(400, "BadRequest", "A JSON request body is required."))


def _generation(tx) -> str:
    return tx.settings(VENDOR)["api_generation"]


def _full(tx, p) -> dict:
    return render.pipeline(p, "all", generation=_generation(tx))


# --- platform ------------------------------------------------------------------------------------

@blp.get("/v0/config")
@blp.response(200, schemas.FelderaConfig)
@blp.alt_response(401, schema=E)
def get_config():
    with simulation().transaction() as tx:
        settings = tx.settings(VENDOR)
        version = pipelines.platform_version(tx)
    return json_response(render.config(settings["edition"], version, generation=settings["api_generation"]))


@blp.get("/v0/cluster_healthz")
@blp.response(200, schemas.FelderaHealth)
@blp.alt_response(401, schema=E)
def cluster_health():
    with simulation().transaction() as tx:
        now = rfc3339(tx.now)
    service = {"healthy": True, "message": "healthy", "unchanged_since": now, "checked_at": now}
    return json_response({"all_healthy": True, "api": service, "compiler": service, "runner": service})


# --- pipeline CRUD --------------------------------------------------------------------------------

@blp.get("/v0/pipelines")
@blp.arguments(schemas.SelectorQuery, location="query", error_status_code=400)
@blp.response(200, schemas.FelderaPipeline(many=True))
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
def list_pipelines(query):
    with simulation().transaction() as tx:
        body = [render.pipeline(p, query["selector"], generation=_generation(tx)) for p in pipelines.list_all(tx)]
    return json_response(body)


@blp.post("/v0/pipelines")
@blp.arguments(schemas.PostPutPipeline, error_status_code=400)
@blp.response(201, schemas.FelderaPipeline)
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(409, schema=E)
@blp.alt_response(413, schema=E)
def post_pipeline(body):
    with simulation().transaction() as tx:
        result = _full(tx, pipelines.create(tx, body))
    return json_response(result, 201)


@blp.get("/v0/pipelines/<pipeline_name>")
@blp.arguments(schemas.SelectorQuery, location="query", error_status_code=400)
@blp.response(200, schemas.FelderaPipeline)
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
def get_pipeline(query, pipeline_name: str):
    with simulation().transaction() as tx:
        body = render.pipeline(pipelines.require(tx, pipeline_name), query["selector"], generation=_generation(tx))
    return json_response(body)


@blp.put("/v0/pipelines/<pipeline_name>")
@blp.arguments(schemas.PostPutPipeline, error_status_code=400)
@blp.response(200, schemas.FelderaPipeline)
@blp.alt_response(201, schema=schemas.FelderaPipeline)
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(409, schema=E)
@blp.alt_response(413, schema=E)
def put_pipeline(body, pipeline_name: str):
    with simulation().transaction() as tx:
        pipeline, created = pipelines.upsert(tx, pipeline_name, body)
        result = _full(tx, pipeline)
    return json_response(result, 201 if created else 200)


@blp.patch("/v0/pipelines/<pipeline_name>")
@blp.arguments(schemas.PatchPipeline, error_status_code=400)
@blp.response(200, schemas.FelderaPipeline)
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
@blp.alt_response(409, schema=E)
@blp.alt_response(413, schema=E)
def patch_pipeline(body, pipeline_name: str):
    _require_body()
    with simulation().transaction() as tx:
        result = _full(tx, pipelines.patch(tx, pipeline_name, body))
    return json_response(result)


@blp.delete("/v0/pipelines/<pipeline_name>")
@blp.response(200, description="Deleted; the body is empty")
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
def delete_pipeline(pipeline_name: str):
    with simulation().transaction() as tx:
        pipelines.delete(tx, pipeline_name)
    response = Response(b"", status=200)
    del response.headers["Content-Type"]
    return response


# --- lifecycle ------------------------------------------------------------------------------------

@blp.post("/v0/pipelines/<pipeline_name>/start")
@blp.arguments(schemas.StartQuery, location="query", error_status_code=400)
@blp.response(202, description="Pipeline is starting")
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
@blp.alt_response(405, schema=E)
def start_pipeline(query, pipeline_name: str):
    pipelines.check_start_params(query)
    with simulation().transaction() as tx:
        body = pipelines.start(tx, pipelines.require(tx, pipeline_name), query)
    return json_response(body, 202)


@blp.post("/v0/pipelines/<pipeline_name>/stop")
@blp.arguments(schemas.StopQuery, location="query", error_status_code=400)
@blp.response(202, description="Pipeline is stopping or suspending")
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
@blp.alt_response(501, schema=E)
@blp.alt_response(503, schema=E)
def stop_pipeline(query, pipeline_name: str):
    with simulation().transaction() as tx:
        if not query["force"]:
            pipelines.enterprise_only(tx, "stop")
        body = pipelines.stop(tx, pipelines.require(tx, pipeline_name), query["force"])
    return json_response(body, 202)


def _transition(pipeline_name: str, action: str) -> Response:
    with simulation().transaction() as tx:
        body = pipelines.transition(tx, pipelines.require(tx, pipeline_name), action)
    return json_response(body, 202)


@blp.post("/v0/pipelines/<pipeline_name>/pause")
@blp.response(202, description="Pipeline transitioning to Paused")
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
@blp.alt_response(503, schema=E)
def pause_pipeline(pipeline_name: str):
    return _transition(pipeline_name, "pause")


@blp.post("/v0/pipelines/<pipeline_name>/resume")
@blp.response(202, description="Pipeline transitioning to Running")
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
@blp.alt_response(503, schema=E)
def resume_pipeline(pipeline_name: str):
    return _transition(pipeline_name, "resume")


@blp.post("/v0/pipelines/<pipeline_name>/clear")
@blp.response(202, description="Pipeline storage is being cleared")
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
def clear_storage(pipeline_name: str):
    with simulation().transaction() as tx:
        body = pipelines.clear(tx, pipelines.require(tx, pipeline_name))
    return json_response(body, 202)


@blp.post("/v0/pipelines/<pipeline_name>/dismiss_error")
@blp.response(200, description="Pipeline deployment error has been dismissed")
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
def dismiss_error(pipeline_name: str):
    with simulation().transaction() as tx:
        body = pipelines.dismiss_error(tx, pipelines.require(tx, pipeline_name))
    return json_response(body)


@blp.post("/v0/pipelines/<pipeline_name>/checkpoint")
@blp.response(200, schemas.FelderaCheckpoint)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
@blp.alt_response(501, schema=E)
@blp.alt_response(503, schema=E)
def checkpoint(pipeline_name: str):
    with simulation().transaction() as tx:
        pipelines.enterprise_only(tx, "checkpoint")
        body = pipelines.checkpoint(tx, pipelines.require(tx, pipeline_name))
    return json_response(body)


@blp.get("/v0/pipelines/<pipeline_name>/checkpoint_status")
@blp.arguments(schemas.CheckpointStatusQuery, location="query", error_status_code=400)
@blp.response(200, schemas.FelderaCheckpointStatus)
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
@blp.alt_response(503, schema=E)
def checkpoint_status(query, pipeline_name: str):
    with simulation().transaction() as tx:
        body = pipelines.checkpoint_status(tx, pipelines.require(tx, pipeline_name), query.get("incarnation_uuid"))
    return json_response(body)


@blp.get("/v0/pipelines/<pipeline_name>/stats")
@blp.response(200, schemas.FelderaStats)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
@blp.alt_response(503, schema=E)
def pipeline_stats(pipeline_name: str):
    with simulation().transaction() as tx:
        body = pipelines.stats(tx, pipelines.require(tx, pipeline_name))
    return json_response(body)


@blp.post("/v0/pipelines/<pipeline_name>/approve")
@blp.arguments(schemas.ApproveQuery, location="query", error_status_code=400)
@blp.response(200, description="Bootstrap approved")
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
@blp.alt_response(503, schema=E)
def approve(query, pipeline_name: str):
    pipelines.check_bootstrap_flags(query["silent_bootstrap"], query["concurrent_bootstrap"])
    with simulation().transaction() as tx:
        body = pipelines.approve(tx, pipelines.require(tx, pipeline_name))
    return json_response(body)


@blp.post("/v0/pipelines/<pipeline_name>/activate")
@blp.arguments(schemas.ActivateQuery, location="query", error_status_code=400)
@blp.response(202, description="Pipeline activation initiated")
@blp.alt_response(400, schema=E)
@blp.alt_response(401, schema=E)
@blp.alt_response(404, schema=E)
@blp.alt_response(501, schema=E)
@blp.alt_response(503, schema=E)
def activate(query, pipeline_name: str):
    with simulation().transaction() as tx:
        pipelines.enterprise_only(tx, "activate")
        body = pipelines.activate(tx, pipelines.require(tx, pipeline_name), query["initial"])
    return json_response(body, 202)


__all__ = ["blp"]
