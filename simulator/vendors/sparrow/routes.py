"""Sparrow On-Demand endpoints (reference section 2): parse -> model -> render."""
from __future__ import annotations

from flask import Response

from ...http.auth import bearer_token, key_accepted
from ...http.blueprint import Blueprint
from ...http.context import simulation
from ...http.errors import json_response
from ...kit.docs import ErrorDocs
from ...kit.errors import VendorError
from . import model, schemas

blp = Blueprint("sparrow", __name__, description="Sparrow On-Demand analyses")
errors = ErrorDocs(blp, always=(500,))  # INTERNAL_ERROR is on every operation


@blp.before_request
def _authenticate():
    allowed = (simulation().auth.get("sparrow") or {}).get("keys")
    if not key_accepted(bearer_token(), allowed):
        raise VendorError("unauthorized")


def _create(tool_type: str, body: dict) -> Response:
    with simulation().transaction() as tx:
        return json_response(model.create_analysis(tx, tool_type, body))


@blp.post("/api/v1/analysis/tool/sast")
@blp.arguments(schemas.CreateSast, error_status_code=400)
@blp.response(200, description="The request and its analysis")
@errors(401, 413)
def create_sast(body):
    return _create("SAST", body)


@blp.post("/api/v1/analysis/tool/sca")
@blp.arguments(schemas.CreateSca, error_status_code=400)
@blp.response(200, description="The request and its analysis")
@errors(401, 413)
def create_sca(body):
    return _create("SCA", body)


@blp.post("/api/v1/analysis/tool/dast")
@blp.arguments(schemas.CreateDast, error_status_code=400)
@blp.response(200, description="The request and its analysis")
@errors(401, 413)
def create_dast(body):
    return _create("DAST", body)


@blp.get("/api/v1/request/<request_id>")
@blp.response(200, description="The request and its analyses")
@errors(400, 401)
def get_request(request_id: str):
    with simulation().transaction() as tx:
        return json_response(model.get_request(tx, request_id))


@blp.get("/api/v3/analysis/<analysis_id>")
@blp.response(200, description="The analysis")
@errors(400, 401)
def get_analysis(analysis_id: str):
    with simulation().transaction() as tx:
        return json_response(model.get_analysis(tx, analysis_id))


@blp.post("/api/v2/analysis/<analysis_id>/stop")
@blp.response(200, description="The analysis right after the call")
@errors(400, 401)
def stop_analysis(analysis_id: str):
    with simulation().transaction() as tx:
        return json_response(model.stop_analysis(tx, analysis_id))


@blp.get("/api/v2/analysis/<analysis_id>/result")
@blp.response(200, content_type="application/zip", description="result.zip")
@errors(400, 401)
def download_result(analysis_id: str):
    with simulation().transaction() as tx:
        archive = model.download_result(tx, analysis_id)
    return Response(archive, status=200, mimetype="application/zip",
                    headers={"Content-Disposition": 'attachment; filename="result.zip"'})


__all__ = ["blp"]
