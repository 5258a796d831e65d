"""A batch's making and keeping, shared by the create operation (model.py) and scenarios (seed.py).

A batch is one engine resource (kind `batch`); its items live in its fields with their schedule
(schedule.py). The `active` index holds the batches that may still count toward the active-batch
limit, so counting them is O(those batches), not O(all). Batches vanish 30 days after creation.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...engine import Resource, Transaction, machine
from . import schedule, webhooks
from .codes import DEFAULT_ITEM_FAILURE_MESSAGE, ITEM_FAILURES
from .lifecycle import ACTIVE, EXPIRES_AFTER, RETENTION

VENDOR = "twelvelabs"
KIND = "batch"
ID_MARK = "5e1a0b"  # middle of every generated id: 8 hex of virtual seconds, this mark, a counter


def active_index(tx: Transaction) -> dict[str, None]:
    """Ids of batches that may still be active (an ordered set, pruned when counted)."""
    return tx.index(VENDOR, "active")


def active_count(tx: Transaction) -> int:
    active = active_index(tx)
    for batch_id in list(active):
        resource = tx.get(VENDOR, KIND, batch_id)
        if resource is None or resource.state not in ACTIVE:
            del active[batch_id]
    return len(active)


def new_object_id(tx: Transaction) -> str:
    while True:
        counter = tx.next_id(VENDOR, "object")
        candidate = f"{int(tx.now) & 0xFFFFFFFF:08x}{ID_MARK}{counter:010x}"
        if tx.store.get(VENDOR, KIND, candidate) is None:
            return candidate


# --- making --------------------------------------------------------------------------------------

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
    active_index(tx)[batch_id] = None
    return resource


# --- keeping -------------------------------------------------------------------------------------

def retained(tx: Transaction, resource: Resource) -> bool:
    """Batches vanish 30 days after creation; drop one lazily when it is looked at."""
    if tx.now < resource.created_at + RETENTION:
        return True
    tx.delete(VENDOR, KIND, resource.id)
    return False


def find_batch(tx: Transaction, batch_id: str) -> Resource | None:
    resource = tx.get(VENDOR, KIND, batch_id.lower())
    return resource if resource is not None and retained(tx, resource) else None
