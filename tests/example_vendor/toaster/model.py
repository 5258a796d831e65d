"""The toaster's operations on the engine: one function per operationId, no Flask. Refusals are
VendorErrors naming a row of codes.ERROR_CODES; the table's own refusals (eject when done) are
LifecycleErrors, left to propagate."""
from __future__ import annotations

from typing import Any

from simulator.engine import Resource, Transaction
from simulator.kit.errors import VendorError

from . import render

VENDOR = "toaster"
KIND = "toast"


def create_toast(tx: Transaction, body: dict[str, Any]) -> dict[str, Any]:
    toast_id = tx.next_id(VENDOR, KIND)
    level = body.get("level", tx.settings(VENDOR)["default_level"])
    resource = tx.create(VENDOR, KIND, str(toast_id), fields={"bread": body["bread"], "level": level,
                                                               "ejected": False})
    return render.toast(resource)


def find_toast(tx: Transaction, toast_id: str) -> Resource:
    resource = tx.get(VENDOR, KIND, toast_id)  # caught up: a due timer has fired by now
    if resource is None:
        raise VendorError("toast_not_found", id=toast_id)
    return resource


def get_toast(tx: Transaction, toast_id: str) -> dict[str, Any]:
    return render.toast(find_toast(tx, toast_id))


def eject_toast(tx: Transaction, toast_id: str) -> dict[str, Any]:
    resource = find_toast(tx, toast_id)
    tx.act(resource, "eject")  # the table decides: toasting -> done, done -> 409 already_done
    return render.toast(resource)
