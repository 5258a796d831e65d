"""The account's webhook endpoints for batch completion (reference 4.1 `webhooks`).

Webhook endpoints are registered on the account, not per batch, so a scenario lists them
(`settings.twelvelabs.webhooks`); a batch keeps the list it was created under and announces only
its transitions from then on. The event itself is built in render.py; the simulator's dispatcher
delivers it, and the batch's `webhooks` field records each delivery.
"""
from __future__ import annotations

from ...engine import Resource, Transaction
from ...engine.outbox import Notification


def subscribe(tx: Transaction, resource: Resource, urls: list[str]) -> None:
    """Give a new batch the account's endpoints; only transitions from now on are announced."""
    resource.fields["webhook_urls"] = list(urls)
    resource.fields["webhooks_from"] = tx.now
    if urls:
        tx.watch(resource)


def on_delivery(tx: Transaction, notification: Notification, *, final: bool) -> None:
    resource = tx.store.get(*notification.resource)
    if resource is None:  # deleted meanwhile
        return
    record = {"url": notification.url, "delivered": notification.delivered, "attempts": notification.attempts}
    if notification.last_error:
        record["last_error"] = notification.last_error
    resource.fields.setdefault("webhook_deliveries", {})[notification.slot] = record
