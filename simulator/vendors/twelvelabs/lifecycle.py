"""The batch lifecycle (reference section 5). A batch's status follows from its items.

Every timer of a batch is derived from its items' schedule (schedule.py): each fires when the items
reach their milestone, or at the expiry if that comes first. A scenario's `timing.twelvelabs.batch`
is refused (there is no duration to override): `settings.twelvelabs` or the batch's `fields` set
the items' durations.
"""
from __future__ import annotations

from ...engine import Ignore, Lifecycle, Move, Reject, Resource, Timed
from ...kit.hooks import deferred
from . import schedule

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


def _due(resource: Resource, at: float) -> float:
    return max(at, min(_milestone(resource, resource.state), resource.fields["expires_at"]))


# What a scenario sets instead of `timing` (refused for a batch: no duration to override).
DUE_FROM = ("its items' schedule (settings.twelvelabs: item_duration, concurrency, start_delay, item_rules; "
            "a seeded batch's fields and remaining)")


def _canceled(resource: Resource, at: float, params) -> None:
    resource.fields["cancel_at"] = at


BATCH = Lifecycle(
    vendor="twelvelabs",
    kind="batch",
    states=STATES,
    initial="pending",
    timed={
        # Until the first item starts; until every item is ready or failed; until the items in flight finish.
        "pending": Timed(_unless_expired("processing"), None, due=_due, due_from=DUE_FROM),
        "processing": Timed(_unless_expired("completed"), None, due=_due, due_from=DUE_FROM),
        "canceling": Timed(_unless_expired("canceled"), None, due=_due, due_from=DUE_FROM),
    },
    actions={
        "cancel": {
            "pending": Move("canceling", effect=_canceled),
            "processing": Move("canceling", effect=_canceled),
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
    notify=deferred(f"{__package__}.render", "notifications"),
)
