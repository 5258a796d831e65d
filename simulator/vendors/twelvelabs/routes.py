"""TwelveLabs batch endpoints under /v1.3 (reference section 3). Handlers parse, call the engine, render."""
from __future__ import annotations

from flask import Response

from ...engine import LifecycleError
from ...http.auth import header_value, key_accepted
from ...http.blueprint import Blueprint
from ...http.context import simulation
from ...http.errors import json_response
from . import batches, render, schemas
from .errors import ERRORS

blp = Blueprint("twelvelabs", __name__, description="TwelveLabs batch analysis")
BASE = "/v1.3/analyze/batches"


@blp.before_request
def _authenticate():
    with simulation().transaction() as tx:
        allowed = (tx.auth(batches.VENDOR) or {}).get("keys")
    if not key_accepted(header_value("x-api-key"), allowed):
        raise ERRORS.named("api_key_invalid")


def _errors(*statuses: int):
    def document(func):
        for status in statuses:
            func = blp.alt_response(status, schema=schemas.TwelveLabsError)(func)
        return func
    return document


def _batch_or_404(tx, batch_id: str):
    resource = batches.find_batch(tx, batch_id)
    if resource is None:
        raise ERRORS.named("batch_not_found")
    return resource


@blp.post(BASE)
@blp.arguments(schemas.CreateBatch, error_status_code=400)
@blp.response(201, schemas.TwelveLabsCreatedBatch)
@_errors(400, 401, 404, 409, 413, 429, 503, 504)
def create_batch(body):
    with simulation().transaction() as tx:
        try:
            resource = batches.create_batch(tx, body)
        except batches.Refused as refused:
            raise ERRORS.named(refused.name, refused.message) from None
        created = render.created(resource)
    return json_response(created, 201)


@blp.get(BASE)
@blp.arguments(schemas.ListQuery, location="query", error_status_code=400)
@blp.response(200, schemas.TwelveLabsBatchList)
@_errors(400, 401)
def list_batches(query):
    with simulation().transaction() as tx:
        found = batches.list_batches(tx, query.get("status"), query.get("analysis_mode"))
        body = render.page(found, query["page"], query["page_limit"], tx.now)
    return json_response(body)


@blp.get(f"{BASE}/<batch_id>")
@blp.response(200, schemas.TwelveLabsBatch)
@_errors(401, 404)
def retrieve_batch(batch_id: str):
    with simulation().transaction() as tx:
        body = render.batch(_batch_or_404(tx, batch_id), tx.now)
    return json_response(body)


@blp.get(f"{BASE}/<batch_id>/results")
@blp.response(200, content_type="application/jsonl", description="JSON Lines: one result per item")
@_errors(401, 404)
def batch_results(batch_id: str):
    with simulation().transaction() as tx:
        lines = render.results(_batch_or_404(tx, batch_id), tx.now)
    return Response(lines, status=200, mimetype="application/jsonl")


@blp.post(f"{BASE}/<batch_id>/cancel")
@blp.response(202, schemas.TwelveLabsBatch)
@_errors(401, 404, 409)
def cancel_batch(batch_id: str):
    with simulation().transaction() as tx:
        resource = _batch_or_404(tx, batch_id)
        try:
            batches.cancel_batch(tx, resource)
        except LifecycleError as refused:
            raise ERRORS.named(refused.error) from None
        # INFERRED: the batch as of the request: canceling, its queued items already canceled.
        body = render.batch(resource, tx.now)
    return json_response(body, 202)


@blp.delete(f"{BASE}/<batch_id>")
@blp.response(200, description="Deleted (no body)")
@_errors(401, 404, 409)
def delete_batch(batch_id: str):
    with simulation().transaction() as tx:
        resource = _batch_or_404(tx, batch_id)
        try:
            batches.delete_batch(tx, resource)
        except LifecycleError as refused:
            raise ERRORS.named(refused.error) from None
    response = Response(b"", status=200)
    del response.headers["Content-Type"]
    return response


__all__ = ["blp"]
