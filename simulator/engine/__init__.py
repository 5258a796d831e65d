"""The vendor-agnostic core: virtual clock, lifecycle tables, lazy evaluation, store, scenarios."""
from .clock import ClockState, VirtualClock
from .lifecycle import Defer, Ignore, Lifecycle, Move, Reject, Timed, When
from .machine import LifecycleError
from .resource import HistoryEntry, Resource
from .scenario import Problem, ResourceSpec, Scenario, ScenarioError
from .simulation import Simulation, Transaction

__all__ = [
    "ClockState", "Defer", "HistoryEntry", "Ignore", "Lifecycle", "LifecycleError", "Move", "Problem",
    "Reject", "Resource", "ResourceSpec", "Scenario", "ScenarioError", "Simulation", "Timed",
    "Transaction", "VirtualClock", "When",
]
