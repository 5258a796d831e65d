"""TwelveLabs batches: creation with its account rules, cancel, delete, lookup and listing.

A batch is one engine resource (kind `batch`); its items live in its fields with their schedule
(schedule.py). Requests touch one batch (O(its items)) or, for the active-batch limit, only the
batches in the `active` index; listing is O(batches).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...engine import Resource, Transaction, machine
from . import requests, schedule, webhooks
from .codes import DEFAULT_ITEM_FAILURE_MESSAGE, ITEM_FAILURES
from .lifecycle import ACTIVE, EXPIRES_AFTER, RETENTION

VENDOR = "twelvelabs"
KIND = "batch"
ID_MARK = "5e1a0b"  # middle of every generated id: 8 hex of virtual seconds, this mark, a counter
MAX_WINDOW = 2 * 3600.0  # an item whose analysis window is longer fails (video_duration_too_long)
MAX_CONTENT = 2000 * 3600.0  # per batch


class Refused(Exception):
    """A create the vendor refuses; `name` is a row of codes.ERROR_CODES."""

    def __init__(self, name: str, message: str | None = None) -> None:
        super().__init__(message or name)
        self.name = name
        self.message = message


def _active(tx: Transaction) -> dict[str, None]:
    """Ids of batches that may still be active (an ordered set, pruned when counted)."""
    return tx.data(VENDOR).setdefault("active", {})


def new_object_id(tx: Transaction) -> str:
    while True:
        counter = tx.next_id(VENDOR, "object")
        candidate = f"{int(tx.now) & 0xFFFFFFFF:08x}{ID_MARK}{counter:010x}"
        if tx.store.get(VENDOR, KIND, candidate) is None:
            return candidate


# --- creation ------------------------------------------------------------------------------------

def create_batch(tx: Transaction, body: dict[str, Any]) -> Resource:
    """A new batch from a schema-valid body, or Refused (and then no batch exists)."""
    settings = tx.settings(VENDOR)
    try:
        requested = requests.merged_items(body)
    except requests.InvalidRequest as exc:
        raise Refused("parameter_invalid", str(exc)) from None
    if settings["create_error"] == "unavailable":
        raise Refused("downstream_unavailable")
    if settings["create_error"] == "timeout":
        raise Refused("creation_timeout")
    windows = _check_assets(requested, settings["assets"])
    if active_count(tx) >= settings["max_active_batches"]:
        raise Refused("too_many_active_batches")

    batch_id = new_object_id(tx)
    durations, items = [], []
    for request, window in zip(requested, windows, strict=True):
        rule = matching_rule(settings["item_rules"], request["asset_id"], request["custom_id"])
        durations.append(rule.get("duration", settings["item_duration"]))
        error = rule_error(rule)
        if error is None and window is not None and window > MAX_WINDOW:
            error = {"code": "video_duration_too_long", "message": ITEM_FAILURES["video_duration_too_long"]}
        items.append(new_item(tx, request, error))
    place_items(items, durations, settings["concurrency"], tx.now + settings["start_delay"])
    fields = batch_fields(tx, body["analysis_mode"], body["model_name"], tx.now, items)
    return materialise(tx, batch_id, fields, created_at=tx.now, webhook_urls=settings["webhooks"])


def _check_assets(requested: list[dict[str, Any]], assets: list[dict[str, Any]] | None) -> list[float | None]:
    """404 for an unknown asset, 409 for one not ready, 400 over 2,000 content hours.

    Returns each item's analysis window in seconds where it is known (None otherwise).
    """
    known = None if assets is None else {asset["id"].lower(): asset for asset in assets}
    windows = []
    for index, request in enumerate(requested):
        asset = None if known is None else known.get(request["asset_id"])
        if known is not None and asset is None:
            raise Refused("asset_not_found", f"requests[{index}].video.asset_id: no asset {request['asset_id']}.")
        if asset is not None and asset["status"] != "ready":
            raise Refused("asset_not_ready",
                          f"requests[{index}].video.asset_id: asset {request['asset_id']} is {asset['status']}.")
        end = request.get("end_time", None if asset is None else asset.get("duration"))
        windows.append(None if end is None else max(0.0, end - request.get("start_time", 0.0)))
    if sum(window or 0.0 for window in windows) > MAX_CONTENT:
        raise Refused("parameter_invalid", "requests: the batch exceeds 2,000 content hours.")
    return windows


def matching_rule(rules: Iterable[dict[str, Any]], asset_id: str | None, custom_id: str | None) -> dict[str, Any]:
    """The first item rule whose matchers all match (a rule without matchers matches every item)."""
    for rule in rules:
        if "asset_id" in rule and (asset_id is None or rule["asset_id"].lower() != asset_id.lower()):
            continue
        if "custom_id" in rule and rule["custom_id"] != custom_id:
            continue
        return rule
    return {}


def rule_error(rule: dict[str, Any]) -> dict[str, str] | None:
    code = rule.get("fail")
    if code is None:
        return None
    return {"code": code, "message": rule.get("message") or ITEM_FAILURES.get(code, DEFAULT_ITEM_FAILURE_MESSAGE)}


def new_item(tx: Transaction, request: dict[str, Any], error: dict[str, str] | None) -> dict[str, Any]:
    response_format = request.get("response_format") or {}
    return {
        "task_id": new_object_id(tx),
        "custom_id": request.get("custom_id"),
        "asset_id": request.get("asset_id"),
        "prompt": (request.get("prompt") or {}).get("input_text"),
        "segments": [d["id"] for d in response_format.get("segment_definitions") or []] or None,
        "start": None,
        "end": None,
        "error": error,
    }


def place_items(items: list[dict[str, Any]], durations: list[float], concurrency: int, first_start: float) -> None:
    for item, (start, end) in zip(items, schedule.slot_times(durations, concurrency, first_start), strict=True):
        item["start"], item["end"] = start, end


def batch_fields(
    tx: Transaction, mode: str, model_name: str, created_at: float, items: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "analysis_mode": mode,
        "model_name": model_name,
        "seq": tx.next_id(VENDOR, "seq"),  # creation order, for newest-first listing at one instant
        "expires_at": created_at + EXPIRES_AFTER,
        "cancel_at": None,
        "items": items,
    }


def materialise(
    tx: Transaction, batch_id: str, fields: dict[str, Any], *, created_at: float,
    cancel_at: float | None = None, cause: str = "created", webhook_urls: list[str] = (),
) -> Resource:
    """Store a batch created at `created_at` (canceled at `cancel_at`), its life replayed up to now."""
    lifecycle = tx.lifecycle(VENDOR, KIND)
    resource = Resource(vendor=VENDOR, kind=KIND, id=batch_id, state=lifecycle.initial,
                        entered_at=created_at, created_at=created_at, fields=fields)
    webhooks.subscribe(tx, resource, list(webhook_urls))
    machine.enter(lifecycle, resource, lifecycle.initial, created_at, tx.timing, cause=cause)
    if cancel_at is not None:
        machine.catch_up(lifecycle, resource, cancel_at, tx.timing)
        machine.apply(lifecycle, resource, "cancel", cancel_at, tx.timing)
    tx.store.put(resource)
    tx.catch_up(resource)
    _active(tx)[batch_id] = None
    return resource


def active_count(tx: Transaction) -> int:
    active = _active(tx)
    for batch_id in list(active):
        resource = tx.get(VENDOR, KIND, batch_id)
        if resource is None or resource.state not in ACTIVE:
            del active[batch_id]
    return len(active)


# --- one batch, many batches ---------------------------------------------------------------------

def _retained(tx: Transaction, resource: Resource) -> bool:
    """Batches vanish 30 days after creation; drop one lazily when it is looked at."""
    if tx.now < resource.created_at + RETENTION:
        return True
    tx.delete(VENDOR, KIND, resource.id)
    return False


def find_batch(tx: Transaction, batch_id: str) -> Resource | None:
    resource = tx.get(VENDOR, KIND, batch_id.lower())
    return resource if resource is not None and _retained(tx, resource) else None


def list_batches(tx: Transaction, statuses: list[str] | None, modes: list[str] | None) -> list[Resource]:
    """Batches matching any of `statuses` and any of `modes` (None: all), newest first."""
    found = [
        resource for resource in tx.list(VENDOR, KIND)
        if _retained(tx, resource)
        and (not statuses or resource.state in statuses)
        and (not modes or resource.fields["analysis_mode"] in modes)
    ]
    found.sort(key=lambda r: (r.created_at, r.fields["seq"]), reverse=True)
    return found


def cancel_batch(tx: Transaction, resource: Resource) -> None:
    """Through the lifecycle table: raises LifecycleError(batch_completed/...) in a final state."""
    tx.act(resource, "cancel")


def delete_batch(tx: Transaction, resource: Resource) -> None:
    tx.act(resource, "delete")  # batch_not_terminal unless completed, canceled or expired
    tx.delete(VENDOR, KIND, resource.id)
    _active(tx).pop(resource.id, None)
