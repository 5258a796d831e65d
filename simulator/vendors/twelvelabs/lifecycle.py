"""The batch lifecycle (reference section 5). A batch's status follows from its items.

Every timer of a batch is derived from its items' schedule (schedule.py), so `on_enter` sets each
state's due time from the items, and the `Timed` durations below are mere placeholders: a scenario's
`timing.twelvelabs.batch` has no effect (use `settings.twelvelabs` or the batch's `fields`).
"""
from __future__ import annotations

from ...engine import Ignore, Lifecycle, Move, Reject, Resource, Timed
from . import schedule, webhooks

DAY = 24 * 3600.0
EXPIRES_AFTER = DAY  # expires_at = created_at + 24 h
RETENTION = 30 * DAY  # batches and their results vanish 30 days after creation
ACTIVE = ("pending", "processing", "canceling")  # INFERRED: what counts toward the active-batch limit
TERMINAL = ("completed", "canceled", "expired")
STATES = ACTIVE + TERMINAL


def _milestone(resource: Resource, state: str) -> float:
    """When the items end `state`: the first start, the last end, or the end of the last item in flight."""
    items = resource.fields["items"]
    if state == "pending":
        return schedule.first_start(items)
    if state == "processing":
        return schedule.last_end(items)
    return schedule.drain_end(items, resource.fields["cancel_at"])


def _unless_expired(then: str):
    def choose(resource: Resource) -> str:
        due, expires_at = _milestone(resource, resource.state), resource.fields["expires_at"]
        on_time = due < expires_at if resource.state == "pending" else due <= expires_at
        return then if on_time else "expired"
    return choose


def _on_enter(resource: Resource, state: str, at: float) -> None:
    if state == "canceling":
        resource.fields["cancel_at"] = at
    if state in ACTIVE:
        resource.due_at = max(at, min(_milestone(resource, state), resource.fields["expires_at"]))


BATCH = Lifecycle(
    vendor="twelvelabs",
    kind="batch",
    states=STATES,
    initial="pending",
    timed={
        "pending": Timed(_unless_expired("processing"), 0.0),  # until the first item starts
        "processing": Timed(_unless_expired("completed"), 0.0),  # until every item is ready or failed
        "canceling": Timed(_unless_expired("canceled"), 0.0),  # until the items in flight finish
    },
    actions={
        "cancel": {
            "pending": Move("canceling"),
            "processing": Move("canceling"),
            "canceling": Ignore(),  # INFERRED: 202 again with the current batch
            "completed": Reject("batch_completed"),
            "canceled": Reject("batch_canceled"),
            "expired": Reject("batch_expired"),
        },
        "delete": {
            **{state: Reject("batch_not_terminal") for state in ACTIVE},
            **{state: Ignore() for state in TERMINAL},
        },
    },
    on_enter=_on_enter,
    notify=webhooks.notifications,
)
