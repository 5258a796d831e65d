"""The vendor declaration: what a vendor package's `__init__.py` exports as `VENDOR`."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from flask_smorest import Blueprint
from marshmallow import Schema

from ..engine import Lifecycle, Resource, ResourceSpec, Transaction
from .envelope import Envelope


@dataclass(frozen=True)
class ResourceView:
    """How the dashboard shows one kind of resource."""

    path: str | None  # the client's GET path, with {id}; None: no vendor call returns one of these
    render: Callable[[Transaction, Resource], dict | None] | None  # that GET's body; None: it would answer 404
    # Each state's colour family: pending, running, stopping, done or failed (dashboard.families).
    families: Mapping[str, tuple[str, ...]]


@dataclass
class Vendor:
    name: str
    title: str
    prefixes: tuple[str, ...]  # URL prefixes the vendor owns: its errors answer there
    spec_file: str  # the documented contract: a file in openapi/ (or an absolute path)
    lifecycles: Sequence[Lifecycle]
    blueprints: Sequence[Blueprint]
    errors: Envelope
    # The row of errors.codes that refuses a create beyond --max-resources ({limit} is filled in):
    # its status must be documented on each of the vendor's create operations.
    capacity: str
    auth_schema: type[Schema] | None = None
    settings_schema: type[Schema] | None = None
    fields_schemas: Mapping[str, type[Schema]] = field(default_factory=dict)
    id_patterns: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # kind -> (regex, wording)
    seed: Callable[[Transaction, ResourceSpec], Resource] | None = None
    # Scenario entry for a resource in GET /_simulator/scenario; None: engine.export.resource_entry.
    # It may return None for a resource its parent's entry already carries.
    export: Callable[[Transaction, Resource], dict | None] | None = None
    # Told of each delivery attempt of its notifications: on_delivery(tx, notification, final=...)
    on_delivery: Callable[..., None] | None = None
    views: Mapping[str, ResourceView] = field(default_factory=dict)  # kind -> how the dashboard shows it

    def owns(self, path: str) -> bool:
        return any(path == p.rstrip("/") or path.startswith(p) for p in self.prefixes)

