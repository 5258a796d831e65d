"""TwelveLabs batch endpoints under /v1.3 (reference section 3): parse -> model -> render."""
from __future__ import annotations

from flask import Response

from ...http.auth import header_value, key_accepted
from ...http.blueprint import Blueprint
from ...http.context import simulation
from ...http.errors import empty_response, json_response
from ...kit.docs import ErrorDocs
from ...kit.errors import VendorError
from . import model, schemas

blp = Blueprint("twelvelabs", __name__, description="TwelveLabs batch analysis")
errors = ErrorDocs(blp)
BASE = "/v1.3/analyze/batches"


@blp.before_request
def _authenticate():
    allowed = (simulation().auth.get(model.VENDOR) or {}).get("keys")
    if not key_accepted(header_value("x-api-key"), allowed):
        raise VendorError("api_key_invalid")


@blp.post(BASE)
@blp.arguments(schemas.CreateBatch, error_status_code=400)
@blp.response(201, description="The new batch and its items' task ids")
@errors(400, 401, 404, 409, 413, 429, 503, 504)
def create_batch(body):
    with simulation().transaction() as tx:
        return json_response(model.create_batch(tx, body), 201)


@blp.get(BASE)
@blp.arguments(schemas.ListQuery, location="query", error_status_code=400)
@blp.response(200, description="One page of batches, newest first")
@errors(400, 401)
def list_batches(query):
    with simulation().transaction() as tx:
        return json_response(model.list_batches(tx, query))


@blp.get(f"{BASE}/<batch_id>")
@blp.response(200, description="The batch")
@errors(401, 404)
def retrieve_batch(batch_id: str):
    with simulation().transaction() as tx:
        return json_response(model.retrieve_batch(tx, batch_id))


@blp.get(f"{BASE}/<batch_id>/results")
@blp.response(200, content_type="application/jsonl", description="JSON Lines: one result per item")
@errors(401, 404)
def batch_results(batch_id: str):
    with simulation().transaction() as tx:
        lines = model.batch_results(tx, batch_id)
    return Response(lines, status=200, mimetype="application/jsonl")


@blp.post(f"{BASE}/<batch_id>/cancel")
@blp.response(202, description="The batch right after the call")
@errors(401, 404, 409)
def cancel_batch(batch_id: str):
    with simulation().transaction() as tx:
        return json_response(model.cancel_batch(tx, batch_id), 202)


@blp.delete(f"{BASE}/<batch_id>")
@blp.response(200, description="Deleted (no body)")
@errors(401, 404, 409)
def delete_batch(batch_id: str):
    with simulation().transaction() as tx:
        model.delete_batch(tx, batch_id)
    return empty_response()


__all__ = ["blp"]
