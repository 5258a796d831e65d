"""Lazy evaluation of lifecycles: replay due timers, apply actions.

Nothing runs in the background. Whenever a resource is read, `catch_up` replays every timer that
is due by the clock's now, several steps at once if needed, and records each step at the virtual
time it was due.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .lifecycle import Defer, Effect, Ignore, Lifecycle, Move, Outcome, Params, Reject
from .resource import HistoryEntry, Resource

MAX_STEPS_PER_READ = 10_000  # guards against a zero-duration cycle in a lifecycle table
NO_PARAMS: Params = MappingProxyType({})

TimingTable = Mapping[str, Mapping[str, float]]  # "vendor.kind" -> state -> seconds


class LifecycleError(Exception):
    """An action the vendor's table refuses; `error` is the vendor's name for it."""

    def __init__(self, error: str, resource: Resource, action: str) -> None:
        super().__init__(f"{action} refused in state {resource.state}: {error}")
        self.error = error
        self.resource = resource
        self.action = action


def duration_for(lifecycle: Lifecycle, resource: Resource, state: str, timing: TimingTable) -> float | None:
    """Resource override > scenario timing > lifecycle default. None for a state with no timer,
    one whose due time is derived from the resource, or one with no duration given."""
    timed = lifecycle.timed.get(state)
    if timed is None or timed.derived:
        return None
    if state in resource.timing:
        return resource.timing[state]
    scenario = timing.get(lifecycle.key, {})
    if state in scenario:
        return scenario[state]
    return timed.duration


def due_time(lifecycle: Lifecycle, resource: Resource, state: str, at: float, timing: TimingTable) -> float | None:
    """When the timer of `state`, entered at `at`, fires for this resource; None if it has none armed."""
    timed = lifecycle.timed.get(state)
    if timed is None or (timed.when is not None and not timed.when(resource)):
        return None
    if timed.due is not None:
        return timed.due(resource, at)
    duration = duration_for(lifecycle, resource, state, timing)
    return None if duration is None else at + duration


def enter(
    lifecycle: Lifecycle,
    resource: Resource,
    state: str,
    at: float,
    timing: TimingTable,
    cause: str,
    due_at: float | None = None,
    effect: Effect | None = None,
    params: Params = NO_PARAMS,
) -> None:
    """Put `resource` in `state` as of virtual time `at`; its timer (if armed) is due at `due_at` if given.

    The step's `effect` runs first, so the timer's guard and due time see the fields it set.
    """
    resource.state = state
    resource.entered_at = at
    entry = HistoryEntry(state=state, at=at, cause=cause)
    resource.record(entry)
    if effect is not None:
        effect(resource, at, params)
    armed = due_time(lifecycle, resource, state, at, timing)
    resource.due_at = due_at if armed is not None and due_at is not None else armed
    if lifecycle.notify is not None:
        if resource.unseen:
            resource.unseen.append(entry)
        else:
            resource.unseen = [entry]
    if lifecycle.on_enter is not None:
        lifecycle.on_enter(resource, state, at)


def next_state(lifecycle: Lifecycle, resource: Resource) -> str | None:
    """Where the current state's timer leads, given deferred requests and route overrides."""
    timed = lifecycle.timed.get(resource.state)
    if timed is None:
        return None
    for request, target in timed.redirects.items():
        if request in resource.pending:
            return target
    if resource.state in resource.route:
        return resource.route[resource.state]
    return timed.target(resource) if callable(timed.target) else timed.target


def catch_up(lifecycle: Lifecycle, resource: Resource, now: float, timing: TimingTable) -> int:
    """Replay every transition due by `now`. Returns the number of steps taken."""
    steps = 0
    while resource.due_at is not None and resource.due_at <= now:
        target = next_state(lifecycle, resource)
        if target is None:
            resource.due_at = None
            break
        source = resource.state
        timed = lifecycle.timed[source]
        for request, redirect in timed.redirects.items():
            if request in resource.pending and redirect == target:
                resource.pending.pop(request)
        enter(lifecycle, resource, target, resource.due_at, timing, cause="timer", effect=timed.effects.get(target))
        steps += 1
        if steps >= MAX_STEPS_PER_READ:
            break
    return steps


def apply(
    lifecycle: Lifecycle, resource: Resource, action: str, now: float, timing: TimingTable,
    params: Params = NO_PARAMS, cause: str | None = None,
) -> Outcome:
    """Apply `action` to a caught-up resource through the action table, its guards given `params`.

    Raises LifecycleError for a Reject outcome; otherwise returns the outcome applied. A move is
    recorded with `cause` (default "action:<action>").
    """
    outcome = lifecycle.decide(action, resource, now, params)
    if isinstance(outcome, Reject):
        raise LifecycleError(outcome.error, resource, action)
    if isinstance(outcome, Move):
        enter(lifecycle, resource, outcome.target, now, timing, cause=cause or f"action:{action}",
              effect=outcome.effect, params=params)
    elif isinstance(outcome, Defer):
        resource.pending.setdefault(outcome.request, {"at": now})
    elif isinstance(outcome, Ignore):
        if outcome.effect is not None:
            outcome.effect(resource, now, params)
    else:  # pragma: no cover - Outcome is a closed union
        raise TypeError(outcome)
    return outcome
