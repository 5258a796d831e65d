"""Lifecycles as data: states, timed transitions and an action table.

A vendor declares one `Lifecycle` per resource kind. The engine replays timed transitions lazily
(see `machine.py`) and applies actions through the table; route handlers hold no state rules.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .resource import HistoryEntry, Resource


# --- what an action does in a given state -------------------------------------------------------

@dataclass(frozen=True)
class Move:
    """Leave the current state at once for `target`."""

    target: str


@dataclass(frozen=True)
class Defer:
    """Remember the request; a timed transition's `redirects` decide what it does when due."""

    request: str


@dataclass(frozen=True)
class Ignore:
    """Accept the action and change nothing."""


@dataclass(frozen=True)
class Reject:
    """Refuse the action with a vendor-named error (the vendor maps the name to a response)."""

    error: str


Outcome = Move | Defer | Ignore | Reject
TargetChooser = Callable[["Resource"], str]


@dataclass(frozen=True)
class Timed:
    """After `duration` seconds in a state, move to `target`.

    `redirects` maps a deferred request to the state it sends the resource to instead, e.g.
    {"stop": "STOP"}: a stop deferred during INIT makes the INIT timer go to STOP, not READY.
    `target` may be a function of the resource for branching outcomes. A `duration` of None arms
    the timer only where a resource or a scenario's `timing` gives one (a failure that ends a state
    otherwise left only by actions).
    """

    target: str | TargetChooser
    duration: float | None
    redirects: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Lifecycle:
    vendor: str
    kind: str
    states: tuple[str, ...]
    initial: str
    timed: Mapping[str, Timed] = field(default_factory=dict)
    actions: Mapping[str, Mapping[str, Outcome]] = field(default_factory=dict)
    # Called as on_enter(resource, state, at) after every state change, for vendor fields that
    # change with the state (end times, counters). It must not change the state itself.
    on_enter: Callable[[Resource, str, float], None] | None = None
    # notify(resource, entry) -> outgoing notifications (callbacks, webhooks) for one transition,
    # each due at the virtual time of that transition; see engine/outbox.py.
    notify: Callable[[Resource, HistoryEntry], list] | None = None

    def __post_init__(self) -> None:
        self.states = tuple(self.states)
        known = set(self.states)
        problems = []
        if self.initial not in known:
            problems.append(f"initial state {self.initial!r}")
        for source, timed in self.timed.items():
            if source not in known:
                problems.append(f"timed source {source!r}")
            if isinstance(timed.target, str) and timed.target not in known:
                problems.append(f"timed target {timed.target!r}")
            problems += [f"redirect target {t!r}" for t in timed.redirects.values() if t not in known]
        for action, table in self.actions.items():
            for state, outcome in table.items():
                if state not in known:
                    problems.append(f"state {state!r} in action {action!r}")
                if isinstance(outcome, Move) and outcome.target not in known:
                    problems.append(f"move target {outcome.target!r} in action {action!r}")
        if problems:
            raise ValueError(f"lifecycle {self.key}: unknown " + ", ".join(problems))

    @property
    def key(self) -> str:
        return f"{self.vendor}.{self.kind}"

    def is_terminal(self, state: str) -> bool:
        return state not in self.timed

    def default_duration(self, state: str) -> float | None:
        timed = self.timed.get(state)
        return None if timed is None else timed.duration

    def outcome(self, action: str, state: str) -> Outcome:
        table = self.actions.get(action)
        if table is None:
            raise KeyError(f"{self.key} has no action {action!r}")
        if state not in table:
            raise KeyError(f"{self.key}: action {action!r} has no rule for state {state!r}")
        return table[state]
