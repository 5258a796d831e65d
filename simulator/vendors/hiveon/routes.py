"""Hiveon vendors API endpoints (reference section 2). Handlers parse, call the engine, render."""
from __future__ import annotations

from werkzeug.routing import BaseConverter

from ...engine import LifecycleError
from ...http.auth import header_value
from ...http.blueprint import Blueprint
from ...http.context import simulation
from ...http.errors import json_response
from . import access, deployments, schemas
from .errors import ERRORS

blp = Blueprint("hiveon", __name__, description="Hiveon vendors API: container deployments")
PREFIX = "/vendors/v1/machines/deployments"


class _LookupId(BaseConverter):
    """Any path segment but "start": GET .../start is the start path (405, Allow: POST), not a
    lookup of a deployment called "start"."""

    regex = r"(?!start$)[^/]+"


# Before the routes below are recorded, so the converter exists when their rules are added.
blp.record_once(lambda state: state.app.url_map.converters.setdefault("hiveon_lookup_id", _LookupId))


@blp.before_request
def _authenticate():
    # First of all (reference 2.2 order: auth -> body -> lookup -> state rules). The key is never
    # echoed or kept.
    with simulation().transaction() as tx:
        auth = tx.auth(deployments.VENDOR)
    refused = access.refusal(header_value(access.HEADER), auth)
    if refused is not None:
        raise ERRORS.named(refused)


def _documented(*statuses: int):
    def decorate(func):
        for status in statuses:
            func = blp.alt_response(status, schema=schemas.HiveonError)(func)
        return func
    return decorate


@blp.post(f"{PREFIX}/start")
@blp.arguments(schemas.HiveonStartRequest, error_status_code=400)
@blp.response(200, schemas.HiveonDeploymentRef)
@_documented(400, 401, 403, 404, 413, 429, 500)
def start_deployment(body):
    with simulation().transaction() as tx:
        try:
            resource = deployments.start(tx, body)
        except deployments.Refused as refused:
            raise ERRORS.named(refused.error) from None
        return json_response(deployments.reference(resource))


@blp.get(f"{PREFIX}/<hiveon_lookup_id:id>")
@blp.response(200, schemas.HiveonDeployment)
@_documented(401, 403, 404, 405, 500)  # 405: the id "start" (see _LookupId)
def get_deployment(id: str):
    with simulation().transaction() as tx:
        resource = deployments.by_id_or_external_id(tx, id)
        if resource is None:
            raise ERRORS.named("deployment_not_found")
        return json_response(deployments.deployment(resource))


@blp.post(f"{PREFIX}/<deployment_id>/stop")
@blp.arguments(schemas.HiveonStopRequest, error_status_code=400)
@blp.response(200, schemas.HiveonDeploymentRef)
@_documented(400, 401, 403, 404, 413, 500)
def stop_deployment(body, deployment_id: str):
    # `body` is validated (metadata.CLORE_API_KEY present) and then dropped: nothing of it is kept.
    with simulation().transaction() as tx:
        resource = deployments.by_id(tx, deployment_id)  # INFERRED: never by external id
        if resource is None:
            raise ERRORS.named("deployment_not_found")
        try:
            tx.act(resource, "stop")
        except LifecycleError as refused:
            raise ERRORS.named(refused.error) from None
        return json_response(deployments.reference(resource))


__all__ = ["blp"]
