"""How batches look on the wire (reference section 4), derived at render time from the items, and
the batch completion webhook (reference 4.1 `webhooks`).
"""
from __future__ import annotations

import json
import math
from typing import Any

from ...engine import HistoryEntry, Resource, Transaction
from ...engine.outbox import Notification
from ...engine.secrets import mask_url
from ...engine.timefmt import rfc3339
from . import batches, schedule

_ENDED_AT = {"completed": "completed_at", "canceled": "canceled_at", "expired": "expired_at"}


def _item_status(resource: Resource, item: dict[str, Any], now: float) -> str:
    return schedule.item_status(item, now, resource.fields["cancel_at"], resource.fields["expires_at"])


def batch(resource: Resource, now: float) -> dict[str, Any]:
    """The batch object (retrieve, list entries, cancel): counters by item status at `now`."""
    fields = resource.fields
    body: dict[str, Any] = {
        "batch_id": resource.id,
        "analysis_mode": fields["analysis_mode"],
        "model_name": fields["model_name"],
        "status": resource.state,
        "total_items": len(fields["items"]),
        "created_at": rfc3339(resource.created_at),
        "expires_at": rfc3339(fields["expires_at"]),
    }
    if resource.state in _ENDED_AT:  # only in its own state
        body[_ENDED_AT[resource.state]] = rfc3339(resource.entered_at)
    counts = schedule.counts(fields["items"], now, fields["cancel_at"], fields["expires_at"])
    body.update({f"{status}_items": count for status, count in counts.items()})
    deliveries = delivery_records(resource)
    if deliveries:
        body["webhooks"] = deliveries
    return body


def created(resource: Resource) -> dict[str, Any]:
    """The smaller create response (201)."""
    items = resource.fields["items"]
    return {
        "batch_id": resource.id,
        "status": resource.state,
        "total_items": len(items),
        "created_at": rfc3339(resource.created_at),
        "expires_at": rfc3339(resource.fields["expires_at"]),
        "items": [{"task_id": item["task_id"], "custom_id": item["custom_id"]} for item in items],
    }


def page(resources: list[Resource], number: int, limit: int, now: float) -> dict[str, Any]:
    """One page of a newest-first list; a page past the end has empty `data`."""
    start = (number - 1) * limit
    return {
        "data": [batch(resource, now) for resource in resources[start:start + limit]],
        "page_info": {
            "page": number,
            "limit_per_page": limit,
            "total_page": math.ceil(len(resources) / limit),
            "total_results": len(resources),
        },
    }


def _analysis_text(resource: Resource, item: dict[str, Any]) -> str:
    if item.get("segments"):  # time_based_metadata: a JSON-encoded object of segments per definition
        segments = {name: [{"start_time": 0.0, "end_time": 10.0, "metadata": {}}] for name in item["segments"]}
        return json.dumps(segments)
    prompt = item.get("prompt") or "the video"
    return f"Simulated analysis of asset {item.get('asset_id') or 'unknown'} for: {prompt[:200]}"


def result_line(resource: Resource, item: dict[str, Any], now: float) -> dict[str, Any]:
    status = _item_status(resource, item, now)
    line: dict[str, Any] = {"task_id": item["task_id"], "custom_id": item["custom_id"], "status": status}
    if status == "ready":
        text = _analysis_text(resource, item)
        line["data"] = {
            "generation_id": f"gen_{item['task_id']}",
            "data": text,
            "finish_reason": "stop",
            "usage": {"output_tokens": max(1, len(text) // 4), "input_tokens": 45},
        }
    elif status == "failed":
        line["error"] = dict(item["error"])
    return line


def results(resource: Resource, now: float) -> str:
    """JSON Lines: one result line per item, in submission order."""
    return "".join(json.dumps(result_line(resource, item, now)) + "\n" for item in resource.fields["items"])


def dashboard_view(tx: Transaction, resource: Resource) -> dict[str, Any] | None:
    found = batches.find_batch(tx, resource.id)  # None once the batch's retention is over
    return None if found is None else batch(found, tx.now)


# --- the completion webhook ----------------------------------------------------------------------

EVENT = "analyze.batch.completed"  # INFERRED event name: the vendor documents the delivery record, not the payload
NOTIFIED_STATES = ("completed",)


def notifications(resource: Resource, entry: HistoryEntry) -> list[Notification]:
    fields = resource.fields
    if entry.state not in NOTIFIED_STATES or entry.at < fields.get("webhooks_from", float("inf")):
        return []
    payload = {"type": EVENT, "created_at": rfc3339(entry.at), "data": batch(resource, entry.at)}
    # slot: the endpoint's place in the list, not its URL, which may hold credentials (a dict key is never masked)
    return [Notification(url=url, payload=payload, event=EVENT, resource=resource.key, due_at=entry.at, slot=str(i))
            for i, url in enumerate(fields.get("webhook_urls") or [])]


def delivery_records(resource: Resource) -> list[dict[str, Any]] | None:
    """The batch's `webhooks` field: only once the completion webhook was attempted. Credentials
    in an endpoint's URL are masked (the account's secret, not the batch's)."""
    records = resource.fields.get("webhook_deliveries")
    return [{**record, "url": mask_url(record["url"])} for record in records.values()] if records else None
