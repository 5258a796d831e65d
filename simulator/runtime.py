"""The running simulator: its vendors, its contract, its namespaces and their start-up scenarios."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from .callbacks import Dispatcher
from .contract import DEFAULT_OPENAPI_DIR, ContractIndex
from .engine import Scenario
from .namespace import Namespace
from .settings import Settings
from .shipped import load_references
from .vendors import Vendor

DEFAULT_NAMESPACE = "default"


class Runtime:
    def __init__(self, settings: Settings, vendors: dict[str, Vendor]) -> None:
        self.settings = settings
        self.vendors = dict(vendors)
        self.contract = ContractIndex.load(
            {name: vendor.spec_file for name, vendor in self.vendors.items()},
            settings.openapi_dir or DEFAULT_OPENAPI_DIR,
        )
        # Parsed once at start (files, or shipped scenarios by name): any broken one stops the
        # server before it listens, all of them reported (shipped.ScenariosRefused).
        self.startup: list[Scenario] = load_references(settings.scenarios, self.vendors, self.contract.by_vendor)
        chosen = [s.isolation for s in self.startup if s.isolation]
        self.isolation = settings.isolation or (chosen[-1] if chosen else "header")
        self._namespaces: OrderedDict[str, Namespace] = OrderedDict()
        self._lock = threading.Lock()
        self.shared = None  # the Redis world several processes share (--store redis://...), else memory
        if settings.store is not None:
            from .shared.registry import SharedWorld

            self.shared = SharedWorld(settings.store, self.vendors, journal_size=settings.journal_size,
                                      journal_body_limit=settings.journal_body_limit,
                                      max_resources=settings.max_resources)
            self.shared.check()
        self.dispatcher = Dispatcher(self.due_namespaces, self.vendors, settings.callback_hosts)
        self._default: Namespace | None = None
        self.simulation = self._default = self.namespace(DEFAULT_NAMESPACE)

    # --- namespaces ----------------------------------------------------------------------------
    def namespace(self, name: str) -> Namespace:
        """The namespace's simulation, created from the start-up scenarios on first use.

        Namespaces other than the default are dropped least recently used first beyond
        settings.max_namespaces, so memory stays bounded whatever names clients send.
        """
        if self.shared is not None:
            return self._shared_namespace(name)
        if name == DEFAULT_NAMESPACE and self._default is not None:
            return self._default  # never evicted, so it needs no recency bookkeeping
        with self._lock:
            simulation = self._namespaces.get(name)
            if simulation is not None:
                self._namespaces.move_to_end(name)
                return simulation
            simulation = Namespace(self.vendors, name, journal_size=self.settings.journal_size,
                                    journal_body_limit=self.settings.journal_body_limit,
                                    max_resources=self.settings.max_resources)
            simulation.outbox.on_schedule = self.dispatcher.ring
            self._load_startup(simulation)
            self._namespaces[name] = simulation
            while len(self._namespaces) > max(1, self.settings.max_namespaces):
                oldest = next(n for n in self._namespaces if n != DEFAULT_NAMESPACE)
                del self._namespaces[oldest]
            return simulation

    def _shared_namespace(self, name: str) -> Namespace:
        """This process's copy of a shared namespace, brought up to date (one round trip); a
        namespace new to the world is set up from the start-up scenarios by whoever comes first."""
        with self._lock:
            simulation = self._namespaces.get(name)
            if simulation is None:
                simulation = self._namespaces[name] = self.shared.namespace(name)
                simulation.outbox.on_schedule = self.dispatcher.ring
                while len(self._namespaces) > max(1, self.settings.max_namespaces):  # copies only: Redis keeps them
                    del self._namespaces[next(iter(self._namespaces))]
            else:
                self._namespaces.move_to_end(name)
        if not simulation.refresh():
            simulation.set_up(self._load_startup)
            self.shared.evict_beyond(max(1, self.settings.max_namespaces), keep=DEFAULT_NAMESPACE)
        return simulation

    def namespaces(self) -> list[Namespace]:
        with self._lock:
            return list(self._namespaces.values())

    def due_namespaces(self) -> list[Namespace]:
        """The namespaces whose notifications the dispatcher looks at: in a shared world, those with
        any pending (whichever process queued them), else every namespace of this process."""
        if self.shared is None:
            return self.namespaces()
        return [self.namespace(name) for name in self.shared.outbox_names()]

    def drop_namespace(self, name: str) -> bool:
        if name == DEFAULT_NAMESPACE:
            self.reset(name)
            return True
        with self._lock:
            dropped = self._namespaces.pop(name, None) is not None
        if self.shared is not None:
            dropped = self.shared.drop(name) or dropped
        return dropped

    def reset(self, name: str = DEFAULT_NAMESPACE) -> list[dict[str, Any]]:
        """Clear one namespace's state and reload the scenarios the server started with (one
        transaction: no other request sees it empty)."""
        simulation = self.namespace(name)
        with simulation.transaction():
            simulation.clear()
            return self._load_startup(simulation)

    def _load_startup(self, simulation: Namespace) -> list[dict[str, Any]]:
        loaded = [simulation.load(scenario) for scenario in self.startup]
        if self.settings.speed == 0:  # `--speed 0` freezes: a clock's speed itself is always above 0
            simulation.change_clock(lambda clock: clock.configure(frozen=True))
        elif self.settings.speed is not None:
            simulation.change_clock(lambda clock: clock.configure(speed=self.settings.speed))
        return loaded

    def listening_on(self, host: str, port: int) -> None:
        """The server bound this address: callbacks and webhooks aimed at it are refused."""
        self.dispatcher.listening_on(host, port)

    def clock_changed(self, simulation: Namespace) -> None:
        """Deliver what fell due (so a frozen clock's advance returns after delivery), then re-plan."""
        self.dispatcher.deliver_due(simulation, wait=True)
        self.dispatcher.ring()

    def close(self) -> None:
        """Stop the callback dispatcher (its thread ends); the app answers no deliveries afterwards."""
        self.dispatcher.stop()
        if self.shared is not None:
            self.shared.close()

    def vendor_for_path(self, path: str) -> Vendor | None:
        for vendor in self.vendors.values():
            if vendor.owns(path):
                return vendor
        return None
