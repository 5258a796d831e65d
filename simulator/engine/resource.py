"""A simulated resource: where it is in its lifecycle, and the vendor's own fields.

Both classes use __slots__ and the history is a plain list: a store of 100 000 resources pays for
each per-instance dict and deque block (about 1 KB a resource) otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HISTORY_LIMIT = 200  # a resource that cycles forever (a restarted wrapper) keeps bounded history


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    state: str
    at: float  # virtual time the state was entered (when it was due, not when it was read)
    cause: str  # "created", "seeded", "timer", "action:stop", ...


@dataclass(slots=True)
class Resource:
    vendor: str
    kind: str
    id: str
    state: str
    entered_at: float
    created_at: float
    due_at: float | None = None  # when the current state's timer fires; None = waits for an action
    pending: dict[str, Any] = field(default_factory=dict)  # deferred requests, e.g. {"stop": {...}}
    route: dict[str, str] = field(default_factory=dict)  # per-resource override of a timer's target
    timing: dict[str, float] = field(default_factory=dict)  # per-resource durations by state
    fields: dict[str, Any] = field(default_factory=dict)  # vendor data (names, options, counters)
    history: list[HistoryEntry] = field(default_factory=list)  # the last HISTORY_LIMIT steps (record())
    # transitions not yet seen by the vendor's notify hook (drained by every Transaction call); the
    # shared () when there are none, so a resource at rest holds no list of its own
    unseen: list | tuple = field(default=(), repr=False)
    watched: bool = False  # someone listens (callbacks): replay its timers when due, unread or not

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.vendor, self.kind, self.id)

    def record(self, entry: HistoryEntry) -> None:
        """Append a step to the history, forgetting the oldest beyond HISTORY_LIMIT."""
        if not self.history:
            self.history = [entry]  # sized for one (an append would reserve four)
            return
        self.history.append(entry)
        if len(self.history) > HISTORY_LIMIT:
            del self.history[0]

    def entered(self, state: str) -> float | None:
        """Virtual time `state` was last entered, from the history."""
        for entry in reversed(self.history):
            if entry.state == state:
                return entry.at
        return None

    def previous_state(self) -> str | None:
        return self.history[-2].state if len(self.history) >= 2 else None
