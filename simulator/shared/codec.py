"""Resources, notifications and plain values as the bytes kept in Redis (compact JSON, never pickle:
what is read back from the store is data, not code)."""
from __future__ import annotations

import json
from typing import Any

from ..engine.outbox import Notification
from ..engine.resource import HistoryEntry, Resource

_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def encode(value: Any) -> bytes:
    return _encoder.encode(value).encode()


def decode(data: bytes | str) -> Any:
    return json.loads(data)


def encode_resource(resource: Resource) -> bytes:
    """Everything but vendor/kind/id (the hash and field it is kept under say those)."""
    return encode([
        resource.state, resource.entered_at, resource.created_at, resource.due_at, resource.pending,
        resource.route, resource.timing, resource.fields,
        [[entry.state, entry.at, entry.cause] for entry in resource.history], resource.watched,
    ])


def decode_resource(vendor: str, kind: str, id: str, data: bytes) -> Resource:
    state, entered, created, due, pending, route, timing, fields, history, watched = decode(data)
    return Resource(vendor=vendor, kind=kind, id=id, state=state, entered_at=entered, created_at=created, due_at=due,
                    pending=pending, route=route, timing=timing, fields=fields,
                    history=[HistoryEntry(state=s, at=at, cause=cause) for s, at, cause in history], watched=watched)


def encode_notification(notification: Notification, serial: str) -> bytes:
    """`serial` makes two otherwise equal notifications two members of the due-time index."""
    n = notification
    return encode([serial, n.url, n.payload, n.event, list(n.resource), n.due_at, n.headers, n.attempts, n.delivered,
                   n.last_error, n.slot])


def decode_notification(data: bytes) -> Notification:
    _, url, payload, event, resource, due_at, headers, attempts, delivered, last_error, slot = decode(data)
    return Notification(url=url, payload=payload, event=event, resource=tuple(resource), due_at=due_at,
                        headers=headers, attempts=attempts, delivered=delivered, last_error=last_error, slot=slot,
                        handle=data)
