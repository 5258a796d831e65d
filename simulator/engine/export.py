"""The live state of a simulation as a scenario document, so a strange state can be saved and replayed.

Loading the export into a fresh namespace gives the same resources in the same states with the
same time remaining, on a clock set to the same virtual instant. Histories start afresh.
Secrets (callback headers, credentials in URLs, container environments, ...) are masked unless
`include_auth` asks for them with the scenario's auth section: only that export restores them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import yaml

from .secrets import mask_json
from .simulation import Simulation, Transaction
from .timefmt import rfc3339
from .yamldump import dump_items, dump_mapping


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


EXPORT_BATCH = 500  # resources read per hold of the namespace's lock: other requests wait at most that long


def export_parts(simulation: Simulation, *, include_auth: bool = False,
                 batch: int = EXPORT_BATCH) -> Iterator[tuple[str, Any]]:
    """The export in pieces, so a large namespace streams out in bounded memory: ("head", mapping),
    ("resources", [entry, ...]) per batch, then ("tail", mapping), the document's keys in its order.

    The lock is held per piece, not for the whole export, so the namespace keeps answering. Every
    entry is read at the instant the export began; resources created after it began are left out,
    those deleted before their batch is read too, and the counters are read last (above any id seen).
    """
    with simulation.transaction() as tx:
        at = tx.now
        head = _head(simulation, tx, include_auth)
        resources = list(tx.store)  # references only: each entry is built in its batch
    yield "head", head
    for start in range(0, len(resources), batch):
        with simulation.transaction(at=at) as tx:
            entries = _entries(simulation, tx, resources[start:start + batch])
        if entries:
            yield "resources", entries if include_auth else mask_json(entries)
    with simulation.transaction() as tx:
        tail = _tail(simulation, tx, include_auth)
    yield "tail", tail


def export_scenario(simulation: Simulation, *, include_auth: bool = False) -> dict[str, Any]:
    """The whole export as one document."""
    document: dict[str, Any] = {}
    resources: list[dict[str, Any]] = []
    for part, value in export_parts(simulation, include_auth=include_auth):
        if part == "resources":
            resources += value
        else:
            document.update(value)
            if part == "head":
                document["resources"] = resources
    return document


def export_json(simulation: Simulation, encode: Callable[[Any], str], *,
                include_auth: bool = False) -> Iterator[str]:
    """The export as JSON text in chunks, each written by `encode` (a JSON encoder's encode)."""
    wrote_entries = False
    for part, value in export_parts(simulation, include_auth=include_auth):
        if part == "head":
            yield encode(value)[:-1] + ', "resources": ['
        elif part == "resources":
            yield (", " if wrote_entries else "") + encode(value)[1:-1]
            wrote_entries = True
        else:
            yield "]" + (", " + encode(value)[1:] if value else "}")


def export_yaml(simulation: Simulation, *, include_auth: bool = False) -> Iterator[str]:
    """The export as YAML text in chunks: what yaml.safe_dump(document, sort_keys=False) writes."""
    wrote_entries = False
    for part, value in export_parts(simulation, include_auth=include_auth):
        if part == "head":
            yield yaml.safe_dump(value, sort_keys=False, allow_unicode=True)
        elif part == "resources":
            yield ("" if wrote_entries else "resources:\n") + dump_items(value)
            wrote_entries = True
        else:
            yield ("" if wrote_entries else "resources: []\n") + (dump_mapping(value) if value else "")


def _head(simulation: Simulation, tx: Transaction, include_auth: bool) -> dict[str, Any]:
    state = simulation.clock.state()
    head: dict[str, Any] = {
        "name": f"export-{simulation.name}",
        "description": f"The state of namespace {simulation.name!r} at {rfc3339(tx.now)} (virtual).",
        "clock": {"now": rfc3339(tx.now, precision="microseconds"), "speed": state.speed, "frozen": state.frozen},
    }
    if simulation.timing:
        head["timing"] = {key: dict(table) for key, table in simulation.timing.items()}
    if include_auth and simulation.auth:
        head["auth"] = simulation.auth
    if simulation.settings:
        head["settings"] = simulation.settings if include_auth else mask_json(simulation.settings)
    return head


def _entries(simulation: Simulation, tx: Transaction, batch: list) -> list[dict[str, Any]]:
    entries = []
    for listed in batch:
        resource = tx.store.get(listed.vendor, listed.kind, listed.id)  # replaced or deleted meanwhile?
        if resource is None:
            continue
        tx.catch_up(resource)
        exporter = getattr(simulation.vendors[resource.vendor], "export", None)
        entry = exporter(tx, resource) if exporter else resource_entry(tx, resource)
        if entry is not None:  # a vendor may export a dependent resource inside its parent
            entries.append(entry)
    return entries


def _tail(simulation: Simulation, tx: Transaction, include_auth: bool) -> dict[str, Any]:
    tail: dict[str, Any] = {}
    if simulation.vendor_data:
        vendor_data = {k: v for k, v in simulation.vendor_data.items() if v}
        tail["vendor_data"] = _plain(vendor_data) if include_auth else mask_json(vendor_data)  # both copy
    counters = tx.store.counters()
    if counters:
        tail["counters"] = {f"{vendor}.{counter}": value for (vendor, counter), value in counters.items()}
    rules = simulation.faults.rules()
    if rules:
        tail["faults"] = [rule.export() for rule in rules]
    return tail
