"""Feldera pipeline-manager endpoints under /v0 (reference section 4): parse -> model -> render."""
from __future__ import annotations

from flask import request

from ...http.auth import bearer_token
from ...http.blueprint import Blueprint
from ...http.context import simulation
from ...http.errors import empty_response, json_response
from ...kit.docs import ErrorDocs
from ...kit.errors import VendorError
from . import model, schemas
from .codes import AUTH_REASONS
from .lifecycle import VENDOR

blp = Blueprint("feldera", __name__, description="Feldera pipeline manager")
errors = ErrorDocs(blp, always=(401,))  # every call needs the API key once the scenario lists keys
created = ErrorDocs(blp, description="The pipeline, created under the path's name")


@blp.before_request
def _authenticate():
    """Off unless the scenario lists keys (the server's default is no auth, reference 2)."""
    keys = (simulation().auth.get(VENDOR) or {}).get("keys")
    if not keys:
        return
    token = bearer_token()
    if token is None:
        raise VendorError("AuthenticationFailed", AUTH_REASONS["missing"], headers={"WWW-Authenticate": "Bearer"})
    if token not in keys:
        raise VendorError("AuthenticationFailed", AUTH_REASONS["bad_api_key" if token.startswith("apikey:")
                                                               else "bad_token"])


def _require_body() -> None:
    """A body-taking call without a body is refused, as the server's JSON extractor does."""
    if not request.get_data():
        raise VendorError("BadRequest", "A JSON request body is required.")


# --- platform ------------------------------------------------------------------------------------

@blp.get("/v0/config")
@blp.response(200, description="The platform's configuration")
@errors()
def get_config():
    with simulation().transaction() as tx:
        return json_response(model.get_config(tx))


@blp.get("/v0/cluster_healthz")
@blp.response(200, description="The health of the platform's services")
@errors()
def cluster_health():
    with simulation().transaction() as tx:
        return json_response(model.get_cluster_health(tx))


# --- pipeline CRUD --------------------------------------------------------------------------------

@blp.get("/v0/pipelines")
@blp.arguments(schemas.SelectorQuery, location="query", error_status_code=400)
@blp.response(200, description="The pipelines")
@errors(400)
def list_pipelines(query):
    with simulation().transaction() as tx:
        return json_response(model.list_pipelines(tx, query["selector"]))


@blp.post("/v0/pipelines")
@blp.arguments(schemas.PostPutPipeline, error_status_code=400)
@blp.response(201, description="The pipeline, created")
@errors(400, 409, 413)
def post_pipeline(body):
    with simulation().transaction() as tx:
        return json_response(model.post_pipeline(tx, body), 201)


@blp.get("/v0/pipelines/<pipeline_name>")
@blp.arguments(schemas.SelectorQuery, location="query", error_status_code=400)
@blp.response(200, description="The pipeline")
@errors(400, 404)
def get_pipeline(query, pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.get_pipeline(tx, pipeline_name, query["selector"]))


@blp.put("/v0/pipelines/<pipeline_name>")
@blp.arguments(schemas.PostPutPipeline, error_status_code=400)
@blp.response(200, description="The pipeline, replaced")
@created(201)
@errors(400, 409, 413)
def put_pipeline(body, pipeline_name: str):
    with simulation().transaction() as tx:
        pipeline, is_new = model.put_pipeline(tx, pipeline_name, body)
    return json_response(pipeline, 201 if is_new else 200)


@blp.patch("/v0/pipelines/<pipeline_name>")
@blp.arguments(schemas.PatchPipeline, error_status_code=400)
@blp.response(200, description="The pipeline, edited")
@errors(400, 404, 409, 413)
def patch_pipeline(body, pipeline_name: str):
    _require_body()
    with simulation().transaction() as tx:
        return json_response(model.patch_pipeline(tx, pipeline_name, body))


@blp.delete("/v0/pipelines/<pipeline_name>")
@blp.response(200, description="Deleted; the body is empty")
@errors(400, 404)
def delete_pipeline(pipeline_name: str):
    with simulation().transaction() as tx:
        model.delete_pipeline(tx, pipeline_name)
    return empty_response()


# --- lifecycle ------------------------------------------------------------------------------------

@blp.post("/v0/pipelines/<pipeline_name>/start")
@blp.arguments(schemas.StartQuery, location="query", error_status_code=400)
@blp.response(202, description="Pipeline is starting")
@errors(400, 404, 405)
def start_pipeline(query, pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.start_pipeline(tx, pipeline_name, query), 202)


@blp.post("/v0/pipelines/<pipeline_name>/stop")
@blp.arguments(schemas.StopQuery, location="query", error_status_code=400)
@blp.response(202, description="Pipeline is stopping or suspending")
@errors(400, 404, 501, 503)
def stop_pipeline(query, pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.stop_pipeline(tx, pipeline_name, query["force"]), 202)


@blp.post("/v0/pipelines/<pipeline_name>/pause")
@blp.response(202, description="Pipeline transitioning to Paused")
@errors(400, 404, 503)
def pause_pipeline(pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.pause_pipeline(tx, pipeline_name), 202)


@blp.post("/v0/pipelines/<pipeline_name>/resume")
@blp.response(202, description="Pipeline transitioning to Running")
@errors(400, 404, 503)
def resume_pipeline(pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.resume_pipeline(tx, pipeline_name), 202)


@blp.post("/v0/pipelines/<pipeline_name>/clear")
@blp.response(202, description="Pipeline storage is being cleared")
@errors(400, 404)
def clear_storage(pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.clear_storage(tx, pipeline_name), 202)


@blp.post("/v0/pipelines/<pipeline_name>/dismiss_error")
@blp.response(200, description="Pipeline deployment error has been dismissed")
@errors(400, 404)
def dismiss_error(pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.dismiss_error(tx, pipeline_name))


@blp.post("/v0/pipelines/<pipeline_name>/checkpoint")
@blp.response(200, description="The checkpoint's sequence number")
@errors(404, 501, 503)
def checkpoint(pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.checkpoint_pipeline(tx, pipeline_name))


@blp.get("/v0/pipelines/<pipeline_name>/checkpoint_status")
@blp.arguments(schemas.CheckpointStatusQuery, location="query", error_status_code=400)
@blp.response(200, description="The latest checkpoint's success or failure")
@errors(400, 404, 503)
def checkpoint_status(query, pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.get_checkpoint_status(tx, pipeline_name, query.get("incarnation_uuid")))


@blp.get("/v0/pipelines/<pipeline_name>/stats")
@blp.response(200, description="The pipeline's metrics")
@errors(404, 503)
def pipeline_stats(pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.get_pipeline_stats(tx, pipeline_name))


@blp.post("/v0/pipelines/<pipeline_name>/approve")
@blp.arguments(schemas.ApproveQuery, location="query", error_status_code=400)
@blp.response(200, description="Bootstrap approved")
@errors(400, 404, 503)
def approve(query, pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.approve_pipeline(tx, pipeline_name, query))


@blp.post("/v0/pipelines/<pipeline_name>/activate")
@blp.arguments(schemas.ActivateQuery, location="query", error_status_code=400)
@blp.response(202, description="Pipeline activation initiated")
@errors(400, 404, 501, 503)
def activate(query, pipeline_name: str):
    with simulation().transaction() as tx:
        return json_response(model.activate_pipeline(tx, pipeline_name, query["initial"]), 202)


__all__ = ["blp"]
