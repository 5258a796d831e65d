"""TwelveLabs' batch operations on the engine: one function per operationId, no Flask. Refusals are
VendorErrors naming a row of codes.ERROR_CODES; cancel and delete are refused by the lifecycle table.

Requests touch one batch (O(its items)) or, for the active-batch limit, only the batches in the
`active` index; listing is O(batches).
"""
from __future__ import annotations

from typing import Any

from ...engine import Resource, Transaction
from ...kit.errors import VendorError
from . import batches, render, requests
from .batches import KIND, VENDOR
from .codes import ITEM_FAILURES

MAX_WINDOW = 2 * 3600.0  # an item whose analysis window is longer fails (video_duration_too_long)
MAX_CONTENT = 2000 * 3600.0  # per batch


def create_batch(tx: Transaction, body: dict[str, Any]) -> dict[str, Any]:
    """A new batch from a schema-valid body with the account's rules applied (refused: no batch exists)."""
    settings = tx.settings(VENDOR)
    requested = requests.merged_items(body)
    if settings["create_error"] == "unavailable":
        raise VendorError("downstream_unavailable")
    if settings["create_error"] == "timeout":
        raise VendorError("creation_timeout")
    windows = _check_assets(requested, settings["assets"])
    if batches.active_count(tx) >= settings["max_active_batches"]:
        raise VendorError("too_many_active_batches")

    batch_id = batches.new_object_id(tx)
    durations, items = [], []
    for request, window in zip(requested, windows, strict=True):
        rule = batches.matching_rule(settings["item_rules"], request["asset_id"], request["custom_id"])
        durations.append(rule.get("duration", settings["item_duration"]))
        error = batches.rule_error(rule)
        if error is None and window is not None and window > MAX_WINDOW:
            error = {"code": "video_duration_too_long", "message": ITEM_FAILURES["video_duration_too_long"]}
        items.append(batches.new_item(tx, request, error))
    batches.place_items(items, durations, settings["concurrency"], tx.now + settings["start_delay"])
    fields = batches.batch_fields(tx, body["analysis_mode"], body["model_name"], tx.now, items)
    resource = batches.materialise(tx, batch_id, fields, created_at=tx.now, webhook_urls=settings["webhooks"])
    return render.created(resource)


def _check_assets(requested: list[dict[str, Any]], assets: list[dict[str, Any]] | None) -> list[float | None]:
    """404 for an unknown asset, 409 for one not ready, 400 over 2,000 content hours.

    Returns each item's analysis window in seconds where it is known (None otherwise).
    """
    known = None if assets is None else {asset["id"].lower(): asset for asset in assets}
    windows = []
    for index, request in enumerate(requested):
        asset = None if known is None else known.get(request["asset_id"])
        if known is not None and asset is None:
            raise VendorError("asset_not_found", f"requests[{index}].video.asset_id: no asset {request['asset_id']}.")
        if asset is not None and asset["status"] != "ready":
            raise VendorError("asset_not_ready",
                              f"requests[{index}].video.asset_id: asset {request['asset_id']} is {asset['status']}.")
        end = request.get("end_time", None if asset is None else asset.get("duration"))
        windows.append(None if end is None else max(0.0, end - request.get("start_time", 0.0)))
    if sum(window or 0.0 for window in windows) > MAX_CONTENT:
        raise VendorError("parameter_invalid", "requests: the batch exceeds 2,000 content hours.")
    return windows


def list_batches(tx: Transaction, query: dict[str, Any]) -> dict[str, Any]:
    """Batches matching any of the given statuses and any of the modes (none given: all), newest first."""
    statuses, modes = query.get("status"), query.get("analysis_mode")
    found = [
        resource for resource in tx.list(VENDOR, KIND)
        if batches.retained(tx, resource)
        and (not statuses or resource.state in statuses)
        and (not modes or resource.fields["analysis_mode"] in modes)
    ]
    found.sort(key=lambda r: (r.created_at, r.fields["seq"]), reverse=True)
    return render.page(found, query["page"], query["page_limit"], tx.now)


def _batch(tx: Transaction, batch_id: str) -> Resource:
    resource = batches.find_batch(tx, batch_id)
    if resource is None:
        raise VendorError("batch_not_found")
    return resource


def retrieve_batch(tx: Transaction, batch_id: str) -> dict[str, Any]:
    return render.batch(_batch(tx, batch_id), tx.now)


def batch_results(tx: Transaction, batch_id: str) -> str:
    return render.results(_batch(tx, batch_id), tx.now)


def cancel_batch(tx: Transaction, batch_id: str) -> dict[str, Any]:
    """The table decides: batch_completed / batch_canceled / batch_expired in a final state."""
    resource = _batch(tx, batch_id)
    tx.act(resource, "cancel")
    # INFERRED: the batch as of the request: canceling, its queued items already canceled.
    return render.batch(resource, tx.now)


def delete_batch(tx: Transaction, batch_id: str) -> None:
    resource = _batch(tx, batch_id)
    tx.act(resource, "delete")  # batch_not_terminal unless completed, canceled or expired
    tx.delete(VENDOR, KIND, resource.id)
    batches.active_index(tx).pop(resource.id, None)
