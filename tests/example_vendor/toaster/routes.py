"""Toaster endpoints: parse -> model -> render."""
from __future__ import annotations

from simulator.http.auth import bearer_token, key_accepted
from simulator.http.blueprint import Blueprint
from simulator.http.context import simulation
from simulator.http.errors import json_response
from simulator.kit.docs import ErrorDocs
from simulator.kit.errors import VendorError

from . import model, schemas

blp = Blueprint("toaster", __name__, description="An example vendor: toasts")
errors = ErrorDocs(blp, always=(401, 500))  # every operation checks the key and may fail


@blp.before_request
def _authenticate():
    allowed = (simulation().auth.get("toaster") or {}).get("keys")
    if not key_accepted(bearer_token(), allowed):
        raise VendorError("unauthorized")


@blp.post("/toaster/v1/toasts")
@blp.arguments(schemas.CreateToast, error_status_code=400)
@blp.response(201, description="The toast, toasting")
@errors(409, 413)  # 400 comes with @blp.arguments; 409: the toaster is full (--max-resources)
def create_toast(body):
    with simulation().transaction() as tx:
        return json_response(model.create_toast(tx, body), 201)


@blp.get("/toaster/v1/toasts/<toast_id>")
@blp.response(200, description="The toast")
@errors(404)
def get_toast(toast_id: str):
    with simulation().transaction() as tx:
        return json_response(model.get_toast(tx, toast_id))


@blp.post("/toaster/v1/toasts/<toast_id>/eject")
@blp.response(200, description="The toast, done")
@errors(404, 409)  # 409: done already
def eject_toast(toast_id: str):
    with simulation().transaction() as tx:
        return json_response(model.eject_toast(tx, toast_id))
