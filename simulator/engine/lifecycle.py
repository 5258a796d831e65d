"""Lifecycles as data: states, timed transitions and an action table.

A vendor declares one `Lifecycle` per resource kind. The engine replays timed transitions lazily
(see `machine.py`) and applies actions through the table; route handlers hold no state rules.

Where a rule depends on the resource, the table still holds it:
- a timer's due time may be derived from the resource (`Timed(due=...)`), or the timer armed only
  where a condition holds (`Timed(when=...)`);
- a timer or a `Move` may carry an effect on the resource's fields, run as the state is entered
  (an `Ignore` too: the action keeps the state but changes fields);
- an action's rule for a state may be a sequence of guarded outcomes (`When`) ending in a default.
Guards and effects are called as fn(resource, at, params): `at` is the virtual time of the step,
`params` what the caller passed to `Transaction.act` (empty for timers).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .resource import HistoryEntry, Resource

Params = Mapping[str, Any]
Guard = Callable[["Resource", float, Params], bool]
Effect = Callable[["Resource", float, Params], None]


# --- what an action does in a given state -------------------------------------------------------

@dataclass(frozen=True)
class Move:
    """Leave the current state at once for `target`, running `effect` as it is entered."""

    target: str
    effect: Effect | None = None


@dataclass(frozen=True)
class Defer:
    """Remember the request; a timed transition's `redirects` decide what it does when due."""

    request: str


@dataclass(frozen=True)
class Ignore:
    """Accept the action and keep the state; an `effect` may still change the resource's fields."""

    effect: Effect | None = None


@dataclass(frozen=True)
class Reject:
    """Refuse the action with a vendor-named error (the vendor maps the name to a response)."""

    error: str


Outcome = Move | Defer | Ignore | Reject


@dataclass(frozen=True)
class When:
    """A guarded outcome: `then` applies where `condition(resource, at, params)` holds."""

    condition: Guard
    then: Outcome


# A state's rule for an action: one outcome, or guarded ones tried in order, ending in a plain one.
Rule = Outcome | Sequence[When | Outcome]
TargetChooser = Callable[["Resource"], str]
DueTime = Callable[["Resource", float], float]  # (resource, entered at) -> virtual time the timer fires
Armed = Callable[["Resource"], bool]


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
    # `due` derives the firing time from the resource instead of a duration (a scenario's `timing`
    # for such a state is refused: there is no duration to override); `due_from` says from what,
    # for that refusal, e.g. "its items' schedule (settings.x.item_duration)".
    due: DueTime | None = None
    due_from: str = "each resource"
    # `when` arms the timer only for resources it holds for (checked as the state is entered); the
    # others wait in the state for an action.
    when: Armed | None = None
    # `effects` maps a target to what arriving there by this timer does to the resource's fields.
    effects: Mapping[str, Effect] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.duration is not None and self.due is not None:
            raise ValueError("a Timed takes a duration or a due function, not both")

    @property
    def derived(self) -> bool:
        return self.due is not None


@dataclass
class Lifecycle:
    vendor: str
    kind: str
    states: tuple[str, ...]
    initial: str
    timed: Mapping[str, Timed] = field(default_factory=dict)
    actions: Mapping[str, Mapping[str, Rule]] = field(default_factory=dict)
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
            problems += [f"effect target {t!r}" for t in timed.effects if t not in known]
        for action, table in self.actions.items():
            for state, rule in table.items():
                if state not in known:
                    problems.append(f"state {state!r} in action {action!r}")
                options = _options(rule)
                if not options or isinstance(options[-1], When):
                    problems.append(f"default (a rule ending in a plain outcome) for {state!r} in action {action!r}")
                for option in options:
                    outcome = option.then if isinstance(option, When) else option
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

    def derived(self) -> tuple[str, ...]:
        """States whose timer fires at a time derived from the resource (no duration to override)."""
        return tuple(state for state, timed in self.timed.items() if timed.derived)

    def rule(self, action: str, state: str) -> Rule:
        table = self.actions.get(action)
        if table is None:
            raise KeyError(f"{self.key} has no action {action!r}")
        if state not in table:
            raise KeyError(f"{self.key}: action {action!r} has no rule for state {state!r}")
        return table[state]

    def outcome(self, action: str, state: str) -> Outcome:
        """The outcome of an unguarded rule (a guarded one needs the resource: see `decide`)."""
        rule = self.rule(action, state)
        if not isinstance(rule, Outcome):
            raise TypeError(f"{self.key}: action {action!r} is guarded in state {state!r}; use decide()")
        return rule

    def decide(self, action: str, resource: Resource, at: float, params: Params) -> Outcome:
        """The outcome of `action` for this resource: the first guard that holds, else the default."""
        for option in _options(self.rule(action, resource.state)):
            if not isinstance(option, When):
                return option
            if option.condition(resource, at, params):
                return option.then
        raise AssertionError("unreachable: __post_init__ requires a default")  # pragma: no cover


def _options(rule: Rule) -> Sequence[When | Outcome]:
    return (rule,) if isinstance(rule, Outcome) else tuple(rule)
