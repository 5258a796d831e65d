"""Sparrow On-Demand endpoints (reference section 2). Handlers parse, call the engine, render."""
from __future__ import annotations

import re

from flask import Response

from ...engine import LifecycleError
from ...http.auth import bearer_token, key_accepted
from ...http.blueprint import Blueprint
from ...http.context import simulation
from ...http.errors import json_response
from . import analyses, schemas
from .errors import ERRORS

blp = Blueprint("sparrow", __name__, description="Sparrow On-Demand analyses")
_DIGITS = re.compile(r"^[0-9]{1,18}$")  # ids are positive 64-bit integers; 18 digits always fit


@blp.before_request
def _authenticate():
    allowed = (simulation().auth.get("sparrow") or {}).get("keys")
    if not key_accepted(bearer_token(), allowed):
        raise ERRORS.named("unauthorized")


def _numeric_id(text: str) -> str:
    if not _DIGITS.match(text) or int(text) < 1:
        shown = text if len(text) <= 24 else f"{text[:20]}... ({len(text)} characters)"
        raise ERRORS.named("invalid_parameter", f"Path id {shown!r} must be a positive integer of at most 18 digits.")
    return str(int(text))


def _settings(tx):
    return tx.settings("sparrow")


def _create(tool_type: str, body: dict) -> Response:
    with simulation().transaction() as tx:
        request_id, resource = analyses.create_analysis(tx, tool_type, body)
        misspelled = _settings(tx)["misspelled_request_key"]
        info = analyses.request_info(request_id, [resource], misspelled_request_key=misspelled)
    return json_response(info)


def _errors(*statuses: int):
    """Document Sparrow-envelope error statuses; 500 (INTERNAL_ERROR) is on every operation."""

    def document(func):
        for status in (*statuses, 500):
            func = blp.alt_response(status, schema=schemas.SparrowError)(func)
        return func

    return document


_documented = _errors(400, 401)


@blp.post("/api/v1/analysis/tool/sast")
@blp.arguments(schemas.CreateSast, error_status_code=400)
@blp.response(200, schemas.RequestInfo)
@_errors(401, 413)
def create_sast(body):
    return _create("SAST", body)


@blp.post("/api/v1/analysis/tool/sca")
@blp.arguments(schemas.CreateSca, error_status_code=400)
@blp.response(200, schemas.RequestInfo)
@_errors(401, 413)
def create_sca(body):
    return _create("SCA", body)


@blp.post("/api/v1/analysis/tool/dast")
@blp.arguments(schemas.CreateDast, error_status_code=400)
@blp.response(200, schemas.RequestInfo)
@_errors(401, 413)
def create_dast(body):
    return _create("DAST", body)


@blp.get("/api/v1/request/<request_id>")
@blp.response(200, schemas.RequestInfo)
@_documented
def get_request(request_id: str):
    rid = int(_numeric_id(request_id))
    with simulation().transaction() as tx:
        found = analyses.analyses_of_request(tx, rid)
        if found is None:
            raise ERRORS.named("request_not_found")
        info = analyses.request_info(rid, found, misspelled_request_key=_settings(tx)["misspelled_request_key"])
    return json_response(info)


def _analysis_or_error(tx, analysis_id: str):
    resource = tx.get(analyses.VENDOR, analyses.KIND, _numeric_id(analysis_id))
    if resource is None:
        raise ERRORS.named("analysis_not_found")
    return resource


@blp.get("/api/v3/analysis/<analysis_id>")
@blp.response(200, schemas.Analysis)
@_documented
def get_analysis(analysis_id: str):
    with simulation().transaction() as tx:
        body = analyses.analysis(_analysis_or_error(tx, analysis_id), tx.now)
    return json_response(body)


@blp.post("/api/v2/analysis/<analysis_id>/stop")
@blp.response(200, schemas.Analysis)
@_documented
def stop_analysis(analysis_id: str):
    with simulation().transaction() as tx:
        resource = _analysis_or_error(tx, analysis_id)
        try:
            tx.act(resource, "stop")
        except LifecycleError as refused:
            raise ERRORS.named(refused.error) from None
        # INFERRED: the analysis as it is right after the call (STOP, still INIT, or POST_PROCESS).
        body = analyses.analysis(resource, tx.now)
    return json_response(body)


@blp.get("/api/v2/analysis/<analysis_id>/result")
@blp.response(200, content_type="application/zip", description="result.zip")
@_documented
def download_result(analysis_id: str):
    with simulation().transaction() as tx:
        resource = _analysis_or_error(tx, analysis_id)
        if resource.state != "COMPLETE" or analyses.analysis(resource, tx.now)["result"] != "SUCCESS":
            raise ERRORS.named("not_success")
        archive = analyses.result_archive(resource, tx.now)
    return Response(archive, status=200, mimetype="application/zip",
                    headers={"Content-Disposition": 'attachment; filename="result.zip"'})


__all__ = ["blp"]
