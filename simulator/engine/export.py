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

from .secrets import SECRET_MAPS, SECRET_TEXTS, is_plain, is_plain_key, is_secret_name, mask_json
from .simulation import Simulation, Transaction
from .timefmt import rfc3339
from .yamldump import dump_items, dump_mapping, item_if_plain, key_line, mapping_if_plain


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively, so the document is plain YAML/JSON data."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def resource_entry(tx: Transaction, resource) -> dict[str, Any]:
    """The engine's record of a resource, restored exactly on load (no vendor seeding)."""
    return _plain(_entry(tx, resource))


def _entry(tx: Transaction, resource, stamps: dict[float, str] | None = None) -> dict[str, Any]:
    """resource_entry, still sharing the resource's own mappings (copied once, by the caller).
    `stamps` remembers instants already formatted: resources loaded or created together share them."""
    entry: dict[str, Any] = {"vendor": resource.vendor, "kind": resource.kind, "id": resource.id,
                             "state": resource.state, "restore": "exact"}
    if resource.due_at is not None:
        entry["remaining"] = max(0.0, resource.due_at - tx.now)
    if stamps is None:
        stamps = {}
    for key, instant in (("entered", resource.entered_at), ("created", resource.created_at)):
        text = stamps.get(instant)
        if text is None:
            text = stamps[instant] = rfc3339(instant, precision="microseconds")
        entry[key] = text
    for name in ("fields", "route", "timing"):
        value = getattr(resource, name)
        if value:
            entry[name] = value
    if resource.pending:
        entry["pending"] = sorted(resource.pending)
    if resource.watched:
        entry["watched"] = True
    return entry


# Resources read (and written as text, see export_json and export_yaml) per hold of the namespace's lock:
# other requests wait at most that long, about 2 ms for 200 Sparrow analyses.
EXPORT_BATCH = 200


def export_parts(simulation: Simulation, *, include_auth: bool = False, batch: int = EXPORT_BATCH,
                 render: Callable[[Any], Any] | None = None) -> Iterator[tuple[str, Any]]:
    """The export in pieces, so a large namespace streams out in bounded memory: ("head", mapping),
    ("resources", [entry, ...]) per batch, then ("tail", mapping), the document's keys in its order.

    The lock is held per piece, not for the whole export, so the namespace keeps answering. Every
    entry is read at the instant the export began; resources created after it began are left out,
    those deleted before their batch is read too, and the counters are read last (above any id seen).

    `render` turns a batch's entries (a list), or a batch of a large vendor_data member's items (a
    mapping), into what its piece carries. It runs under the lock, as the entries still share the
    resources' own mappings: by default it copies them (masked unless `include_auth`); the writers
    write the text there and then instead, copying only what masking changes.
    """
    if render is None:
        render = _plain if include_auth else mask_json
    with simulation.transaction() as tx:
        at = tx.now
        head = _head(simulation, tx, include_auth)
        resources = list(tx.store)  # references only: each entry is built in its batch
    yield "head", head
    for start in range(0, len(resources), batch):
        with simulation.transaction(at=at) as tx:
            entries = _entries(simulation, tx, resources[start:start + batch])
            piece = render(entries) if entries else None
        if entries:
            yield "resources", piece
    yield from _vendor_data_parts(simulation, include_auth, batch, render)
    with simulation.transaction() as tx:
        tail = _tail(simulation, tx)
    yield "tail", tail


def _vendor_data_parts(simulation: Simulation, include_auth: bool, batch: int,
                       render: Callable[[Any], Any]) -> Iterator[tuple[str, Any]]:
    """vendor_data in pieces too: a vendor's index over its resources (Sparrow's requests) grows with them.

    ("vendor_data", None) opens the section, ("vendor", name) each vendor's mapping; then per member
    ("member", (name, value)), or for a large mapping ("open", name), ("items", render({key: value, ...}))
    per batch and ("close", name). Members are read at the time of their piece.
    """
    copy = _plain if include_auth else mask_json
    with simulation.transaction():
        if not simulation.vendor_data:
            return
        plan = [(vendor, list(members)) for vendor, members in simulation.vendor_data.items() if members]
    yield "vendor_data", None
    for vendor, names in plan:
        yield "vendor", vendor
        for name in names:
            with simulation.transaction():
                value = simulation.vendor_data.get(vendor, {}).get(name, _GONE)
                large = isinstance(value, dict) and len(value) > batch and not _secret_name(name)
                member = None if value is _GONE or large else copy({name: value})[name]
                keys = list(value) if large else []
            if value is _GONE:
                continue
            if not large:
                yield "member", (name, member)
                continue
            yield "open", name
            for start in range(0, len(keys), batch):
                with simulation.transaction():
                    current = simulation.vendor_data.get(vendor, {}).get(name)
                    current = current if isinstance(current, dict) else {}
                    items = {key: current[key] for key in keys[start:start + batch] if key in current}
                    piece = render(items) if items else None
                if items:
                    yield "items", piece
            yield "close", name


_GONE = object()


def _secret_name(name: Any) -> bool:
    """A member masked as a whole (by its name), so not written in pieces."""
    text = str(name)
    return is_secret_name(text) or text.lower() in SECRET_MAPS or text.lower() in SECRET_TEXTS


def export_scenario(simulation: Simulation, *, include_auth: bool = False) -> dict[str, Any]:
    """The whole export as one document."""
    document: dict[str, Any] = {}
    resources: list[dict[str, Any]] = []
    vendor_data: dict[str, Any] = {}
    members: dict[str, Any] = {}
    for part, value in export_parts(simulation, include_auth=include_auth):
        if part == "head":
            document.update(value)
            document["resources"] = resources
        elif part == "resources":
            resources += value
        elif part == "vendor_data":
            document["vendor_data"] = vendor_data
        elif part == "vendor":
            members = vendor_data[value] = {}
        elif part == "member":
            members[value[0]] = value[1]
        elif part == "open":
            members[value] = {}
            opened = members[value]
        elif part == "items":
            opened.update(value)
        elif part == "tail":
            document.update(value)
    return document


# Characters handed to the server at once: many batches' text, not one's. Each chunk costs a pass through
# werkzeug and waitress and, while other requests are served, a GIL hand-over (at 100 000 resources, with
# the benchmark's probe: 64 KB chunks 2.8 s, 256 KB 2.5 s, 1 MB 1.7 s). At least waitress's outbuf_overflow
# (1 MB), a chunk goes to its file buffer instead of growing one in memory: the server's RSS grows by ~9
# MiB during that export, against ~25 MiB with 768 KB chunks.
EXPORT_CHUNK = 1024 * 1024


def _in_chunks(texts: Iterator[str], size: int) -> Iterator[str]:
    """The texts joined into chunks of at least `size` characters (the last one shorter): each chunk the
    server sends costs a call through the WSGI layers and a write, whatever its length."""
    pending: list[str] = []
    length = 0
    for text in texts:
        pending.append(text)
        length += len(text)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


def export_json(simulation: Simulation, encode: Callable[[Any], str], *,
                include_auth: bool = False) -> Iterator[str]:
    """The export as JSON text in chunks of EXPORT_CHUNK, each piece written by `encode` (a JSON encoder's)."""
    return _in_chunks(_json_texts(simulation, encode, include_auth), EXPORT_CHUNK)


def export_yaml(simulation: Simulation, *, include_auth: bool = False) -> Iterator[str]:
    """The export as YAML text in chunks of EXPORT_CHUNK: what yaml.safe_dump(document, sort_keys=False) writes."""
    return _in_chunks(_yaml_texts(simulation, include_auth), EXPORT_CHUNK)


def _json_texts(simulation: Simulation, encode: Callable[[Any], str], include_auth: bool) -> Iterator[str]:
    def render(values: Any) -> str:  # under the lock: only what masking changes is copied
        if not include_auth:  # (tuples need no copy: JSON writes them as lists)
            if type(values) is list:
                values = [value if is_plain(value) else mask_json(value) for value in values]
            elif not is_plain(values):
                values = mask_json(values)
        return encode(values)[1:-1]

    closing = "]"  # what ends the open part of the document: the resources list, or vendor_data
    first = True  # no comma before the next element of the list or mapping being written
    for part, value in export_parts(simulation, include_auth=include_auth, render=render):
        comma = "" if first else ", "
        first = False
        if part == "head":
            yield encode(value)[:-1] + ', "resources": ['
            first = True
        elif part in ("resources", "items"):
            yield comma + value
        elif part == "vendor_data":
            yield closing + ', "vendor_data": {'
            closing, first = "}", True
        elif part == "vendor":
            yield ("" if closing == "}" else "}, ") + encode(value) + ": {"
            closing, first = "}}", True
        elif part == "member":
            yield comma + encode(value[0]) + ": " + encode(value[1])
        elif part == "open":
            yield comma + encode(value) + ": {"
            first = True
        elif part == "close":
            yield "}"
        else:  # the tail
            yield closing + (", " + encode(value)[1:] if value else "}")


def _yaml_texts(simulation: Simulation, include_auth: bool) -> Iterator[str]:
    copy = _plain if include_auth else mask_json
    keys = _every_key if include_auth else is_plain_key

    def render(values: Any) -> Any:
        """Under the lock: the text of what masking leaves as it is, and this writer writes alone; a copy
        (masked) of the rest, which PyYAML writes after the lock is released. A list of texts and copies
        for a batch of entries; a text or a copy for a mapping of items."""
        if type(values) is list:
            return [render_item(value) for value in values]
        text = mapping_if_plain(values, _ITEMS_INDENT, keys)
        return copy(values) if text is None else text

    def render_item(entry: Any) -> Any:
        text = item_if_plain(entry, keys)
        return copy(entry) if text is None else text

    resources_written = False
    section = None  # vendor_data: None (absent), "open" (its key not written yet), "written"
    vendor = None  # a vendor whose key waits for its first member
    for part, value in export_parts(simulation, include_auth=include_auth, render=render):
        if part == "head":
            yield yaml.safe_dump(value, sort_keys=False, allow_unicode=True)
            continue
        text = ""
        if part != "resources" and not resources_written:
            text, resources_written = "resources: []\n", True
        if part in ("vendor", "tail") and vendor is not None:
            text, vendor = text + dump_mapping({vendor: {}}, indent=2), None  # its members all went meanwhile
        if part == "resources":
            text += ("" if resources_written else "resources:\n") + "".join(
                item if type(item) is str else dump_items([item]) for item in value)
            resources_written = True
        elif part == "vendor_data":
            section = "open"
        elif part == "vendor":
            text += "vendor_data:\n" if section == "open" else ""
            section, vendor = "written", value
        elif part in ("member", "open"):
            if vendor is not None:
                text, vendor = text + key_line(vendor, 2), None
            text += dump_mapping({value[0]: value[1]}, indent=4) if part == "member" else key_line(value, 4)
        elif part == "items":
            text += value if type(value) is str else dump_mapping(value, indent=_ITEMS_INDENT)
        elif part == "tail":
            text += ("vendor_data: {}\n" if section == "open" else "") + (dump_mapping(value) if value else "")
        if text:
            yield text


_ITEMS_INDENT = 6  # under vendor_data:, the vendor's key and the member's key


def _every_key(key: str) -> bool:
    return True


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
    exporters: dict[str, Any] = {}
    stamps: dict[float, str] = {}
    get, catch_up = tx.store.get, tx.catch_up
    for listed in batch:
        resource = get(listed.vendor, listed.kind, listed.id)  # replaced or deleted meanwhile?
        if resource is None:
            continue
        catch_up(resource)
        exporter = exporters.get(resource.vendor, _GONE)
        if exporter is _GONE:
            exporter = exporters[resource.vendor] = getattr(simulation.vendors[resource.vendor], "export", None)
        entry = exporter(tx, resource) if exporter else _entry(tx, resource, stamps)
        if entry is not None:  # a vendor may export a dependent resource inside its parent
            entries.append(entry)
    return entries


def _tail(simulation: Simulation, tx: Transaction) -> dict[str, Any]:
    tail: dict[str, Any] = {}
    counters = tx.store.counters()
    if counters:
        tail["counters"] = {f"{vendor}.{counter}": value for (vendor, counter), value in counters.items()}
    tail.update(simulation.export_sections())
    return tail
