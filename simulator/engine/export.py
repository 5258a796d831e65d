"""The live state of a simulation as a scenario document, so a strange state can be saved and replayed.

Loading the export into a fresh namespace gives the same resources in the same states with the
same time remaining, on a clock set to the same virtual instant. Histories start afresh.
Secrets (callback headers, credentials in URLs, container environments, ...) are masked unless
`include_auth` asks for them with the scenario's auth section: only that export restores them.
"""
from __future__ import annotations

from typing import Any

from .secrets import mask_json
from .simulation import Simulation, Transaction
from .timefmt import rfc3339


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively, so the document is plain YAML/JSON data."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def resource_entry(tx: Transaction, resource) -> dict[str, Any]:
    """The engine's record of a resource, restored exactly on load (no vendor seeding)."""
    entry: dict[str, Any] = {"vendor": resource.vendor, "kind": resource.kind, "id": resource.id,
                             "state": resource.state, "restore": "exact"}
    if resource.due_at is not None:
        entry["remaining"] = max(0.0, resource.due_at - tx.now)
    entry["entered"] = rfc3339(resource.entered_at, precision="microseconds")
    entry["created"] = rfc3339(resource.created_at, precision="microseconds")
    for name in ("fields", "route", "timing"):
        value = getattr(resource, name)
        if value:
            entry[name] = _plain(value)
    if resource.pending:
        entry["pending"] = sorted(resource.pending)
    if resource.watched:
        entry["watched"] = True
    return entry


def export_scenario(simulation: Simulation, *, include_auth: bool = False) -> dict[str, Any]:
    with simulation.transaction() as tx:
        state = simulation.clock.state()
        document: dict[str, Any] = {
            "name": f"export-{simulation.name}",
            "description": f"The state of namespace {simulation.name!r} at {rfc3339(tx.now)} (virtual).",
            "clock": {"now": rfc3339(tx.now, precision="microseconds"), "speed": state.speed,
                      "frozen": state.frozen},
        }
        if simulation.timing:
            document["timing"] = {key: dict(table) for key, table in simulation.timing.items()}
        if include_auth and simulation.auth:
            document["auth"] = simulation.auth
        if simulation.settings:
            document["settings"] = simulation.settings if include_auth else mask_json(simulation.settings)
        resources = []
        for resource in list(tx.store):
            tx.catch_up(resource)
            exporter = getattr(simulation.vendors[resource.vendor], "export", None)
            entry = exporter(tx, resource) if exporter else resource_entry(tx, resource)
            if entry is not None:  # a vendor may export a dependent resource inside its parent
                resources.append(entry)
        document["resources"] = resources if include_auth else mask_json(resources)
        if simulation.vendor_data:
            vendor_data = _plain({k: v for k, v in simulation.vendor_data.items() if v})
            document["vendor_data"] = vendor_data if include_auth else mask_json(vendor_data)
        counters = tx.store.counters()
        if counters:
            document["counters"] = {f"{vendor}.{counter}": value for (vendor, counter), value in counters.items()}
        rules = simulation.faults.rules()
        if rules:
            document["faults"] = [rule.export() for rule in rules]
        return document
