"""Hiveon vendors API endpoints (reference section 2): parse -> model -> render."""
from __future__ import annotations

from werkzeug.routing import BaseConverter

from ...http.auth import header_value
from ...http.blueprint import Blueprint
from ...http.context import simulation
from ...http.errors import json_response
from ...kit.docs import ErrorDocs
from . import access, model, schemas

blp = Blueprint("hiveon", __name__, description="Hiveon vendors API: container deployments")
errors = ErrorDocs(blp, always=(401, 403, 500))  # the key is checked before anything else
PREFIX = "/vendors/v1/machines/deployments"


class _LookupId(BaseConverter):
    """Any path segment but "start": GET .../start is the start path (405, Allow: POST), not a
    lookup of a deployment called "start"."""

    regex = r"(?!start$)[^/]+"


# Before the routes below are recorded, so the converter exists when their rules are added.
blp.record_once(lambda state: state.app.url_map.converters.setdefault("hiveon_lookup_id", _LookupId))


@blp.before_request
def _authenticate():
    # First of all (reference 2.2 order: auth -> body -> lookup -> state rules).
    with simulation().transaction() as tx:
        auth = tx.auth(model.VENDOR)
    access.check(header_value(access.HEADER), auth)


@blp.post(f"{PREFIX}/start")
@blp.arguments(schemas.HiveonStartRequest, error_status_code=400)
@blp.response(200, description="The new deployment's id")
@errors(400, 404, 413, 429)
def start_deployment(body):
    with simulation().transaction() as tx:
        return json_response(model.start_deployment(tx, body))


@blp.get(f"{PREFIX}/<hiveon_lookup_id:id>")
@blp.response(200, description="The deployment")
@errors(404, 405)  # 405: the id "start" (see _LookupId)
def get_deployment(id: str):
    with simulation().transaction() as tx:
        return json_response(model.get_deployment(tx, id))


@blp.post(f"{PREFIX}/<deployment_id>/stop")
@blp.arguments(schemas.HiveonStopRequest, error_status_code=400)
@blp.response(200, description="The stopped deployment's id")
@errors(400, 404, 413)
def stop_deployment(body, deployment_id: str):
    # `body` is validated (metadata.CLORE_API_KEY present) and then dropped: nothing of it is kept.
    with simulation().transaction() as tx:
        return json_response(model.stop_deployment(tx, deployment_id))


__all__ = ["blp"]
