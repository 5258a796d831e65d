"""What a vendor package provides: its lifecycles (engine side) and its HTTP face."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema
from werkzeug.exceptions import HTTPException

from ..engine import Lifecycle, Resource, ResourceSpec, Transaction


class ErrorEnvelope(Protocol):
    """One error builder per vendor (DESIGN principle 5)."""

    def response(self, status: int, code: str, message: str, **extra: Any) -> Response: ...

    def from_http(self, exc: HTTPException) -> Response:
        """Map a generic HTTP error (404 route, 405, 413, request validation) to the envelope."""
        ...


@dataclass(frozen=True)
class CapacityAnswer:
    """How the vendor refuses a create beyond --max-resources: a status documented on each of its
    create operations, its code in the vendor's envelope, and a message ({limit} is filled in)."""

    status: int
    code: Any
    message: str


@dataclass
class Vendor:
    name: str
    title: str
    prefixes: tuple[str, ...]  # URL prefixes the vendor owns, for mapping generic errors
    spec_file: str  # openapi/<spec_file>: the documented contract
    lifecycles: Sequence[Lifecycle]
    blueprints: Sequence[Blueprint]
    errors: ErrorEnvelope
    capacity: CapacityAnswer
    auth_schema: type[Schema] | None = None
    settings_schema: type[Schema] | None = None
    fields_schemas: Mapping[str, type[Schema]] = field(default_factory=dict)
    id_patterns: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    seed: Callable[[Transaction, ResourceSpec], Resource] | None = None
    # Scenario entry for a resource in GET /_simulator/scenario; None: engine.export.resource_entry.
    # It may return None for a resource its parent's entry already carries.
    export: Callable[[Transaction, Resource], dict | None] | None = None
    # Told of each delivery attempt of its notifications: on_delivery(tx, notification, final=...)
    on_delivery: Callable[..., None] | None = None

    def owns(self, path: str) -> bool:
        return any(path == p.rstrip("/") or path.startswith(p) for p in self.prefixes)
