"""Scenario batches: a state and the time `remaining` in it place the batch's items on the clock.

Seeded items all take the same time `d` (fields.item_duration, else settings.item_duration) and run
`c` at a time, in W = ceil(n / c) waves. From the requested state the seed picks when the first wave
started (X), when the batch was created (T0) and, for canceling / canceled, when it was canceled (C),
then replays the batch's life from T0 up to now, so its history shows every step at its time:

- pending: the first item starts in `remaining` (default: settings.start_delay).
- processing: the last item ends in `remaining` (default: half the batch's run); a wave is in flight.
- canceling: the batch was just canceled; the items in flight end in `remaining` (default d / 2).
- completed / canceled: finished just now (canceled: mid-way through its waves).
- expired: expired just now, or `age` - 24 h ago; a wave was in flight at expiry.

`d` grows when needed to fit `remaining`. `age` (how long ago it was created) moves T0 back; a batch
whose `age` reaches 24 h before its items finish expires.
"""
from __future__ import annotations

import math
from typing import Any

from ...engine import Resource, ResourceSpec, Transaction
from . import batches
from .lifecycle import EXPIRES_AFTER
from .schemas import BatchFields

DEFAULT_ITEMS = 3
DEFAULT_MODEL = "pegasus1.5"
SEED_REQUEST = {  # what a seeded item asked for, by analysis mode (it shapes its result line)
    "general": {"prompt": {"input_text": "Describe the video."}},
    "time_based_metadata": {"response_format": {"type": "segment_definitions", "segment_definitions": [
        {"id": "scenes", "description": "A scene"}]}},
}


def seed_batch(tx: Transaction, spec: ResourceSpec) -> Resource:
    settings = tx.settings(batches.VENDOR)
    given = BatchFields().load(spec.fields)
    seeds = given.get("items") or [{} for _ in range(given.get("item_count", DEFAULT_ITEMS))]
    concurrency = given.get("concurrency", settings["concurrency"])
    duration = given.get("item_duration", settings["item_duration"]) or 1.0
    waves = math.ceil(len(seeds) / concurrency)
    plan = _plan(spec.state or "pending", spec.remaining, tx.now, waves, duration, settings["start_delay"],
                 given.get("age"))

    mode = given.get("analysis_mode", "general")
    items = []
    for seed in seeds:
        rule = batches.matching_rule(settings["item_rules"], seed.get("asset_id"), seed.get("custom_id"))
        fail = {"fail": seed["fail"], "message": seed.get("message")} if "fail" in seed else rule
        request = {"custom_id": seed.get("custom_id"), "asset_id": seed.get("asset_id"), **SEED_REQUEST[mode]}
        items.append(batches.new_item(tx, request, batches.rule_error(fail)))
    batches.place_items(items, [plan["duration"]] * len(items), concurrency, plan["first_start"])
    fields = batches.batch_fields(tx, mode, given.get("model_name", DEFAULT_MODEL), plan["created_at"], items)
    return batches.materialise(tx, spec.id.lower(), fields, created_at=plan["created_at"], cancel_at=plan["cancel_at"],
                               cause="seeded", webhook_urls=settings["webhooks"])


def _plan(state: str, remaining: float | None, now: float, waves: int, d: float, start_delay: float,
          age: float | None) -> dict[str, Any]:
    """first_start (X), created_at (T0), cancel_at (C) and the item duration for a seeded state."""
    cancel_at = None
    if state == "pending":
        first = now + (remaining if remaining is not None else start_delay)
        end_by = first
    elif state == "processing":
        left = remaining if remaining is not None else waves * d / 2
        d = max(d, left / waves)
        wave = min(max(waves - math.ceil(left / d), 0), waves - 1)  # the wave in flight now
        first = now + (left - (waves - wave - 1) * d) - (wave + 1) * d
        end_by = now + left
    elif state == "canceling":
        left = remaining if remaining is not None else d / 2
        d = max(d, left)
        wave = (waves - 1) // 2
        first = now + left - (wave + 1) * d
        cancel_at = (first + wave * d + now) / 2  # while that wave was in flight
        end_by = now + left
    elif state in ("completed", "canceled"):
        wave = waves - 1 if state == "completed" else (waves - 1) // 2
        first = now - (wave + 1) * d
        cancel_at = None if state == "completed" else first + wave * d + d / 2
        end_by = now
    else:  # expired
        created = now - max(age or 0.0, EXPIRES_AFTER)
        wave = min(waves // 2, waves - 1)
        first = max(created, created + EXPIRES_AFTER - wave * d - d / 2)
        return {"first_start": first, "created_at": created, "cancel_at": None, "duration": d}
    if age is not None:
        created = min(now - age, first)
    else:  # start_delay before the first item, yet late enough not to expire before `end_by`
        created = max(first - start_delay, min(first, end_by - EXPIRES_AFTER))
    return {"first_start": first, "created_at": created, "cancel_at": cancel_at, "duration": d}
