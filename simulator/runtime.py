"""The running simulator: its vendors, its simulation(s) and the scenarios it started with."""
from __future__ import annotations

from typing import Any, Mapping

from .engine import Scenario, Simulation
from .engine.scenario import load_scenario_file
from .settings import Settings
from .vendors import Vendor


class Runtime:
    def __init__(self, settings: Settings, vendors: Mapping[str, Vendor]) -> None:
        self.settings = settings
        self.vendors = dict(vendors)
        # Parsed once at start: a broken file stops the server before it listens.
        self.startup: list[Scenario] = [load_scenario_file(path, self.vendors) for path in settings.scenarios]
        self.simulation = Simulation(self.vendors)
        self.reset()

    def reset(self) -> list[dict[str, Any]]:
        """Clear all state and reload the scenarios the server started with."""
        self.simulation.clear()
        loaded = [self.simulation.load(scenario) for scenario in self.startup]
        if self.settings.speed is not None:
            self.simulation.clock.configure(speed=self.settings.speed)
        return loaded

    def vendor_for_path(self, path: str) -> Vendor | None:
        for vendor in self.vendors.values():
            if vendor.owns(path):
                return vendor
        return None
