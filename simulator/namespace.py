"""One namespace: the engine's simulation, plus what the HTTP layer keeps about its traffic (the
fault rules that shape its answers and the journal of its requests, simulator/traffic)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .engine import Scenario, Simulation
from .engine.model import VendorModel
from .traffic.faults import FaultBook
from .traffic.journal import Journal


class Namespace(Simulation):
    def __init__(self, vendors: Mapping[str, VendorModel], name: str = "default", *, journal_size: int = 1000,
                 journal_body_limit: int = 4096, max_resources: int | None = None) -> None:
        super().__init__(vendors, name, max_resources=max_resources)
        self.faults = FaultBook()
        self.journal = Journal(journal_size, journal_body_limit)

    def load(self, scenario: Scenario) -> dict[str, Any]:
        """The engine's part of the scenario, then its fault rules (their windows start now)."""
        with self._lock:
            summary = super().load(scenario)
            now = self.clock.now()
            for rule in scenario.faults:
                self.faults.add(rule, now)
            return summary

    def clear(self) -> None:
        with self._lock:
            super().clear()
            self.faults.clear()
            self.journal.clear()

    def enter_request(self, vendor: bool) -> None:
        """A request begins on this thread (a shared namespace picks how its transactions commit)."""

    def run_view(self, view: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> Any:
        """Run a vendor's view (a shared namespace may run it twice: simulator/shared/world.py)."""
        return view(*args, **kwargs)

    def export_sections(self) -> dict[str, Any]:
        rules = self.faults.rules()
        return {"faults": [rule.export() for rule in rules]} if rules else {}
