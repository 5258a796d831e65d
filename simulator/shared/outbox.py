"""A shared namespace's outbox: notifications and wake-ups in Redis, by virtual due time."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import redis

from ..engine.outbox import Notification
from .codec import decode, decode_notification, encode, encode_notification
from .connection import reaching
from .keys import OUTBOX_NAMESPACES, unique

if TYPE_CHECKING:
    from .world import SharedNamespace


class SharedOutbox:
    """Notifications and wake-ups in two Redis sorted sets by virtual due time. Within a transaction
    they are written with its commit; a notification stays until an attempt at it has ended."""

    def __init__(self, namespace: SharedNamespace) -> None:
        self._namespace = namespace
        self.on_schedule = None

    def _write(self, *op: Any) -> None:
        namespace = self._namespace
        ops = (*op, "S", OUTBOX_NAMESPACES, namespace.name, "")
        if namespace.in_transaction:
            namespace.queue(*ops)
        else:
            with namespace.transaction():
                namespace.queue(*ops)
        if self.on_schedule is not None:
            self.on_schedule()

    def push(self, notification: Notification) -> None:
        member = encode_notification(notification, unique())
        self._write("Z", self._namespace.keys.notifications, member, repr(notification.due_at))

    def wake(self, at: float, resource: tuple[str, str, str]) -> None:
        self._write("Z", self._namespace.keys.wakeups, encode(list(resource)), repr(at))

    def due_wakeups(self, now: float) -> list[tuple[str, str, str]]:
        """Taken out with the transaction that replays them (the dispatcher's)."""
        namespace = self._namespace
        with reaching():
            members = namespace.client.zrangebyscore(namespace.keys.wakeups, "-inf", now)
        for member in members:
            namespace.queue("R", namespace.keys.wakeups, member, "")
        return [tuple(decode(member)) for member in members]

    def due_notifications(self, now: float) -> list[Notification]:
        namespace = self._namespace
        with reaching():
            members = namespace.client.zrangebyscore(namespace.keys.notifications, "-inf", now)
        return [decode_notification(member) for member in members]

    def done(self, notification: Notification) -> None:
        namespace = self._namespace
        if notification.handle is not None:
            with reaching():
                namespace.client.zrem(namespace.keys.notifications, notification.handle)
            namespace.extend_delivery()

    def idle(self) -> None:
        namespace = self._namespace
        try:
            namespace.scripts.prune_outbox(keys=[namespace.keys.notifications, namespace.keys.wakeups,
                                                 OUTBOX_NAMESPACES], args=[namespace.name])
        except redis.RedisError:
            pass  # tried again on the next look

    def next_due(self) -> float | None:
        namespace = self._namespace
        with reaching():
            pipe = namespace.client.pipeline(transaction=False)
            pipe.zrange(namespace.keys.notifications, 0, 0, withscores=True)
            pipe.zrange(namespace.keys.wakeups, 0, 0, withscores=True)
            times = [found[0][1] for found in pipe.execute() if found]
        return min(times) if times else None

    def pending(self) -> list[Notification]:
        namespace = self._namespace
        with reaching():
            members = namespace.client.zrange(namespace.keys.notifications, 0, -1)
        return [decode_notification(member) for member in members]

    def clear(self) -> None:
        """Part of the namespace's clear (its keys go with the world's)."""
