"""One simulated world: a clock, a store, the loaded scenario settings, and a lock.

Every request works inside `Simulation.transaction()`: the lock is held for the whole
read-evaluate-write and "now" is read once, so two concurrent stops of one resource cannot
both win and a response is consistent with itself.
"""
from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from . import machine
from .bulk import gc_paused
from .clock import ClockState, VirtualClock
from .footprint import footprint
from .lifecycle import Lifecycle, Outcome
from .model import VendorModel
from .outbox import Notification, Outbox
from .resource import HistoryEntry, Resource
from .scenario import Problem, ResourceSpec, Scenario, ScenarioError
from .store import CapacityError, Store


class Simulation:
    def __init__(
        self,
        vendors: Mapping[str, VendorModel],
        name: str = "default",
        *,
        max_resources: int | None = None,
    ) -> None:
        self.name = name
        self.vendors = dict(vendors)
        self.lifecycles: dict[str, Lifecycle] = {lc.key: lc for v in vendors.values() for lc in v.lifecycles}
        self.clock = self._new_clock()
        self.store = self._new_store(max_resources)
        self._lock = threading.RLock()
        self._depth = 0  # transactions open in this thread (they nest: a load opens one inside its own)
        self.timing: dict[str, dict[str, float]] = {}
        self.auth: dict[str, Any] = {}
        self.settings: dict[str, Any] = {}
        self.vendor_data: dict[str, dict[str, Any]] = {}
        self.scenarios: list[str] = []
        self.outbox = Outbox()
        self.delivery_lock = threading.Lock()  # one delivery run at a time per simulation

    @contextmanager
    def transaction(self, at: float | None = None) -> Iterator[Transaction]:
        """The lock, one "now", and all or nothing for resources: a transaction refused for capacity
        (a create beyond --max-resources) leaves the store and its id counters as they were.

        `at` reads the resources as of an earlier instant (never later than the clock's now): an
        export in batches sees every batch at the instant it began."""
        with self._lock:
            outermost = self._depth == 0
            if outermost:
                self._begin()
            self._depth += 1
            mark = self.store.savepoint()
            try:
                now = self.clock.now()
                yield Transaction(self, now if at is None else min(at, now))
            except CapacityError:
                self.store.rollback(mark)
                raise
            finally:
                self.store.release(mark)
                self._depth -= 1
                if outermost:
                    self._end()

    # --- where the state is kept: overridden by a store shared between processes -----------------
    def _new_clock(self) -> VirtualClock:
        return VirtualClock()

    def _new_store(self, limit: int | None) -> Store:
        return Store(limit)

    def _begin(self) -> None:
        """An outermost transaction starts (the lock is held): bring the state up to date."""

    def _end(self) -> None:
        """An outermost transaction ended, however it ended: make its changes last."""

    def _meta_changed(self) -> None:
        """The clock, timing, auth, settings or scenario list changed (inside a transaction)."""

    @contextmanager
    def delivering(self, wait: bool = True) -> Iterator[bool]:
        """Held by whoever delivers this simulation's notifications; True when this caller may (here
        always: the lock is waited for)."""
        with self.delivery_lock:
            yield True

    def change_clock(self, change: Callable[[VirtualClock], ClockState]) -> ClockState:
        """Change the clock as one transaction (a shared world's other processes see it next)."""
        with self.transaction():
            state = change(self.clock)
            self._meta_changed()
            return state

    def vendor_settings(self, vendor: str) -> dict[str, Any]:
        """The vendor's scenario settings, its schema's defaults filled in. Needs no transaction: an
        error envelope reads its shape here while a handler may hold the lock."""
        found = self.settings.get(vendor)
        if found is None:
            schema = self.vendors[vendor].settings_schema
            found = self.settings[vendor] = schema().load({}) if schema is not None else {}
        return found

    def export_sections(self) -> dict[str, Any]:
        """Scenario sections the layers above the engine add to an export (their own state)."""
        return {}

    def index(self, vendor: str, name: str) -> dict[str, Any]:
        """A vendor's named mapping kept beside its resources (a secondary index); cleared on reset."""
        data = self.vendor_data.setdefault(vendor, {})
        found = data.get(name)
        if found is None:
            found = data[name] = {}
        return found

    def clear(self) -> None:
        with self._lock:
            self.store.clear()
            self.timing.clear()
            self.auth.clear()
            self.settings.clear()
            self.vendor_data.clear()
            self.scenarios.clear()
            self.outbox.clear()
            self.clock = self._new_clock()

    def load(self, scenario: Scenario) -> dict[str, Any]:
        """Apply a validated scenario: clock, timing, auth, settings, then seed its resources.

        A resource that already exists with the same vendor, kind and id is replaced. A scenario
        that would take the namespace beyond its resource limit is refused before anything changes.
        """
        with self._lock, gc_paused(), self.transaction():
            self._check_room(scenario)
            if scenario.clock:
                self.clock.configure(
                    speed=scenario.clock.get("speed"),
                    frozen=scenario.clock.get("frozen"),
                    now=scenario.clock.get("now"),
                )
            for key, table in scenario.timing.items():
                self.timing.setdefault(key, {}).update(table)
            self.auth.update(scenario.auth)
            self.settings.update(scenario.settings)
            for vendor_name, data in scenario.vendor_data.items():
                self.vendor_data.setdefault(vendor_name, {}).update(copy.deepcopy(data))
            for key, value in scenario.counters.items():
                vendor_name, counter = key.split(".", 1)
                self.store.bump_counter(vendor_name, counter, value)
            with self.transaction() as tx:
                for spec in scenario.resources:
                    if spec.restore == "exact":
                        tx.restore(spec)
                        continue
                    vendor = self.vendors[spec.vendor]
                    resource = (vendor.seed or Transaction.seed)(tx, spec)
                    for request in spec.pending:
                        resource.pending.setdefault(request, {"at": tx.now})
                    if spec.created is not None:
                        resource.created_at = spec.created
            self.scenarios.append(scenario.name)
            self._meta_changed()
            return scenario.summary()

    def _check_room(self, scenario: Scenario) -> None:
        room = self.store.room()
        if room is None or len(scenario.resources) == 0:
            return
        adds: set[tuple[str, str, str]] = set()
        for spec in scenario.resources:
            adds.add((spec.vendor, spec.kind, spec.id))
            if spec.restore != "exact":  # an exact entry brings its companions as entries of their own
                found = footprint(self.vendors, spec.vendor, spec.kind, spec.id)
                adds.update((spec.vendor, kind, spec.id) for kind in (found.companions if found else ()))
        new = sum(1 for key in adds if self.store.get(*key) is None)
        if new > room:
            limit = self.store.limit
            message = (f"loading it would add {new} resources to the {len(self.store)} of namespace {self.name!r}; "
                       f"a namespace holds at most {limit} (--max-resources): nothing was loaded")
            raise ScenarioError(scenario.source, [Problem("resources", message)])


class Transaction:
    """A consistent view of one Simulation under its lock, at one virtual instant."""

    def __init__(self, simulation: Simulation, now: float) -> None:
        self.simulation = simulation
        self.now = now
        self.store = simulation.store

    # --- configuration -------------------------------------------------------------------------
    def lifecycle(self, vendor: str, kind: str) -> Lifecycle:
        return self.simulation.lifecycles[f"{vendor}.{kind}"]

    def settings(self, vendor: str) -> dict[str, Any]:
        return self.simulation.vendor_settings(vendor)

    def auth(self, vendor: str) -> Any:
        return self.simulation.auth.get(vendor)

    def index(self, vendor: str, name: str) -> dict[str, Any]:
        """A vendor's named mapping beside its resources (a secondary index); cleared on reset.

        Keys are strings and values plain JSON data: a shared store keeps each key apart."""
        return self.simulation.index(vendor, name)

    @property
    def timing(self) -> Mapping[str, Mapping[str, float]]:
        return self.simulation.timing

    # --- resources -----------------------------------------------------------------------------
    def get(self, vendor: str, kind: str, id: str) -> Resource | None:
        resource = self.store.get(vendor, kind, id)
        if resource is not None:
            self.catch_up(resource)
        return resource

    def catch_up(self, resource: Resource) -> Resource:
        machine.catch_up(self.lifecycle(resource.vendor, resource.kind), resource, self.now, self.timing)
        if resource.unseen:
            self._notify(resource)
        return resource

    def _notify(self, resource: Resource) -> None:
        """Hand the transitions since the last call to the vendor's notify hook, and queue its output."""
        unseen, resource.unseen = resource.unseen, ()
        notify = self.lifecycle(resource.vendor, resource.kind).notify
        for entry in unseen:
            for notification in notify(resource, entry):
                self.simulation.outbox.push(notification)
        if resource.due_at is not None and resource.watched:
            self.simulation.outbox.wake(resource.due_at, resource.key)

    def watch(self, resource: Resource) -> None:
        """Replay this resource's transitions when due even if nobody reads it (it has listeners)."""
        resource.watched = True
        if resource.due_at is not None:
            self.simulation.outbox.wake(resource.due_at, resource.key)

    def notify(self, notification: Notification) -> None:
        self.simulation.outbox.push(notification)

    def list(self, vendor: str, kind: str) -> list[Resource]:
        return [self.catch_up(resource) for resource in self.store.of_kind(vendor, kind)]

    def create(
        self,
        vendor: str,
        kind: str,
        id: str,
        *,
        fields: dict[str, Any] | None = None,
        state: str | None = None,
        remaining: float | None = None,
        route: dict[str, str] | None = None,
        timing: dict[str, float] | None = None,
        cause: str = "created",
    ) -> Resource:
        """Create (or replace) a resource in `state` (default: the initial one).

        With `remaining`, the state's timer fires that many seconds from now, as if the resource
        had entered the state `duration - remaining` seconds ago (a derived timer: entered now).
        """
        lifecycle = self.lifecycle(vendor, kind)
        state = state or lifecycle.initial
        resource = Resource(
            vendor=vendor, kind=kind, id=str(id), state=state, entered_at=self.now, created_at=self.now,
            route=dict(route or {}), timing=dict(timing or {}), fields=dict(fields or {}),
        )
        entered_at, due_at = self.now, None
        duration = machine.duration_for(lifecycle, resource, state, self.timing)
        if remaining is not None:
            due_at = self.now + remaining  # ignored where the state has no timer armed
            if duration is not None and remaining <= duration:
                entered_at = resource.created_at = self.now - (duration - remaining)
        machine.enter(lifecycle, resource, state, entered_at, self.timing, cause=cause, due_at=due_at)
        self.store.put(resource)
        return resource

    def seed(self, spec: ResourceSpec) -> Resource:
        """The plain seeding of a scenario entry; vendors with extra needs wrap this."""
        return self.create(
            spec.vendor, spec.kind, spec.id, fields=spec.fields, state=spec.state,
            remaining=spec.remaining, route=spec.route, timing=spec.timing, cause="seeded",
        )

    def restore(self, spec: ResourceSpec) -> Resource:
        """Put back a resource exactly as an export recorded it (no vendor seeding)."""
        state = spec.state or self.lifecycle(spec.vendor, spec.kind).initial
        entered = spec.entered if spec.entered is not None else self.now
        resource = Resource(
            vendor=spec.vendor, kind=spec.kind, id=spec.id, state=state, entered_at=entered,
            created_at=spec.created if spec.created is not None else entered,
            due_at=None if spec.remaining is None else self.now + spec.remaining,
            pending={request: {"at": self.now} for request in spec.pending},
            route=dict(spec.route), timing=dict(spec.timing), fields=copy.deepcopy(spec.fields),
        )
        resource.record(HistoryEntry(state=state, at=entered, cause="restored"))
        self.store.put(resource)
        if spec.watched:
            self.watch(resource)
        return resource

    def act(
        self, resource: Resource, action: str, params: Mapping[str, Any] | None = None, *,
        at: float | None = None, cause: str | None = None,
    ) -> Outcome:
        """Apply an action through the vendor's table (raises machine.LifecycleError on Reject).

        `params` reach the table's guards and effects. `at` backdates the action to the virtual time
        it logically happened (one resource's timer releasing another); the timers fallen due since
        are then replayed. `cause` names the step in the history (default "action:<action>").
        """
        when = self.now if at is None else min(at, self.now)
        lifecycle = self.lifecycle(resource.vendor, resource.kind)
        outcome = machine.apply(lifecycle, resource, action, when, self.timing, params or machine.NO_PARAMS, cause)
        if at is not None:
            self.catch_up(resource)
        elif resource.unseen:
            self._notify(resource)
        return outcome

    def delete(self, vendor: str, kind: str, id: str) -> Resource | None:
        return self.store.remove(vendor, kind, id)

    def next_id(self, vendor: str, counter: str, start: int = 1) -> int:
        return self.store.next_id(vendor, counter, start)

    def next_due(self, resource: Resource) -> dict[str, Any] | None:
        if resource.due_at is None:
            return None
        target = machine.next_state(self.lifecycle(resource.vendor, resource.kind), resource)
        return None if target is None else {"state": target, "at": resource.due_at}
