"""Items on the virtual clock: when each starts and ends, and what it is at any moment.

A batch's items are scheduled once, when the batch is created: `concurrency` slots, items taken in
submission order, each starting as soon as a slot frees. Nothing runs afterwards; an item's status
at time t follows from (its start and end, the moment the batch was canceled, the expiry):

- queued until `start`, processing until `end`, then ready or failed (its `error`);
- a cancel at C cancels, at C, every item still queued (C < start); processing ones run on;
- at `expires_at`, every item not finished (end > expires_at) is canceled.
"""
from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from typing import Any

ITEM_STATUSES = ("queued", "processing", "ready", "failed", "canceled")
Item = dict[str, Any]  # {"task_id", "custom_id", "asset_id", "start", "end", "error", ...}


def slot_times(durations: Sequence[float], concurrency: int, first_start: float) -> list[tuple[float, float]]:
    """(start, end) of each item when `concurrency` of them run at once from `first_start`."""
    free_at = [first_start] * max(1, min(concurrency, len(durations)))
    times = []
    for duration in durations:
        start = heapq.heappop(free_at)
        end = start + duration
        heapq.heappush(free_at, end)
        times.append((start, end))
    return times


def item_status(item: Item, t: float, cancel_at: float | None, expires_at: float) -> str:
    start, end = item["start"], item["end"]
    if cancel_at is not None and cancel_at < start:
        cut = cancel_at  # still queued when the batch was canceled
    elif end > expires_at:
        cut = expires_at  # not finished when the batch expired
    else:
        cut = None
    if cut is not None and t >= cut:
        return "canceled"
    if t < start:
        return "queued"
    if t < end:
        return "processing"
    return "failed" if item.get("error") else "ready"


def counts(items: Iterable[Item], t: float, cancel_at: float | None, expires_at: float) -> dict[str, int]:
    found = dict.fromkeys(ITEM_STATUSES, 0)
    for item in items:
        found[item_status(item, t, cancel_at, expires_at)] += 1
    return found


def first_start(items: Sequence[Item]) -> float:
    return min(item["start"] for item in items)


def last_end(items: Sequence[Item]) -> float:
    return max(item["end"] for item in items)


def drain_end(items: Iterable[Item], cancel_at: float) -> float:
    """When the last item that was processing at `cancel_at` finishes (`cancel_at` if none was)."""
    return max((item["end"] for item in items if item["start"] <= cancel_at < item["end"]), default=cancel_at)
