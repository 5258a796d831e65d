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
        self.dispatcher = Dispatcher(self.namespaces, self.vendors, settings.callback_hosts)
        self._default: Namespace | None = None
        self.simulation = self._default = self.namespace(DEFAULT_NAMESPACE)

    # --- namespaces ----------------------------------------------------------------------------
    def namespace(self, name: str) -> Namespace:
        """The namespace's simulation, created from the start-up scenarios on first use.

        Namespaces other than the default are dropped least recently used first beyond
        settings.max_namespaces, so memory stays bounded whatever names clients send.
        """
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

    def namespaces(self) -> list[Namespace]:
        with self._lock:
            return list(self._namespaces.values())

    def drop_namespace(self, name: str) -> bool:
        if name == DEFAULT_NAMESPACE:
            self.reset(name)
            return True
        with self._lock:
            return self._namespaces.pop(name, None) is not None

    def reset(self, name: str = DEFAULT_NAMESPACE) -> list[dict[str, Any]]:
        """Clear one namespace's state and reload the scenarios the server started with."""
        simulation = self.namespace(name)
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
        self.dispatcher.deliver_due(simulation)
        self.dispatcher.ring()

    def close(self) -> None:
        """Stop the callback dispatcher (its thread ends); the app answers no deliveries afterwards."""
        self.dispatcher.stop()

    def vendor_for_path(self, path: str) -> Vendor | None:
        for vendor in self.vendors.values():
            if vendor.owns(path):
                return vendor
        return None
