"""What the engine needs to know of a vendor (the engine itself knows none by name)."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from .lifecycle import Lifecycle

if TYPE_CHECKING:
    from marshmallow import Schema

    from .resource import Resource
    from .scenario import ResourceSpec
    from .simulation import Transaction


class VendorModel(Protocol):
    name: str
    lifecycles: Sequence[Lifecycle]
    # marshmallow schemas for the scenario sections `auth.<vendor>`, `settings.<vendor>` and a
    # resource's `fields`, per kind. load({}) of the settings schema gives the defaults.
    auth_schema: type[Schema] | None
    settings_schema: type[Schema] | None
    fields_schemas: Mapping[str, type[Schema]]
    # kind -> (regular expression an id must match in full, how to describe it in an error)
    id_patterns: Mapping[str, tuple[str, str]]
    # Builds a resource from a scenario entry; None means the engine's plain `Transaction.seed`.
    seed: Callable[[Transaction, ResourceSpec], Resource] | None
