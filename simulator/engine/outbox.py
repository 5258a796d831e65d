"""Outgoing notifications (callbacks, webhooks) on the virtual clock, and wake-ups that produce them.

Nothing here does I/O: a Simulation's Outbox holds what is due when; the dispatcher
(simulator/callbacks.py) takes what is due by the clock's now and delivers it. A resource whose
transitions others must hear about is *watched*: the outbox remembers when its timer is due, so
the transition is replayed (and its notifications made) even if nobody reads the resource.
"""
from __future__ import annotations

import heapq
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any


@dataclass
class Notification:
    url: str
    payload: Any
    event: str  # e.g. ANALYSIS_PROGRESS, batch.completed
    resource: tuple[str, str, str]  # (vendor, kind, id)
    due_at: float  # virtual time it falls due (the transition's time, then retries)
    headers: dict[str, str] = field(default_factory=dict)
    attempts: int = 0
    delivered: bool = False
    last_error: str | None = None
    slot: Any = None  # the vendor's own tag, handed back to its on_delivery hook
    handle: Any = field(default=None, compare=False, repr=False)  # how a shared store finds it again


class Outbox:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = count()
        self._notifications: list[tuple[float, int, Notification]] = []
        self._wakeups: list[tuple[float, int, tuple[str, str, str]]] = []
        self.on_schedule: Callable[[], None] | None = None  # the dispatcher's doorbell

    def push(self, notification: Notification) -> None:
        with self._lock:
            heapq.heappush(self._notifications, (notification.due_at, next(self._seq), notification))
        self._ring()

    def wake(self, at: float, key: tuple[str, str, str]) -> None:
        with self._lock:
            heapq.heappush(self._wakeups, (at, next(self._seq), key))
        self._ring()

    def _ring(self) -> None:
        if self.on_schedule is not None:
            self.on_schedule()

    def due_wakeups(self, now: float) -> list[tuple[str, str, str]]:
        with self._lock:
            keys = []
            while self._wakeups and self._wakeups[0][0] <= now:
                keys.append(heapq.heappop(self._wakeups)[2])
            return list(dict.fromkeys(keys))

    def due_notifications(self, now: float) -> list[Notification]:
        with self._lock:
            due = []
            while self._notifications and self._notifications[0][0] <= now:
                due.append(heapq.heappop(self._notifications)[2])
            return due

    def next_due(self) -> float | None:
        with self._lock:
            times = [heap[0][0] for heap in (self._notifications, self._wakeups) if heap]
            return min(times) if times else None

    def idle(self) -> None:
        """Nothing is pending (a shared store stops listing this namespace as one to look at)."""

    def done(self, notification: Notification) -> None:
        """An attempt at `notification` ended (taken out already by due_notifications here)."""

    def pending(self) -> list[Notification]:
        with self._lock:
            return [n for _, _, n in sorted(self._notifications)]

    def clear(self) -> None:
        with self._lock:
            self._notifications.clear()
            self._wakeups.clear()
