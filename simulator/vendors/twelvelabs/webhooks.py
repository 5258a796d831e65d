"""The batch completion webhook (reference 4.1 `webhooks`), delivered by the simulator's dispatcher.

Webhook endpoints are registered on the account, not per batch, so a scenario lists them
(`settings.twelvelabs.webhooks`); a batch keeps the list it was created under. When the batch
becomes `completed` each endpoint is sent the event below (INFERRED: the vendor documents the
delivery record, not the payload), and the batch's `webhooks` field records each delivery.
"""
from __future__ import annotations

from typing import Any

from ...engine import HistoryEntry, Resource, Transaction
from ...engine.outbox import Notification
from ...engine.secrets import mask_url
from ...engine.timefmt import rfc3339

EVENT = "analyze.batch.completed"  # INFERRED event name
NOTIFIED_STATES = ("completed",)


def subscribe(tx: Transaction, resource: Resource, urls: list[str]) -> None:
    """Give a new batch the account's endpoints; only transitions from now on are announced."""
    resource.fields["webhook_urls"] = list(urls)
    resource.fields["webhooks_from"] = tx.now
    if urls:
        tx.watch(resource)


def notifications(resource: Resource, entry: HistoryEntry) -> list[Notification]:
    fields = resource.fields
    if entry.state not in NOTIFIED_STATES or entry.at < fields.get("webhooks_from", float("inf")):
        return []
    from .render import batch  # render imports the lifecycle, which imports this module

    payload = {"type": EVENT, "created_at": rfc3339(entry.at), "data": batch(resource, entry.at)}
    # slot: the endpoint's place in the list, not its URL, which may hold credentials (a dict key is never masked)
    return [Notification(url=url, payload=payload, event=EVENT, resource=resource.key, due_at=entry.at, slot=str(i))
            for i, url in enumerate(fields.get("webhook_urls") or [])]


def on_delivery(tx: Transaction, notification: Notification, *, final: bool) -> None:
    resource = tx.store.get(*notification.resource)
    if resource is None:  # deleted meanwhile
        return
    record = {"url": notification.url, "delivered": notification.delivered, "attempts": notification.attempts}
    if notification.last_error:
        record["last_error"] = notification.last_error
    resource.fields.setdefault("webhook_deliveries", {})[notification.slot] = record


def delivery_records(resource: Resource) -> list[dict[str, Any]] | None:
    """The batch's `webhooks` field: only once the completion webhook was attempted. Credentials
    in an endpoint's URL are masked (the account's secret, not the batch's)."""
    records = resource.fields.get("webhook_deliveries")
    return [{**record, "url": mask_url(record["url"])} for record in records.values()] if records else None
